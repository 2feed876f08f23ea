import { describe, expect, it } from 'vitest'
import { buildCoverage, type CoverageKey } from '../../../src/main/health/coverage'

const corpora = [
  { key: 'blog', name: 'Blog' },
  { key: 'docs', name: 'Docs' },
  { key: 'faq', name: 'FAQ' }
]

const k = (keyId: string, kind: CoverageKey['kind'], corpora: string[], enabled = true) => ({
  keyId,
  name: keyId,
  kind,
  enabled,
  corpora
})

describe('buildCoverage', () => {
  it('gives each key the indexes of the corpora it reaches, Personal keys all, grouped by kind', () => {
    const map = buildCoverage(
      [
        k('q-site', 'query', ['docs', 'faq']),
        k('admin', 'personal', []),
        k('ingest', 'index', ['blog'])
      ],
      corpora,
      false
    )
    expect(map.keys).toEqual([
      { id: 'admin', name: 'admin', kind: 'personal', enabled: true, all: true, corpora: [] },
      { id: 'ingest', name: 'ingest', kind: 'index', enabled: true, all: false, corpora: [0] },
      { id: 'q-site', name: 'q-site', kind: 'query', enabled: true, all: false, corpora: [1, 2] }
    ])
    expect(map.corpora).toEqual([
      { key: 'blog', name: 'Blog', query: 0, index: 1, personal: 1, covered: false },
      { key: 'docs', name: 'Docs', query: 1, index: 0, personal: 1, covered: true },
      { key: 'faq', name: 'FAQ', query: 1, index: 0, personal: 1, covered: true }
    ])
    expect(map.uncovered).toBe(1)
  })

  it('leaves disabled keys out unless asked, but counts uncovered corpora by enabled Query keys only', () => {
    const keys = [k('on', 'query', ['docs']), k('off', 'query', ['blog', 'faq'], false)]
    const enabledOnly = buildCoverage(keys, corpora, false)
    expect(enabledOnly.keys.map((c) => c.id)).toEqual(['on'])
    expect(enabledOnly.uncovered).toBe(2)
    const all = buildCoverage(keys, corpora, true)
    expect(all.keys.map((c) => c.id)).toEqual(['off', 'on'])
    expect(all.corpora.map((c) => c.query)).toEqual([1, 1, 1])
    expect(all.corpora.map((c) => c.covered)).toEqual([false, true, false])
    expect(all.uncovered).toBe(2)
  })

  it('gives no column to a key whose corpora are not in the corpus list', () => {
    const map = buildCoverage([k('stray', 'query', ['deleted-corpus'])], corpora, false)
    expect(map.keys).toEqual([])
    expect(map.uncovered).toBe(3)
  })
})
