import type { ApiKeyRecord, CorpusRoleName } from '../store/apiKeysTable'
import { forbidden } from '../http/errors'

/**
 * Who is calling. A Personal key or an OAuth app client acts for the account owner; Query and
 * Index keys act only on the corpora they were granted.
 */
export type Principal =
  | { kind: 'account'; via: 'personal_key' | 'oauth'; keyId?: string; readOnly?: boolean }
  | {
      kind: 'scoped'
      role: 'serving' | 'serving_and_indexing'
      keyId: string
      grants: Map<number, CorpusRoleName>
    }

const INDEXING_ROLES = new Set<CorpusRoleName>(['editor', 'administrator', 'owner'])
/** RBAC roles that only read: a Personal key holding nothing else cannot change anything. */
const READ_ONLY_API_ROLES = new Set(['viewer', 'corpus_viewer', 'agent_viewer', 'pipeline_viewer'])

export function principalForKey(key: ApiKeyRecord): Principal {
  if (key.role === 'personal') {
    const readOnly =
      key.apiRoles.length > 0 && key.apiRoles.every((r) => READ_ONLY_API_ROLES.has(r))
    return {
      kind: 'account',
      via: 'personal_key',
      keyId: key.id,
      ...(readOnly ? { readOnly } : {})
    }
  }
  return {
    kind: 'scoped',
    role: key.role,
    keyId: key.id,
    grants: new Map(key.grants.map((g) => [g.corpusSeq, g.role]))
  }
}

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

/** Account-level changes: a Personal key whose roles are all read-only may look but not touch. */
export function requireAccountWrite(principal: Principal, action: string): void {
  requireAccount(principal, action)
  if (principal.kind === 'account' && principal.readOnly) {
    throw forbidden(`Permissions do not allow ${action}: this key's roles only allow reading.`)
  }
}
