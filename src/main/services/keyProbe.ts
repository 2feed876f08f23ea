import type { KeyKind } from '@shared/contract/keys'
import { isVectaraError, type VectaraClient } from '../vectara'

/** What a probe needs to know about a key: how to ask it something small. */
export interface ProbeTarget {
  kind: KeyKind
  corpora: string[]
}

/** Whether the app can ask this key anything: a Personal key lists keys, others query a corpus. */
export function canProbe(target: ProbeTarget): boolean {
  return target.kind === 'personal' || target.corpora.length > 0
}

/**
 * One small request made with the key itself. true: it serves; false: Vectara refuses it
 * (401/403); null: we could not tell (offline, 5xx), with the error for the caller's message.
 * A Personal key lists one key (it may not be granted any corpus); a Query or Index key runs a
 * one-result query on its first corpus.
 */
export async function probeKey(
  client: VectaraClient,
  target: ProbeTarget
): Promise<{ serving: boolean | null; error?: unknown }> {
  try {
    if (target.kind === 'personal') {
      const pages = client.listApiKeys({ pageSize: 1 })
      try {
        await pages.next()
      } finally {
        await pages.return(undefined)
      }
    } else {
      await client.queryCorpus(target.corpora[0], {
        query: 'propagation check',
        search: { limit: 1 }
      })
    }
    return { serving: true }
  } catch (error) {
    if (
      isVectaraError(error) &&
      (error.code === 'API_UNAUTHORIZED' || error.code === 'API_FORBIDDEN')
    ) {
      return { serving: false, error }
    }
    return { serving: null, error }
  }
}
