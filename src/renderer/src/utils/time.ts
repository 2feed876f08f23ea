const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR

/** "just now", "4 min ago", "3 h ago", "yesterday", "12 days ago", "5 months ago". */
export function formatRelative(at: number, now: number): string {
  const ago = Math.max(0, now - at)
  if (ago < 45 * SECOND) return 'just now'
  if (ago < 90 * SECOND) return '1 min ago'
  if (ago < HOUR) return `${Math.round(ago / MINUTE)} min ago`
  if (ago < DAY) return `${Math.round(ago / HOUR)} h ago`
  if (ago < 2 * DAY) return 'yesterday'
  if (ago < 31 * DAY) return `${Math.floor(ago / DAY)} days ago`
  if (ago < 365 * DAY) {
    const months = Math.max(1, Math.floor(ago / (30 * DAY)))
    return months === 1 ? '1 month ago' : `${months} months ago`
  }
  const years = Math.floor(ago / (365 * DAY))
  return years === 1 ? '1 year ago' : `${years} years ago`
}

/** A short remaining time for countdowns: "about 45 s", "about 2 min". */
export function formatRemaining(ms: number): string {
  if (ms <= 0) return 'any moment'
  if (ms < 90 * SECOND) return `about ${Math.max(1, Math.ceil(ms / SECOND))} s`
  return `about ${Math.round(ms / MINUTE)} min`
}

/** Whole seconds left, for a ticking "28 s" label. */
export function secondsLeft(until: number, now: number): number {
  return Math.max(0, Math.ceil((until - now) / SECOND))
}

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const dayAndClock = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit'
})
const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

/** "10:42" today, "Mar 3, 10:42" on another day: a time alone would be ambiguous. */
export function formatClock(at: number, now: number = Date.now()): string {
  return new Date(at).toDateString() === new Date(now).toDateString()
    ? clock.format(at)
    : dayAndClock.format(at)
}

export function formatDate(at: number): string {
  return date.format(at)
}

export function formatDateTime(at: number): string {
  return dateTime.format(at)
}
