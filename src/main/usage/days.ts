/**
 * Local calendar days and hours as plain numbers. Charts are read in the user's time zone, so a
 * request at 23:30 belongs to that evening, not to the UTC date.
 */
const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000
const QUARTER_MS = 900_000

let cachedQuarter = NaN
let cachedOffsetMs = 0

/** Days since 1970-01-01 in local time. */
export function localDay(at: number): number {
  // Offsets only change on a quarter hour (every zone's offset and switch time is a multiple of
  // 15 minutes): one Date per quarter hour of events, not per event.
  const quarter = Math.floor(at / QUARTER_MS)
  if (quarter !== cachedQuarter) {
    cachedQuarter = quarter
    cachedOffsetMs = new Date(at).getTimezoneOffset() * 60_000
  }
  return Math.floor((at - cachedOffsetMs) / DAY_MS)
}

/** The epoch ms of local midnight starting `day`. */
export function dayStart(day: number): number {
  const guess = day * DAY_MS
  // The offset at local midnight may differ from the one at UTC midnight (DST): settle it.
  const offsetMs = new Date(guess).getTimezoneOffset() * 60_000
  const start = guess + offsetMs
  const corrected = new Date(start).getTimezoneOffset() * 60_000
  return guess + corrected
}

/** Start of the local hour holding `at`. */
export function hourStart(at: number): number {
  const date = new Date(at)
  date.setMinutes(0, 0, 0)
  return date.getTime()
}

export { DAY_MS, HOUR_MS }
