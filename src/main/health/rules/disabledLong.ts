import { STALE_AFTER_DAYS } from '@shared/keyKinds'
import type { AccountFacts } from '../facts'
import { DAY_MS, daysText, keyFinding, wholeDays, type FindingDraft } from '../finding'

/** Disabled for longer than the stale window: nobody has missed it, so it can go. */
export const DISABLED_LONG_DAYS = STALE_AFTER_DAYS

export function disabledLongRule(facts: AccountFacts, now: number): FindingDraft[] {
  const found: FindingDraft[] = []
  for (const key of facts.keys) {
    if (key.enabled || key.disabledSince === null) continue
    if (now - key.disabledSince <= DISABLED_LONG_DAYS * DAY_MS) continue
    found.push(
      keyFinding(key, 'disabledLong', {
        severity: 'low',
        title: `Disabled for ${daysText(wholeDays(now - key.disabledSince))}`,
        why: 'Nothing has needed this key for a month, yet anyone who can manage keys could turn it back on; deleting it ends that.',
        fixes: [{ action: 'delete' }],
        facts: { disabledSince: key.disabledSince }
      })
    )
  }
  return found
}
