import { isStale, labelOfKind } from '@shared/keyKinds'
import type { Severity } from '@shared/contract/health'
import type { KeyKind } from '@shared/contract/keys'
import type { AccountFacts } from '../facts'
import { daysText, keyFinding, wholeDays, type FindingDraft } from '../finding'

const SEVERITY: Record<KeyKind, Severity> = {
  personal: 'high',
  index: 'medium',
  query: 'low',
  unknown: 'low'
}

const WHAT_IT_CAN_DO: Record<KeyKind, string> = {
  personal: 'it can do anything you can on this account',
  index: 'it can add and delete documents',
  query: 'it can read its corpora',
  unknown: 'it still works'
}

/**
 * A live key with no recorded use in 30 days, or never used and known that long (`isStale`,
 * the rule the key list and Usage share). The app's own credential is in use by the app itself.
 */
export function staleRule(facts: AccountFacts, now: number): FindingDraft[] {
  const found: FindingDraft[] = []
  for (const key of facts.keys) {
    if (!key.enabled || key.accountCredential) continue
    if (!isStale(key.lastUsedAt, now, key.firstSeenAt)) continue
    const title =
      key.lastUsedAt === null
        ? `Never used in the ${daysText(wholeDays(now - key.firstSeenAt))} the app has known it`
        : `Not used in ${daysText(wholeDays(now - key.lastUsedAt))}`
    found.push(
      keyFinding(key, 'stale', {
        severity: SEVERITY[key.kind],
        title,
        why: `An unused ${labelOfKind(key.kind)} key that still works is risk with no benefit: ${WHAT_IT_CAN_DO[key.kind]}, and if it leaked nobody would notice.`,
        fixes: [{ action: 'disable' }, { action: 'delete' }],
        facts: { lastUsedAt: key.lastUsedAt }
      })
    )
  }
  return found
}
