import { describe, expect, it } from 'vitest'
import {
  describeExpiry,
  draftOf,
  fromDateInput,
  presetExpiry,
  resolveExpiry,
  toDateInput
} from '@renderer/health/expiryDate'

// A local noon, so "today" is the same day whatever the time zone the tests run in.
const NOW = new Date(2026, 2, 15, 12, 0, 0).getTime()
const endOf = (y: number, m: number, d: number) => new Date(y, m, d, 23, 59, 59, 999).getTime()

describe('expiry dates', () => {
  it('counts presets in days from today, to the end of that day', () => {
    expect(presetExpiry(30, NOW)).toBe(endOf(2026, 3, 14))
    expect(presetExpiry(90, NOW)).toBe(endOf(2026, 5, 13))
    expect(presetExpiry(365, NOW)).toBe(endOf(2027, 2, 15))
  })

  it('reads and writes date inputs, refusing days that do not exist', () => {
    expect(toDateInput(NOW)).toBe('2026-03-15')
    expect(fromDateInput('2026-04-01')).toBe(endOf(2026, 3, 1))
    expect(fromDateInput('2026-02-30')).toBeNull()
    expect(fromDateInput('next week')).toBeNull()
  })

  it('resolves what the field holds, or says what is wrong', () => {
    expect(resolveExpiry({ choice: 'none', date: '', disableAtExpiry: true }, NOW)).toEqual({
      expiresAt: null
    })
    expect(resolveExpiry({ choice: '90', date: '', disableAtExpiry: false }, NOW)).toEqual({
      expiresAt: endOf(2026, 5, 13)
    })
    expect(resolveExpiry({ choice: 'date', date: '', disableAtExpiry: false }, NOW)).toEqual({
      error: 'Choose a date'
    })
    expect(
      resolveExpiry({ choice: 'date', date: '2026-03-01', disableAtExpiry: false }, NOW)
    ).toEqual({ error: 'Choose a date in the future' })
    // Today is still in the future until the day ends.
    expect(
      resolveExpiry({ choice: 'date', date: '2026-03-15', disableAtExpiry: false }, NOW)
    ).toEqual({ expiresAt: endOf(2026, 2, 15) })
  })

  it('starts the field from a key’s current date', () => {
    expect(draftOf({ at: endOf(2026, 5, 1), disableAtExpiry: true })).toEqual({
      choice: 'date',
      date: '2026-06-01',
      disableAtExpiry: true
    })
    expect(draftOf(undefined).choice).toBe('none')
  })

  it('says how soon: a date far off, the last two weeks and past dates in words', () => {
    expect(describeExpiry(endOf(2026, 5, 1), NOW)).toEqual({ text: 'in 78 days', tone: 'later' })
    expect(describeExpiry(endOf(2026, 2, 20), NOW)).toEqual({ text: 'in 5 days', tone: 'soon' })
    expect(describeExpiry(endOf(2026, 2, 16), NOW)).toEqual({ text: 'tomorrow', tone: 'soon' })
    expect(describeExpiry(endOf(2026, 2, 15), NOW)).toEqual({ text: 'today', tone: 'soon' })
    expect(describeExpiry(endOf(2026, 2, 12), NOW)).toEqual({
      text: 'expired 3d ago',
      tone: 'expired'
    })
  })
})
