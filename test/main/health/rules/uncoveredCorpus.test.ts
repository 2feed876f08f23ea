import { describe, expect, it } from 'vitest'
import { uncoveredCorpusRule } from '../../../../src/main/health/rules/uncoveredCorpus'
import { facts, key } from '../factsBuilder'

const corpora = [
  { key: 'docs', name: 'Docs' },
  { key: 'faq', name: 'FAQ' }
]

describe('uncoveredCorpusRule', () => {
  it('fires for a corpus no enabled Query key reaches, prefilling that corpus', () => {
    const found = uncoveredCorpusRule(
      facts({
        corpora,
        keys: [
          key({ corpora: ['docs'] }),
          key({ keyId: 'off', corpora: ['faq'], enabled: false }),
          key({ keyId: 'idx', kind: 'index', corpora: ['faq'] }),
          key({ keyId: 'me', kind: 'personal', corpora: [] })
        ]
      })
    )
    expect(found).toHaveLength(1)
    expect(found[0]).toMatchObject({
      id: 'uncoveredCorpus:corpus:faq',
      corpusKey: 'faq',
      corpusName: 'FAQ',
      keyId: null,
      severity: 'low',
      fixes: [{ action: 'createQueryKey', corpusKeys: ['faq'] }]
    })
  })

  it('does not fire when every corpus has an enabled Query key', () => {
    expect(
      uncoveredCorpusRule(facts({ corpora, keys: [key({ corpora: ['docs', 'faq'] })] }))
    ).toEqual([])
  })
})
