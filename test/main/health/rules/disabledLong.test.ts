import { describe, expect, it } from 'vitest'
import { disabledLongRule } from '../../../../src/main/health/rules/disabledLong'
import { DAY, NOW, facts, key } from '../factsBuilder'

describe('disabledLongRule', () => {
  it('fires for a key disabled more than 30 days ago, offering Delete…', () => {
    const [finding] = disabledLongRule(
      facts({ keys: [key({ enabled: false, disabledSince: NOW - 40 * DAY })] }),
      NOW
    )
    expect(finding).toMatchObject({
      rule: 'disabledLong',
      severity: 'low',
      title: 'Disabled for 40 days',
      keyEnabled: false,
      fixes: [{ action: 'delete' }]
    })
  })

  it('does not fire at 30 days or less, for an enabled key, or when the time is unknown', () => {
    const keys = [
      key({ keyId: 'a', enabled: false, disabledSince: NOW - 30 * DAY }),
      key({ keyId: 'b', enabled: true, disabledSince: NOW - 90 * DAY }),
      key({ keyId: 'c', enabled: false, disabledSince: null })
    ]
    expect(disabledLongRule(facts({ keys }), NOW)).toEqual([])
  })

  it('fires once the injected clock passes day 30', () => {
    const keys = [key({ enabled: false, disabledSince: NOW })]
    expect(disabledLongRule(facts({ keys }), NOW + 30 * DAY)).toHaveLength(0)
    expect(disabledLongRule(facts({ keys }), NOW + 31 * DAY)).toHaveLength(1)
  })
})
