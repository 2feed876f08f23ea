import type { ApiKeyRecord, CorpusRoleName } from '../store/apiKeysTable'
import { forbidden } from '../http/errors'

/**
 * Who is calling. A Personal key or an OAuth app client acts for the account owner; Query and
 * Index keys act only on the corpora they were granted.
 */
export type Principal =
  | { kind: 'account'; via: 'personal_key' | 'oauth'; keyId?: string }
  | {
      kind: 'scoped'
      role: 'serving' | 'serving_and_indexing'
      keyId: string
      grants: Map<number, CorpusRoleName>
    }

const INDEXING_ROLES = new Set<CorpusRoleName>(['editor', 'administrator', 'owner'])

export function principalForKey(key: ApiKeyRecord): Principal {
  if (key.role === 'personal') return { kind: 'account', via: 'personal_key', keyId: key.id }
  return {
    kind: 'scoped',
    role: key.role,
    keyId: key.id,
    grants: new Map(key.grants.map((g) => [g.corpusSeq, g.role]))
  }
}

export const isAccount = (principal: Principal): boolean => principal.kind === 'account'

export const canQuery = (principal: Principal, corpusSeq: number): boolean =>
  principal.kind === 'account' || principal.grants.has(corpusSeq)

export function canIndex(principal: Principal, corpusSeq: number): boolean {
  if (principal.kind === 'account') return true
  const role = principal.grants.get(corpusSeq)
  return role !== undefined && INDEXING_ROLES.has(role)
}

/** Index keys may read the corpora they write to; Query keys may only query. */
export const canReadCorpus = canIndex

/** Corpus ids a scoped key may see; undefined means every corpus. */
export const visibleCorpora = (principal: Principal): number[] | undefined =>
  principal.kind === 'account' ? undefined : [...principal.grants.keys()]

/** Account-level operations (API keys, creating and deleting corpora). */
export function requireAccount(principal: Principal, action: string): void {
  if (principal.kind !== 'account') {
    throw forbidden(
      `Permissions do not allow ${action}. Use a Personal API key or OAuth credentials.`
    )
  }
}
