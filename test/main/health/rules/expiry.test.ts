import { describe, expect, it } from 'vitest'
import { expiryRule } from '../../../../src/main/health/rules/expiry'
import { DAY, NOW, facts, key } from '../factsBuilder'

const expiring = (at: number, overrides = {}) =>
  key({ expiry: { at, disableAtExpiry: false }, ...overrides })

describe('expiryRule', () => {
  it('fires within 14 days of the date: medium, then high in the last day', () => {
    const [in10] = expiryRule(facts({ keys: [expiring(NOW + 10 * DAY)] }), NOW)
    expect(in10).toMatchObject({
      rule: 'expiry',
      severity: 'medium',
      title: 'Expires in 10 days',
      fixes: [{ action: 'rotate' }, { action: 'extend' }]
    })
    const [soon] = expiryRule(facts({ keys: [expiring(NOW + 3_600_000)] }), NOW)
    expect(soon).toMatchObject({ severity: 'high', title: 'Expires within a day' })
  })

  it('is high once expired while the key still works, low when it is disabled', () => {
    const [live] = expiryRule(facts({ keys: [expiring(NOW - 2 * DAY)] }), NOW)
    expect(live).toMatchObject({
      severity: 'high',
      title: 'Expired 2 days ago',
      fixes: [{ action: 'rotate' }, { action: 'extend' }]
    })
    const [off] = expiryRule(facts({ keys: [expiring(NOW - 2 * DAY, { enabled: false })] }), NOW)
    expect(off).toMatchObject({
      severity: 'low',
      fixes: [{ action: 'delete' }, { action: 'extend' }]
    })
  })

  it('says when "Disable at expiry" will act', () => {
    const [finding] = expiryRule(
      facts({ keys: [key({ expiry: { at: NOW + 5 * DAY, disableAtExpiry: true } })] }),
      NOW
    )
    expect(finding.why).toMatch(/disables it on that date/)
  })

  it('does not fire more than 14 days ahead, or without a date', () => {
    const keys = [expiring(NOW + 14 * DAY + 1, { keyId: 'a' }), key({ keyId: 'b' })]
    expect(expiryRule(facts({ keys }), NOW)).toEqual([])
  })

  it('turns on as the injected clock reaches the 14-day window', () => {
    const keys = [expiring(NOW + 20 * DAY)]
    expect(expiryRule(facts({ keys }), NOW)).toHaveLength(0)
    expect(expiryRule(facts({ keys }), NOW + 6 * DAY)).toHaveLength(1)
  })
})
