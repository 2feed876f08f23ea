import { describe, expect, it } from 'vitest'
import { personalForQueriesRule } from '../../../../src/main/health/rules/personalForQueries'
import { facts, key } from '../factsBuilder'

describe('personalForQueriesRule', () => {
  it('fires for a Personal key the app sent queries with, prefilling the corpora it queried', () => {
    const [finding] = personalForQueriesRule(
      facts({
        keys: [key({ kind: 'personal', name: 'admin', queriedCorpora: ['docs', 'faq'] })]
      })
    )
    expect(finding).toMatchObject({
      rule: 'personalForQueries',
      severity: 'high',
      keyName: 'admin',
      fixes: [{ action: 'createQueryKey', corpusKeys: ['docs', 'faq'] }]
    })
    expect(finding.why).toContain('a Query key on docs and faq')
  })

  it('fires with an empty prefill when the playground history no longer says which corpora', () => {
    const [finding] = personalForQueriesRule(facts({ keys: [key({ kind: 'personal' })] }))
    expect(finding.fixes).toEqual([{ action: 'createQueryKey', corpusKeys: [] }])
  })

  it('does not fire for a Personal key never used for queries, nor for other kinds', () => {
    const keys = [
      key({ keyId: 'p', kind: 'personal', lastUsedAt: null }),
      key({ keyId: 'q', kind: 'query' }),
      key({ keyId: 'i', kind: 'index' })
    ]
    expect(personalForQueriesRule(facts({ keys }))).toEqual([])
  })
})
