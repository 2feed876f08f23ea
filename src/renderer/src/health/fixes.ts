import type { Finding, Fix, Severity } from '@shared/contract/health'

/** The button text of each fix: the words the issue and the Keys menu use. */
export function fixLabel(fix: Fix): string {
  switch (fix.action) {
    case 'disable':
      return 'Disable'
    case 'delete':
      return 'Delete…'
    case 'createQueryKey':
      return 'Create a Query key'
    case 'rotate':
      return fix.newKind === 'query' ? 'Rotate to a Query key…' : 'Rotate…'
    case 'extend':
      return 'Extend'
    case 'openRotation':
      return 'Open rotation'
  }
}

export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low']

export const SEVERITY_LABEL: Record<Severity, string> = {
  high: 'High',
  medium: 'Medium',
  low: 'Low'
}

/** One line per severity, for the group headings: what to do about this group. */
export const SEVERITY_HINT: Record<Severity, string> = {
  high: 'Fix these first: each can hurt you today.',
  medium: 'Worth fixing this week.',
  low: 'Tidy-ups, when you have a minute.'
}

/** What a finding is about, as its heading says it. */
export function subjectOf(finding: Finding): string {
  return finding.keyName ?? finding.corpusName ?? finding.corpusKey ?? ''
}

/** A stable key for lists that show several accounts. */
export function findingKey(finding: Finding): string {
  return `${finding.accountId}\u0000${finding.id}`
}

/** A name for the Query key "Create a Query key" suggests. */
export function suggestedQueryKeyName(finding: Finding): string {
  if (finding.corpusKey) return `${finding.corpusKey}-query`
  const base = (finding.keyName ?? 'new').replace(/\s+/g, '-').toLowerCase()
  return `${base}-query`.slice(0, 100)
}
