import { describe, expect, it } from 'vitest'
import { staleRule } from '../../../../src/main/health/rules/stale'
import { DAY, NOW, facts, key } from '../factsBuilder'

describe('staleRule', () => {
  it('fires for a key with no recorded use in more than 30 days, offering Disable and Delete…', () => {
    const [finding] = staleRule(facts({ keys: [key({ lastUsedAt: NOW - 45 * DAY })] }), NOW)
    expect(finding).toMatchObject({
      id: 'stale:aky_1',
      rule: 'stale',
      keyName: 'website-search',
      severity: 'low',
      title: 'Not used in 45 days',
      fixes: [{ action: 'disable' }, { action: 'delete' }]
    })
    expect(finding.why).toMatch(/unused Query key/)
  })

  it('fires for a key never used once the app has known it for 30 days', () => {
    const found = staleRule(
      facts({ keys: [key({ lastUsedAt: null, firstSeenAt: NOW - 31 * DAY })] }),
      NOW
    )
    expect(found).toHaveLength(1)
    expect(found[0].title).toBe('Never used in the 31 days the app has known it')
  })

  it('does not fire within 30 days of the last use, or of first seeing a never-used key', () => {
    const keys = [
      key({ keyId: 'a', lastUsedAt: NOW - 30 * DAY }),
      key({ keyId: 'b', lastUsedAt: null, firstSeenAt: NOW - 29 * DAY })
    ]
    expect(staleRule(facts({ keys }), NOW)).toEqual([])
  })

  it('does not fire for a disabled key or for the credential the app itself signs in with', () => {
    const keys = [
      key({ keyId: 'a', enabled: false, lastUsedAt: null }),
      key({ keyId: 'b', kind: 'personal', accountCredential: true, lastUsedAt: null })
    ]
    expect(staleRule(facts({ keys }), NOW)).toEqual([])
  })

  it('ranks by what the key could do: Personal high, Index medium, Query low', () => {
    const old = NOW - 60 * DAY
    const found = staleRule(
      facts({
        keys: [
          key({ keyId: 'p', kind: 'personal', lastUsedAt: old }),
          key({ keyId: 'i', kind: 'index', lastUsedAt: old }),
          key({ keyId: 'q', kind: 'query', lastUsedAt: old })
        ]
      }),
      NOW
    )
    expect(found.map((f) => [f.keyId, f.severity])).toEqual([
      ['p', 'high'],
      ['i', 'medium'],
      ['q', 'low']
    ])
  })

  it('moves with the injected clock: the same key turns stale as days pass', () => {
    const keys = [key({ lastUsedAt: NOW - 20 * DAY })]
    expect(staleRule(facts({ keys }), NOW)).toHaveLength(0)
    expect(staleRule(facts({ keys }), NOW + 11 * DAY)).toHaveLength(1)
  })
})
