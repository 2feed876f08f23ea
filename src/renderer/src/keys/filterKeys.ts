import type { KeyKind, KeyRow } from '@shared/contract/keys'
import { sortText } from '@shared/sortText'

export { sortText }

export type KindFilter = Exclude<KeyKind, 'unknown'>
export type StatusFilter = 'enabled' | 'disabled' | 'propagating'
export type PendingToggles = Readonly<Record<string, 'disable' | 'enable'>>

export interface KeyFilters {
  query: string
  kinds: KindFilter[]
  statuses: StatusFilter[]
  corpus: string | null
}

export type SortColumn =
  'name' | 'kind' | 'key' | 'status' | 'corpora' | 'firstSeen' | 'lastUsed' | 'expires'
export type SortDirection = 'asc' | 'desc'

export interface KeySort {
  column: SortColumn
  direction: SortDirection
}

export function emptyFilters(): KeyFilters {
  return { query: '', kinds: [], statuses: [], corpus: null }
}

export function hasActiveFilters(filters: KeyFilters): boolean {
  return (
    filters.query.trim() !== '' ||
    filters.kinds.length > 0 ||
    filters.statuses.length > 0 ||
    filters.corpus !== null
  )
}

// Rows are replaced, never mutated, when they change: a WeakMap keyed by the row object is a
// cache that can never go stale and is dropped with the row.
const searchTexts = new WeakMap<KeyRow, string>()

/** Everything a search may match, lowercased once per row rather than once per keystroke. */
export function searchTextOf(row: KeyRow): string {
  let text = searchTexts.get(row)
  if (text === undefined) {
    text = [row.name, row.id, ...row.corpora].join('\n').toLowerCase()
    searchTexts.set(row, text)
  }
  return text
}

export function statusOf(row: KeyRow, pending: PendingToggles = {}): StatusFilter {
  if (pending[row.id] || row.propagation?.state === 'pending') return 'propagating'
  return row.enabled ? 'enabled' : 'disabled'
}

type RowMatch = (row: KeyRow, searchText: string | undefined) => boolean

/**
 * The test a row must pass, or null when nothing filters. `searchText` may be passed when the
 * caller already has it (see createNarrowingFilter); otherwise it is looked up only if a search
 * term needs it.
 */
function matcherFor(filters: KeyFilters, pending: PendingToggles): RowMatch | null {
  const terms = filters.query.trim().toLowerCase().split(/\s+/).filter(Boolean)
  const kinds = filters.kinds.length ? new Set<KeyKind>(filters.kinds) : null
  const statuses = filters.statuses.length ? new Set(filters.statuses) : null
  const corpus = filters.corpus
  if (!terms.length && !kinds && !statuses && corpus === null) return null
  return (row, searchText) => {
    if (kinds && !kinds.has(row.kind)) return false
    if (statuses && !statuses.has(statusOf(row, pending))) return false
    if (corpus !== null && !row.corpora.includes(corpus)) return false
    if (terms.length) {
      const text = searchText ?? searchTextOf(row)
      for (const term of terms) if (!text.includes(term)) return false
    }
    return true
  }
}

export function filterKeys(
  rows: readonly KeyRow[],
  filters: KeyFilters,
  pending: PendingToggles = {}
): KeyRow[] {
  const match = matcherFor(filters, pending)
  if (!match) return rows.slice()
  return rows.filter((row) => match(row, undefined))
}

function sameChoices(a: KeyFilters, b: KeyFilters): boolean {
  return (
    a.corpus === b.corpus &&
    a.kinds.join() === b.kinds.join() &&
    a.statuses.join() === b.statuses.join()
  )
}

const NO_PENDING: PendingToggles = Object.freeze({})

/** A filter for a search box; `warm` prepares a list's search texts ahead of the first keystroke. */
export interface NarrowingFilter {
  (rows: readonly KeyRow[], filters: KeyFilters, pending?: PendingToggles): KeyRow[]
  warm(rows: readonly KeyRow[]): void
}

/**
 * filterKeys for a search box. While the user types on (same rows, same menus, and the query
 * only grew), every new match was already a match, so only the last matches are searched:
 * 10,000 rows on the first keystroke, a few hundred after it.
 *
 * The rows' search texts are kept in an array beside them (built once per list, and carried
 * along with each result), so a keystroke reads strings by index instead of looking up 10,000
 * rows in the WeakMap. They are built when a search first needs them, or earlier by `warm`
 * (building them for 10,000 rows takes milliseconds: not while the list is being drawn).
 */
export function createNarrowingFilter(): NarrowingFilter {
  let indexed: { rows: readonly KeyRow[]; texts: string[] } | undefined
  let last:
    | {
        rows: readonly KeyRow[]
        filters: KeyFilters
        pending: PendingToggles
        result: KeyRow[]
        /** The result's search texts, index for index; undefined if nothing needed them yet. */
        texts: string[] | undefined
      }
    | undefined

  function textsOf(rows: readonly KeyRow[]): string[] {
    if (indexed?.rows !== rows) indexed = { rows, texts: rows.map((row) => searchTextOf(row)) }
    return indexed.texts
  }

  const filter = (
    rows: readonly KeyRow[],
    filters: KeyFilters,
    pending: PendingToggles = NO_PENDING
  ): KeyRow[] => {
    const query = filters.query.trim().toLowerCase()
    const narrowing =
      last !== undefined &&
      last.rows === rows &&
      last.pending === pending &&
      sameChoices(last.filters, filters) &&
      query.startsWith(last.filters.query.trim().toLowerCase())
    const source = narrowing ? last!.result : rows
    let texts = narrowing ? last!.texts : indexed?.rows === rows ? indexed.texts : undefined
    const match = matcherFor(filters, pending)
    let result: KeyRow[]
    let resultTexts: string[] | undefined
    if (!match) {
      result = source.slice()
      resultTexts = texts?.slice()
    } else {
      if (!texts && query !== '')
        texts = narrowing ? source.map((row) => searchTextOf(row)) : textsOf(rows)
      result = []
      resultTexts = texts ? [] : undefined
      for (let i = 0; i < source.length; i++) {
        const row = source[i]!
        if (match(row, texts?.[i])) {
          result.push(row)
          resultTexts?.push(texts![i]!)
        }
      }
    }
    last = { rows, filters, pending, result, texts: resultTexts }
    return result
  }
  return Object.assign(filter, { warm: (rows: readonly KeyRow[]) => void textsOf(rows) })
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' })
const kindRank: Record<KeyKind, number> = { personal: 0, query: 1, index: 2, unknown: 3 }
const statusRank: Record<StatusFilter, number> = { enabled: 0, propagating: 1, disabled: 2 }

type SortValue = string | number

const nameKeys = new WeakMap<KeyRow, string>()

function nameKeyOf(row: KeyRow): string {
  let key = nameKeys.get(row)
  if (key === undefined) {
    key = sortText(row.name)
    nameKeys.set(row, key)
  }
  return key
}

function sortValue(column: SortColumn, row: KeyRow, pending: PendingToggles): SortValue {
  switch (column) {
    case 'name':
      return nameKeyOf(row)
    case 'kind':
      return kindRank[row.kind]
    case 'key':
      // Keys without a known secret sort after every masked one.
      return row.maskedSecret ? sortText(row.maskedSecret) : '\uffff'
    case 'status':
      return statusRank[statusOf(row, pending)]
    case 'corpora':
      return row.corpora.length ? sortText(row.corpora.join(',')) : '\uffff'
    case 'firstSeen':
      return row.firstSeenAt
    case 'lastUsed':
      return row.lastUsedAt ?? -Infinity
    case 'expires':
      // Keys without a date sort after every dated one, soonest first.
      return row.expiry?.at ?? Infinity
  }
}

function compareValues(a: SortValue, b: SortValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * A new sorted array. Sort values are computed once per row (not once per comparison), and
 * ties fall back to name then id so the order never jumps between refreshes.
 */
export function sortKeys(
  rows: readonly KeyRow[],
  sort: KeySort,
  pending: PendingToggles = {},
  /** The rows are already in name order (main sends them so): skip the default sort. */
  inNameOrder = false
): KeyRow[] {
  if (inNameOrder && sort.column === 'name' && sort.direction === 'asc') return rows.slice()
  const sign = sort.direction === 'asc' ? 1 : -1
  const decorated = rows.map((row) => ({
    row,
    value: sortValue(sort.column, row, pending),
    name: nameKeyOf(row)
  }))
  decorated.sort(
    (a, b) =>
      sign * compareValues(a.value, b.value) ||
      compareValues(a.name, b.name) ||
      (a.row.id < b.row.id ? -1 : a.row.id > b.row.id ? 1 : 0)
  )
  return decorated.map((d) => d.row)
}

/** Corpus keys used by any row, for the corpus filter; sorted for a stable menu. */
export function corporaOf(rows: readonly KeyRow[]): string[] {
  const all = new Set<string>()
  for (const row of rows) for (const corpus of row.corpora) all.add(corpus)
  return [...all].sort(collator.compare)
}
