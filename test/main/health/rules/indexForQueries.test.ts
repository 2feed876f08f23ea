import { describe, expect, it } from 'vitest'
import { indexForQueriesRule } from '../../../../src/main/health/rules/indexForQueries'
import { facts, key } from '../factsBuilder'

describe('indexForQueriesRule', () => {
  it('fires for an Index key only ever used for queries: rotate it to a Query key, or create one beside it', () => {
    const [finding] = indexForQueriesRule(
      facts({ keys: [key({ kind: 'index', name: 'ingest', corpora: ['docs', 'blog'] })] })
    )
    expect(finding).toMatchObject({
      rule: 'indexForQueries',
      severity: 'medium',
      title: 'Index key used only for queries',
      fixes: [
        { action: 'rotate', newKind: 'query' },
        { action: 'createQueryKey', corpusKeys: ['docs', 'blog'] }
      ]
    })
  })

  it('prefers the corpora it was actually queried on', () => {
    const [finding] = indexForQueriesRule(
      facts({ keys: [key({ kind: 'index', corpora: ['docs', 'blog'], queriedCorpora: ['blog'] })] })
    )
    expect(finding.fixes[1]).toEqual({ action: 'createQueryKey', corpusKeys: ['blog'] })
  })

  it('does not fire when the key did anything but query, was never used, or is not an Index key', () => {
    const keys = [
      key({ keyId: 'a', kind: 'index', otherUse: true }),
      key({ keyId: 'b', kind: 'index', lastUsedAt: null }),
      key({ keyId: 'c', kind: 'query' }),
      key({ keyId: 'd', kind: 'personal' })
    ]
    expect(indexForQueriesRule(facts({ keys }))).toEqual([])
  })
})
