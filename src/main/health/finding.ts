import type { Finding, FindingRule, Fix, Severity } from '@shared/contract/health'
import { sortText } from '@shared/sortText'
import type { KeyFact } from './facts'

/** A finding as a rule makes it: without account names, with the facts it stands on. */
export interface FindingDraft extends Omit<Finding, 'accountId' | 'accountName' | 'dismissal'> {
  /**
   * The facts that made the rule fire, as plain data (never a secret). A dismissal keeps their
   * fingerprint; when they change, the finding comes back.
   */
  facts: unknown
}

export const DAY_MS = 24 * 60 * 60 * 1000

export function findingId(rule: FindingRule, subject: string): string {
  return `${rule}:${subject}`
}

/** The parts every finding about a key shares. */
export function keyFinding(
  key: KeyFact,
  rule: FindingRule,
  finding: { severity: Severity; title: string; why: string; fixes: Fix[]; facts: unknown }
): FindingDraft {
  return {
    id: findingId(rule, key.keyId),
    rule,
    keyId: key.keyId,
    keyName: key.name,
    keyKind: key.kind,
    keyEnabled: key.enabled,
    corpusKey: null,
    corpusName: null,
    ...finding
  }
}

/** Whole days between two times, rounded down: "45 days" means at least 45. */
export function wholeDays(ms: number): number {
  return Math.floor(ms / DAY_MS)
}

export function daysText(days: number): string {
  return days === 1 ? '1 day' : `${days} days`
}

/** "corpus-a, corpus-b and 3 more": a sentence names a few, not a thousand. */
export function corporaText(corpora: readonly string[], most = 3): string {
  if (corpora.length === 0) return 'no corpus'
  if (corpora.length <= most) {
    return corpora.length === 1
      ? corpora[0]
      : `${corpora.slice(0, -1).join(', ')} and ${corpora[corpora.length - 1]}`
  }
  return `${corpora.slice(0, most).join(', ')} and ${corpora.length - most} more`
}

const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2 }
const RULE_RANK: Record<FindingRule, number> = {
  foundInFiles: 0,
  expiry: 1,
  personalForQueries: 2,
  rotationWaiting: 3,
  stale: 4,
  indexForQueries: 5,
  disabledLong: 6,
  uncoveredCorpus: 7
}

/**
 * Most severe first; within a severity, the more urgent kinds of risk, then by account and name.
 * One sort key per finding (thousands at 10,000 keys), compared with plain `<`.
 */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  const accounts = new Map<string, string>()
  return findings
    .map((finding) => {
      let account = accounts.get(finding.accountName)
      if (account === undefined)
        accounts.set(finding.accountName, (account = sortText(finding.accountName)))
      return { finding, key: sortKey(finding, account) }
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map(({ finding }) => finding)
}

function sortKey(f: Finding, account: string): string {
  const name = sortText(f.keyName ?? f.corpusName ?? '')
  return `${SEVERITY_RANK[f.severity]}${RULE_RANK[f.rule]}${account}\u0000${name}\u0000${f.id}`
}
