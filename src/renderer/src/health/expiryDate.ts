/**
 * Expiry dates as the user picks them: a day, not an instant. A key set to expire "on 12 March"
 * works through that day (in the user's time zone) and expires at its end; the presets count
 * days from today the same way.
 */

const DAY_MS = 24 * 60 * 60 * 1000

export const EXPIRY_PRESETS = [30, 90, 365] as const
export type ExpiryPreset = (typeof EXPIRY_PRESETS)[number]

/** The last millisecond of the local day `at` falls on. */
export function endOfLocalDay(at: number): number {
  const day = new Date(at)
  day.setHours(23, 59, 59, 999)
  return day.getTime()
}

/** The end of the local day `days` days from `now`. */
export function presetExpiry(days: number, now: number): number {
  const day = new Date(now)
  day.setDate(day.getDate() + days)
  return endOfLocalDay(day.getTime())
}

/** `YYYY-MM-DD` of a time, local, for `<input type="date">`. */
export function toDateInput(at: number): string {
  const d = new Date(at)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`
}

/** The end of the local day an `<input type="date">` value names; null if it names none. */
export function fromDateInput(value: string): number | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value)
  if (!match) return null
  const [, y, m, d] = match.map(Number)
  const day = new Date(y, m - 1, d)
  if (day.getFullYear() !== y || day.getMonth() !== m - 1 || day.getDate() !== d) return null
  return endOfLocalDay(day.getTime())
}

/** Whole local days from today to the day of `at` (0: today, negative: past). */
export function daysUntil(at: number, now: number): number {
  const startOf = (t: number): number => {
    const d = new Date(t)
    d.setHours(0, 0, 0, 0)
    return d.getTime()
  }
  return Math.round((startOf(at) - startOf(now)) / DAY_MS)
}

export type ExpiryTone = 'expired' | 'soon' | 'later'

/** How the Keys table and Health say an expiry: "in 12 days", "today", "3 days ago". */
export function describeExpiry(at: number, now: number): { text: string; tone: ExpiryTone } {
  if (at <= now) {
    const ago = -daysUntil(at, now)
    return { text: ago <= 0 ? 'expired today' : `expired ${ago}d ago`, tone: 'expired' }
  }
  const days = daysUntil(at, now)
  if (days === 0) return { text: 'today', tone: 'soon' }
  if (days === 1) return { text: 'tomorrow', tone: 'soon' }
  return { text: `in ${days} days`, tone: days <= 14 ? 'soon' : 'later' }
}

/** The key "Set expiry…" and "Extend" work on. */
export interface ExpiryTarget {
  accountId: string
  keyId: string
  name: string
  expiry?: { at: number; disableAtExpiry: boolean }
  /** "Extend": start from a later preset rather than the current date. */
  extend?: boolean
}

/** What the expiry field holds: a preset, a date, or none. */
export type ExpiryChoice = 'none' | '30' | '90' | '365' | 'date'

export interface ExpiryDraft {
  choice: ExpiryChoice
  /** `YYYY-MM-DD`, used when `choice` is `date`. */
  date: string
  disableAtExpiry: boolean
}

export function emptyExpiryDraft(): ExpiryDraft {
  return { choice: 'none', date: '', disableAtExpiry: false }
}

/** The draft for a key's current expiry: its date, and its "Disable at expiry". */
export function draftOf(expiry: { at: number; disableAtExpiry: boolean } | undefined): ExpiryDraft {
  return expiry
    ? { choice: 'date', date: toDateInput(expiry.at), disableAtExpiry: expiry.disableAtExpiry }
    : emptyExpiryDraft()
}

/** The instant a draft means, or why it means none. */
export function resolveExpiry(
  draft: ExpiryDraft,
  now: number
): { expiresAt: number | null } | { error: string } {
  if (draft.choice === 'none') return { expiresAt: null }
  if (draft.choice !== 'date') return { expiresAt: presetExpiry(Number(draft.choice), now) }
  if (!draft.date) return { error: 'Choose a date' }
  const at = fromDateInput(draft.date)
  if (at === null) return { error: 'That is not a date' }
  if (at <= now) return { error: 'Choose a date in the future' }
  return { expiresAt: at }
}
