import type { ReminderStage } from '../db/tables/expiryRemindersTable'
import { EXPIRY_WARNING_DAYS } from './rules/expiry'
import { DAY_MS } from './finding'

/** The reminders of an expiry date, earliest first, with how long before the date each is due. */
export const REMINDER_STAGES: readonly { stage: ReminderStage; before: number }[] = [
  { stage: '14d', before: EXPIRY_WARNING_DAYS * DAY_MS },
  { stage: '1d', before: DAY_MS },
  { stage: 'expired', before: 0 }
]

/** Every reminder stage whose time has come. */
export function stagesReached(expiresAt: number, now: number): ReminderStage[] {
  return REMINDER_STAGES.filter((s) => now >= expiresAt - s.before).map((s) => s.stage)
}

/**
 * The one reminder to send now: the most urgent stage reached and not yet sent. Earlier stages
 * that were skipped (the app was closed through them) are not sent late: one notification
 * saying where things stand beats three saying what used to be true.
 */
export function reminderDue(
  expiresAt: number,
  now: number,
  sent: ReadonlySet<ReminderStage>
): ReminderStage | null {
  const reached = stagesReached(expiresAt, now)
  const latest = reached[reached.length - 1]
  return latest && !sent.has(latest) ? latest : null
}

/** When this date next needs the watcher: its next stage's time; null when all have passed. */
export function nextDueAt(expiresAt: number, now: number): number | null {
  for (const { before } of REMINDER_STAGES) {
    const at = expiresAt - before
    if (at > now) return at
  }
  return null
}
