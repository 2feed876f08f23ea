import { describe, expect, it } from 'vitest'
import type { Coverage } from '@shared/contract/health'
import { buildCoverageGrid } from '@renderer/health/coverageGrid'

const coverage: Coverage = {
  accountId: 'acc_1',
  includeDisabled: false,
  corpora: [
    { key: 'docs', name: 'Docs', query: 1, index: 0, personal: 1, covered: true },
    { key: 'faq', name: 'FAQ', query: 0, index: 1, personal: 1, covered: false }
  ],
  keys: [
    { id: 'k_me', name: 'admin', kind: 'personal', enabled: true, all: true, corpora: [] },
    { id: 'k_idx', name: 'ingest', kind: 'index', enabled: true, all: false, corpora: [1] },
    { id: 'k_q', name: 'site', kind: 'query', enabled: true, all: false, corpora: [0] }
  ],
  uncovered: 1
}

describe('buildCoverageGrid', () => {
  it('turns keys down when they outnumber corpora, and gives each cell the key’s access', () => {
    const grid = buildCoverageGrid(coverage)
    expect(grid.orientation).toBe('keys')
    expect([grid.rowCount, grid.colCount]).toEqual([3, 2])
    const cell = (row: number, col: number) => {
      const { key, corpus } = grid.at(row, col)
      return grid.access(key, corpus)
    }
    expect([cell(0, 0), cell(0, 1)]).toEqual(['Personal', 'Personal'])
    expect([cell(1, 0), cell(1, 1)]).toEqual([null, 'Index'])
    expect([cell(2, 0), cell(2, 1)]).toEqual(['Query', null])
  })

  it('runs corpora down on request, and can show only the corpora no Query key reaches', () => {
    const grid = buildCoverageGrid(coverage, { orientation: 'corpora', onlyUncovered: true })
    expect([grid.rowCount, grid.colCount]).toEqual([1, 3])
    const { key, corpus } = grid.at(0, 2)
    expect(corpus.key).toBe('faq')
    expect(grid.access(key, corpus)).toBeNull()
    expect(grid.access(grid.at(0, 1).key, corpus)).toBe('Index')
  })
})
