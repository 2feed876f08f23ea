import { describe, expect, it } from 'vitest'
import { reconcileDisabledSince } from '../../../src/main/health/disabledSince'
import { DAY, NOW } from './factsBuilder'

describe('reconcileDisabledSince', () => {
  it('gives a newly disabled key the audit time when the app disabled it, else now', () => {
    const result = reconcileDisabledSince(
      [
        { keyId: 'by-app', enabled: false, disabledSince: null },
        { keyId: 'elsewhere', enabled: false, disabledSince: null },
        { keyId: 'on', enabled: true, disabledSince: null }
      ],
      NOW,
      (keyId) => (keyId === 'by-app' ? NOW - 3 * DAY : undefined)
    )
    expect(result.since).toEqual(
      new Map([
        ['by-app', NOW - 3 * DAY],
        ['elsewhere', NOW]
      ])
    )
    expect(result.add).toEqual(result.since)
    expect(result.remove).toEqual([])
  })

  it('keeps known times, and forgets the time of a key enabled again', () => {
    const result = reconcileDisabledSince(
      [
        { keyId: 'still-off', enabled: false, disabledSince: NOW - 40 * DAY },
        { keyId: 'back-on', enabled: true, disabledSince: NOW - 5 * DAY }
      ],
      NOW,
      () => {
        throw new Error('a known key needs no audit lookup')
      }
    )
    expect(result.since).toEqual(new Map([['still-off', NOW - 40 * DAY]]))
    expect(result.add.size).toBe(0)
    expect(result.remove).toEqual(['back-on'])
  })
})
