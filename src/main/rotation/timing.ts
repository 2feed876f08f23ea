import type { DeleteOld, DisableOld } from '@shared/contract/rotations'

export const HOUR_MS = 60 * 60 * 1000
export const DAY_MS = 24 * HOUR_MS

/** "Disable the old key": how long after the rotation starts; null waits for the user. */
export function disableDelayMs(choice: DisableOld): number | null {
  switch (choice) {
    case 'now':
      return 0
    case 'in_1h':
      return HOUR_MS
    case 'in_24h':
      return DAY_MS
    case 'on_confirm':
      return null
  }
}

/** "Delete the old key": the grace period after it is blocked; null keeps it. */
export function gracePeriodMs(choice: DeleteOld): number | null {
  switch (choice) {
    case 'after_7d':
      return 7 * DAY_MS
    case 'after_1d':
      return DAY_MS
    case 'never':
      return null
  }
}

/** `<old name> (rotated YYYY-MM-DD)`, the date in the machine's own time zone. */
export function defaultTwinName(oldName: string, now: number): string {
  const day = new Date(now)
  const date = [
    day.getFullYear(),
    String(day.getMonth() + 1).padStart(2, '0'),
    String(day.getDate()).padStart(2, '0')
  ].join('-')
  // A key rotated twice keeps one suffix, the latest: "x (rotated …) (rotated …)" helps no one.
  const base = oldName.replace(/ \(rotated \d{4}-\d{2}-\d{2}\)$/, '')
  return `${base} (rotated ${date})`.slice(0, 100)
}

/** How the new key is probed until it serves: quickly at first, then every 15 s, for 5 min. */
export const VERIFY_FIRST_DELAY_MS = 1_000
export const VERIFY_MAX_DELAY_MS = 15_000
export const VERIFY_LIMIT_MS = 5 * 60_000
