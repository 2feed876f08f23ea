import type { Coverage } from '@shared/contract/health'
import type { KeyKind } from '@shared/contract/keys'
import { sortText } from '@shared/sortText'
import type { CorpusFact } from './facts'

export interface CoverageKey {
  keyId: string
  name: string
  kind: KeyKind
  enabled: boolean
  corpora: readonly string[]
}

const KIND_ORDER: Record<KeyKind, number> = { personal: 0, index: 1, query: 2, unknown: 3 }

/**
 * The corpus × key map in compact form. Keys come grouped by kind (Personal, Index, Query) and
 * by name, each with the indexes of the corpora it reaches; a key that reaches none of the
 * listed corpora has no column. Counts per corpus are of the keys shown; `uncovered` always
 * counts corpora no *enabled* Query key reaches, whatever is shown.
 */
export function buildCoverage(
  keys: readonly CoverageKey[],
  corpora: readonly CorpusFact[],
  includeDisabled: boolean
): Omit<Coverage, 'accountId'> {
  const indexOf = new Map<string, number>()
  corpora.forEach((c, i) => indexOf.set(c.key, i))
  const query = new Uint32Array(corpora.length)
  const index = new Uint32Array(corpora.length)
  const reachedByEnabledQuery = new Uint8Array(corpora.length)
  let personal = 0
  const columns: (Coverage['keys'][number] & { sort: string })[] = []
  for (const key of keys) {
    if (key.kind === 'query' && key.enabled) {
      for (const corpus of key.corpora) {
        const i = indexOf.get(corpus)
        if (i !== undefined) reachedByEnabledQuery[i] = 1
      }
    }
    if (!key.enabled && !includeDisabled) continue
    const all = key.kind === 'personal'
    const reached: number[] = []
    if (all) personal++
    else {
      const counts = key.kind === 'query' ? query : key.kind === 'index' ? index : undefined
      for (const corpus of key.corpora) {
        const i = indexOf.get(corpus)
        if (i === undefined) continue
        reached.push(i)
        if (counts) counts[i]++
      }
      if (reached.length === 0) continue
      reached.sort((a, b) => a - b)
    }
    columns.push({
      id: key.keyId,
      name: key.name,
      kind: key.kind,
      enabled: key.enabled,
      all,
      corpora: reached,
      sort: `${KIND_ORDER[key.kind]}${sortText(key.name)}`
    })
  }
  columns.sort((a, b) => (a.sort < b.sort ? -1 : a.sort > b.sort ? 1 : a.id < b.id ? -1 : 1))
  let uncovered = 0
  for (let i = 0; i < corpora.length; i++) if (!reachedByEnabledQuery[i]) uncovered++
  return {
    includeDisabled,
    corpora: corpora.map((c, i) => ({
      key: c.key,
      name: c.name,
      query: query[i],
      index: index[i],
      personal,
      covered: reachedByEnabledQuery[i] === 1
    })),
    keys: columns.map(({ sort: _sort, ...column }) => column),
    uncovered
  }
}
