import type { Coverage } from '@shared/contract/health'
import type { KeyKind } from '@shared/contract/keys'
import { labelOfKind } from '@shared/keyKinds'

/** What runs down the side of the map; the other runs across. */
export type CoverageOrientation = 'corpora' | 'keys'

export type CoverageCorpus = Coverage['corpora'][number] & { index: number }
export type CoverageKey = Coverage['keys'][number]

export interface CoverageGrid {
  orientation: CoverageOrientation
  corpora: CoverageCorpus[]
  keys: CoverageKey[]
  rowCount: number
  colCount: number
  /** The key and corpus of a cell, by row and column. */
  at(row: number, col: number): { key: CoverageKey; corpus: CoverageCorpus }
  /** The access the key has on the corpus: its kind's label, or null for none. */
  access(key: CoverageKey, corpus: CoverageCorpus): string | null
}

/**
 * The map's cells, computed where they are drawn: each key's corpora become a set once, so a
 * cell is one lookup. Corpora down, keys across by default, transposed when there are more
 * keys than corpora (a wide map of 10,000 key columns reads worse than a long one).
 */
export function buildCoverageGrid(
  coverage: Coverage,
  options: { orientation?: CoverageOrientation; onlyUncovered?: boolean } = {}
): CoverageGrid {
  const orientation =
    options.orientation ?? (coverage.keys.length > coverage.corpora.length ? 'keys' : 'corpora')
  const corpora = coverage.corpora
    .map((c, index) => ({ ...c, index }))
    .filter((c) => !options.onlyUncovered || !c.covered)
  const keys = coverage.keys
  const reach = new Map<string, Set<number>>()
  for (const key of keys) if (!key.all) reach.set(key.id, new Set(key.corpora))
  const labels = new Map<KeyKind, string>()
  const label = (kind: KeyKind): string => {
    let text = labels.get(kind)
    if (!text) labels.set(kind, (text = labelOfKind(kind)))
    return text
  }
  const corporaDown = orientation === 'corpora'
  return {
    orientation,
    corpora,
    keys,
    rowCount: corporaDown ? corpora.length : keys.length,
    colCount: corporaDown ? keys.length : corpora.length,
    at: (row, col) =>
      corporaDown
        ? { key: keys[col], corpus: corpora[row] }
        : { key: keys[row], corpus: corpora[col] },
    access: (key, corpus) =>
      key.all || reach.get(key.id)?.has(corpus.index) ? label(key.kind) : null
  }
}
