import { describe, expect, it } from 'vitest'
import { nextDueAt, reminderDue, stagesReached } from '../../../src/main/health/expiryPlan'
import { DAY, NOW } from './factsBuilder'

describe('expiry reminders', () => {
  const at = NOW + 20 * DAY

  it('reaches 14 days before, 1 day before and at the date', () => {
    expect(stagesReached(at, NOW)).toEqual([])
    expect(stagesReached(at, at - 14 * DAY)).toEqual(['14d'])
    expect(stagesReached(at, at - DAY)).toEqual(['14d', '1d'])
    expect(stagesReached(at, at)).toEqual(['14d', '1d', 'expired'])
  })

  it('sends the most urgent stage reached, once', () => {
    expect(reminderDue(at, at - 10 * DAY, new Set())).toBe('14d')
    expect(reminderDue(at, at - 10 * DAY, new Set(['14d']))).toBeNull()
    expect(reminderDue(at, at - 3_600_000, new Set(['14d']))).toBe('1d')
    // Closed through both earlier reminders: only "expired" goes out.
    expect(reminderDue(at, at + DAY, new Set())).toBe('expired')
    expect(reminderDue(at, at + DAY, new Set(['14d', '1d', 'expired']))).toBeNull()
  })

  it('knows when the watcher next has something to do', () => {
    expect(nextDueAt(at, NOW)).toBe(at - 14 * DAY)
    expect(nextDueAt(at, at - 14 * DAY)).toBe(at - DAY)
    expect(nextDueAt(at, at - DAY)).toBe(at)
    expect(nextDueAt(at, at)).toBeNull()
  })
})
