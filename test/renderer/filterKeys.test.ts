import { describe, expect, it } from 'vitest'
import type { KeyRow } from '@shared/contract/keys'
import {
  corporaOf,
  createNarrowingFilter,
  emptyFilters,
  filterKeys,
  hasActiveFilters,
  searchTextOf,
  sortKeys,
  sortText,
  statusOf
} from '@renderer/keys/filterKeys'
import { makeRow, NOW } from './fixtures'

const pending = { propagation: undefined }
const rows: KeyRow[] = [
  makeRow({ id: 'aky_a', name: 'website-search', kind: 'query', corpora: ['docs', 'blog'] }),
  makeRow({ id: 'aky_b', name: 'Ingest worker', kind: 'index', corpora: ['docs'], enabled: false }),
  makeRow({ id: 'aky_c', name: 'admin', kind: 'personal', corpora: [], lastUsedAt: null }),
  makeRow({
    id: 'aky_d',
    name: 'mobile-app',
    kind: 'query',
    corpora: ['support'],
    maskedSecret: null,
    propagation: {
      action: 'disable',
      startedAt: NOW,
      mode: 'countdown',
      expectedBy: NOW + 60_000,
      state: 'pending'
    }
  })
]

function names(list: readonly KeyRow[]): string[] {
  return list.map((r) => r.name)
}

describe('filterKeys', () => {
  it('returns a copy of every row when nothing filters', () => {
    const out = filterKeys(rows, emptyFilters())
    expect(out).toEqual(rows)
    expect(out).not.toBe(rows)
  })

  it('searches name, id and corpus, case-insensitively, with every word required', () => {
    const f = emptyFilters()
    expect(names(filterKeys(rows, { ...f, query: 'INGEST' }))).toEqual(['Ingest worker'])
    expect(names(filterKeys(rows, { ...f, query: 'aky_c' }))).toEqual(['admin'])
    expect(names(filterKeys(rows, { ...f, query: 'support' }))).toEqual(['mobile-app'])
    expect(names(filterKeys(rows, { ...f, query: '  docs  search ' }))).toEqual(['website-search'])
    expect(filterKeys(rows, { ...f, query: 'nothing-like-this' })).toEqual([])
  })

  it('filters by kind, status and corpus together', () => {
    const f = emptyFilters()
    expect(names(filterKeys(rows, { ...f, kinds: ['query'] }))).toEqual([
      'website-search',
      'mobile-app'
    ])
    expect(names(filterKeys(rows, { ...f, statuses: ['disabled'] }))).toEqual(['Ingest worker'])
    expect(names(filterKeys(rows, { ...f, statuses: ['propagating'] }))).toEqual(['mobile-app'])
    expect(names(filterKeys(rows, { ...f, corpus: 'docs' }))).toEqual([
      'website-search',
      'Ingest worker'
    ])
    expect(names(filterKeys(rows, { ...f, kinds: ['query'], corpus: 'docs' }))).toEqual([
      'website-search'
    ])
  })

  it('counts a key whose toggle is in flight as propagating', () => {
    const f = { ...emptyFilters(), statuses: ['propagating' as const] }
    expect(names(filterKeys(rows, f, { aky_a: 'disable' }))).toEqual([
      'website-search',
      'mobile-app'
    ])
    expect(statusOf(rows[0]!, { aky_a: 'disable' })).toBe('propagating')
    expect(statusOf({ ...rows[3]!, ...pending })).toBe('enabled')
  })

  it('caches one lowercase search text per row object', () => {
    const row = rows[1]!
    expect(searchTextOf(row)).toBe('ingest worker\naky_b\ndocs')
    expect(searchTextOf(row)).toBe(searchTextOf(row))
    expect(searchTextOf({ ...row, name: 'Renamed' })).toContain('renamed')
  })

  it('knows when filters are active', () => {
    expect(hasActiveFilters(emptyFilters())).toBe(false)
    expect(hasActiveFilters({ ...emptyFilters(), query: '   ' })).toBe(false)
    expect(hasActiveFilters({ ...emptyFilters(), corpus: 'docs' })).toBe(true)
    expect(hasActiveFilters({ ...emptyFilters(), kinds: ['index'] })).toBe(true)
  })

  it('lists the corpora in use, sorted and unique', () => {
    expect(corporaOf(rows)).toEqual(['blog', 'docs', 'support'])
  })
})

describe('sortKeys', () => {
  it('sorts by name naturally and case-insensitively, both ways', () => {
    const list = [
      makeRow({ name: 'key-10' }),
      makeRow({ name: 'Key-9' }),
      makeRow({ name: 'alpha' })
    ]
    expect(names(sortKeys(list, { column: 'name', direction: 'asc' }))).toEqual([
      'alpha',
      'Key-9',
      'key-10'
    ])
    expect(names(sortKeys(list, { column: 'name', direction: 'desc' }))).toEqual([
      'key-10',
      'Key-9',
      'alpha'
    ])
  })

  it('sorts kind and status by meaning, not by label', () => {
    expect(names(sortKeys(rows, { column: 'kind', direction: 'asc' }))).toEqual([
      'admin',
      'mobile-app',
      'website-search',
      'Ingest worker'
    ])
    expect(names(sortKeys(rows, { column: 'status', direction: 'asc' }))).toEqual([
      'admin',
      'website-search',
      'mobile-app',
      'Ingest worker'
    ])
  })

  it('puts never-used keys last when sorting by last use, newest first', () => {
    const list = [
      makeRow({ name: 'old', lastUsedAt: NOW - 9e8 }),
      makeRow({ name: 'never', lastUsedAt: null }),
      makeRow({ name: 'recent', lastUsedAt: NOW })
    ]
    expect(names(sortKeys(list, { column: 'lastUsed', direction: 'desc' }))).toEqual([
      'recent',
      'old',
      'never'
    ])
  })

  it('sorts unknown secrets after masked ones and breaks ties by name', () => {
    const list = [
      makeRow({ name: 'b', maskedSecret: null }),
      makeRow({ name: 'a', maskedSecret: null }),
      makeRow({ name: 'c', maskedSecret: 'zqt_…AAAA' })
    ]
    expect(names(sortKeys(list, { column: 'key', direction: 'asc' }))).toEqual(['c', 'a', 'b'])
  })

  it('does not touch its input', () => {
    const copy = rows.slice()
    sortKeys(rows, { column: 'name', direction: 'desc' })
    expect(rows).toEqual(copy)
  })
})

describe('sortText', () => {
  it('orders like a numeric, case- and accent-insensitive collator', () => {
    const names = ['key-10', 'Key-9', 'éclair', 'eclipse', 'key-2', 'Zeta', 'alpha', 'key-010b']
    const byText = [...names].sort((a, b) =>
      sortText(a) < sortText(b) ? -1 : sortText(a) > sortText(b) ? 1 : 0
    )
    expect(byText).toEqual([
      'alpha',
      'éclair',
      'eclipse',
      'key-2',
      'Key-9',
      'key-10',
      'key-010b',
      'Zeta'
    ])
  })
})

describe('10,000 keys', () => {
  const big: KeyRow[] = Array.from({ length: 10_000 }, (_, i) =>
    makeRow({
      id: `aky_${i.toString(36).padStart(6, '0')}`,
      name: `service-${i % 7 === 0 ? 'search' : 'ingest'}-${i}`,
      kind: (['personal', 'query', 'index'] as const)[i % 3],
      enabled: i % 5 !== 0,
      corpora: [`corpus-${i % 40}`],
      lastUsedAt: i % 11 === 0 ? null : NOW - i * 1000
    })
  )

  // How fast, in a real browser: `npm run bench -- keysList` (filter_keystroke_p95_ms).
  it('filters and sorts 10,000 keys correctly', () => {
    const f = emptyFilters()
    filterKeys(big, { ...f, query: 'warm' }) // builds the search cache, as the first render does
    const sorted = sortKeys(big, { column: 'name', direction: 'asc' })
    const searched = filterKeys(sorted, { ...f, query: 'search', kinds: ['query'] })
    expect(sorted).toHaveLength(10_000)
    expect(searched.every((r) => r.name.includes('search') && r.kind === 'query')).toBe(true)
    expect(searched).toHaveLength(
      big.filter((r) => r.name.includes('search') && r.kind === 'query').length
    )
    for (let i = 1; i < searched.length; i++) {
      expect(
        searched[i - 1]!.name.localeCompare(searched[i]!.name, undefined, { numeric: true })
      ).toBeLessThanOrEqual(0)
    }
  })

  it('narrows while the user types on, with the same answers as a full filter', () => {
    // Counts how often the full list is read, to tell a narrowed search from a full one.
    let reads = 0
    const watched = new Proxy(big, {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && /^\d+$/.test(prop)) reads++
        return Reflect.get(target, prop, receiver)
      }
    })
    const narrowing = createNarrowingFilter()
    const f = emptyFilters()
    const steps: Array<[Partial<typeof f>, 'full' | 'narrowed']> = [
      [{ query: 's' }, 'full'],
      [{ query: 'se' }, 'narrowed'],
      [{ query: 'search-7' }, 'narrowed'],
      [{ query: 'search-7 ' }, 'narrowed'],
      [{ query: 'search-7 corpus-1' }, 'narrowed'],
      [{ query: 'search-' }, 'full'], // backspace: earlier rows come back
      [{ query: 'search-', kinds: ['query'] }, 'full'], // a menu changed
      [{ query: 'search-1', kinds: ['query'] }, 'narrowed'],
      [{ query: 'SEARCH-12', kinds: ['query'] }, 'narrowed']
    ]
    for (const [change, expected] of steps) {
      reads = 0
      const filters = { ...f, ...change }
      expect(narrowing(watched, filters)).toEqual(filterKeys(big, filters))
      if (expected === 'full') expect(reads).toBeGreaterThanOrEqual(big.length)
      else expect(reads).toBe(0)
    }
    // New rows (a refresh) are searched in full, whatever the query did.
    const refreshed = big.slice(0, 5_000)
    const filters = { ...f, query: 'SEARCH-123', kinds: ['query' as const] }
    expect(narrowing(refreshed, filters)).toEqual(filterKeys(refreshed, filters))
    // The same rows in another order (a new sort): every row is matched against its own text.
    const reversed = refreshed.slice().reverse()
    for (const query of ['search-12', 'search-123', '']) {
      const next = { ...f, query }
      expect(narrowing(reversed, next)).toEqual(filterKeys(reversed, next))
    }
    const byCorpus = { ...f, query: big[4_321]!.corpora[0]! }
    expect(narrowing(reversed, byCorpus)).toEqual(filterKeys(reversed, byCorpus))
  })

  it('builds search texts only for a search, or ahead of it when warmed', () => {
    // Rows that count how often their name is read: building a search text reads it once.
    let nameReads = 0
    const counted = (list: KeyRow[]) =>
      list.map(
        (row) =>
          new Proxy(row, {
            get(target, prop, receiver) {
              if (prop === 'name') nameReads++
              return Reflect.get(target, prop, receiver)
            }
          })
      )
    const f = emptyFilters()
    const cold = counted(big.slice(0, 2_000))
    const narrowing = createNarrowingFilter()
    // No search: the list is shown as it is, and no text is built (this is the first render).
    expect(narrowing(cold, f)).toHaveLength(2_000)
    expect(nameReads).toBe(0)
    const queryKeys = narrowing(cold, { ...f, kinds: ['query'] })
    expect(nameReads).toBe(0)
    expect(queryKeys).toHaveLength(big.slice(0, 2_000).filter((r) => r.kind === 'query').length)
    // The first search builds them.
    narrowing(cold, { ...f, query: 'search' })
    expect(nameReads).toBe(2_000)

    const warm = counted(big.slice(2_000, 4_000))
    const warmed = createNarrowingFilter()
    nameReads = 0
    warmed.warm(warm)
    expect(nameReads).toBe(2_000)
    // Warmed: the search reads no name, and answers as a full filter does.
    nameReads = 0
    const found = warmed(warm, { ...f, query: 'search-2' })
    expect(nameReads).toBe(0)
    expect(found).toEqual(filterKeys(big.slice(2_000, 4_000), { ...f, query: 'search-2' }))
  })

  it('finds one key by id among 10,000', () => {
    const target = big[7_777]!
    expect(filterKeys(big, { ...emptyFilters(), query: target.id })).toEqual([target])
  })
})
