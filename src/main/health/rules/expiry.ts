import type { Fix, Severity } from '@shared/contract/health'
import type { AccountFacts } from '../facts'
import { DAY_MS, daysText, keyFinding, wholeDays, type FindingDraft } from '../finding'

/** How far ahead an expiry date becomes a finding (and the first reminder goes out). */
export const EXPIRY_WARNING_DAYS = 14

/** Expired, or expiring within 14 days. A key past its date that still works is high. */
export function expiryRule(facts: AccountFacts, now: number): FindingDraft[] {
  const found: FindingDraft[] = []
  for (const key of facts.keys) {
    const expiry = key.expiry
    if (!expiry) continue
    const left = expiry.at - now
    if (left > EXPIRY_WARNING_DAYS * DAY_MS) continue
    const expired = left <= 0
    let severity: Severity
    let title: string
    let why: string
    let fixes: Fix[]
    if (expired) {
      const ago = wholeDays(-left)
      title = ago === 0 ? 'Expired today' : `Expired ${daysText(ago)} ago`
      if (key.enabled) {
        severity = 'high'
        why = expiry.disableAtExpiry
          ? 'It passed the date you set and the app could not disable it yet: it still works for anyone who holds it.'
          : 'It passed the date you set for it to stop being used, and it still works for anyone who holds it.'
        fixes = [{ action: 'rotate' }, { action: 'extend' }]
      } else {
        severity = 'low'
        why =
          'It passed its date and is disabled; delete it, or give it a new date if it is still needed.'
        fixes = [{ action: 'delete' }, { action: 'extend' }]
      }
    } else {
      const days = Math.ceil(left / DAY_MS)
      title = days <= 1 ? 'Expires within a day' : `Expires in ${daysText(days)}`
      severity = left <= DAY_MS ? 'high' : 'medium'
      why = expiry.disableAtExpiry
        ? 'The app disables it on that date: rotate it before then, or whatever uses it stops working.'
        : 'Rotate it before its date so whatever uses it moves to a fresh key, or extend the date.'
      fixes = [{ action: 'rotate' }, { action: 'extend' }]
    }
    // A day closer is not a new fact; entering the last day, or passing the date, is.
    found.push(
      keyFinding(key, 'expiry', {
        severity,
        title,
        why,
        fixes,
        facts: { at: expiry.at, expired, lastDay: left <= DAY_MS, enabled: key.enabled }
      })
    )
  }
  return found
}
