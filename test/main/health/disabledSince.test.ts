import { describe, expect, it } from 'vitest'
import { reconcileDisabledSince } from '../../../src/main/health/disabledSince'
import { DAY, NOW } from './factsBuilder'

describe('reconcileDisabledSince', () => {
  it('gives a newly disabled key the audit time when the app disabled it, else now', () => {
    const result = reconcileDisabledSince(
      [
        { keyId: 'by-app', enabled: false },
        { keyId: 'elsewhere', enabled: false },
        { keyId: 'on', enabled: true }
      ],
      new Map(),
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

  it('keeps known times, and forgets keys enabled again or gone', () => {
    const result = reconcileDisabledSince(
      [
        { keyId: 'still-off', enabled: false },
        { keyId: 'back-on', enabled: true }
      ],
      new Map([
        ['still-off', NOW - 40 * DAY],
        ['back-on', NOW - 5 * DAY],
        ['deleted', NOW - 9 * DAY]
      ]),
      NOW,
      () => {
        throw new Error('a known key needs no audit lookup')
      }
    )
    expect(result.since).toEqual(new Map([['still-off', NOW - 40 * DAY]]))
    expect(result.add.size).toBe(0)
    expect(result.remove).toEqual(['back-on', 'deleted'])
  })

  it('writes nothing when nothing changed', () => {
    const result = reconcileDisabledSince(
      [{ keyId: 'off', enabled: false }],
      new Map([['off', NOW - DAY]]),
      NOW,
      () => undefined
    )
    expect([result.add.size, result.remove]).toEqual([0, []])
  })
})
