import type { Finding, FindingGroup } from '@shared/contract/scan'
import { labelOfKind } from '@shared/keyKinds'
import { sortText } from '@shared/sortText'

export type FindingColumn = 'file' | 'line' | 'key' | 'account' | 'kind' | 'status' | 'found'

export interface FindingSort {
  column: FindingColumn
  direction: 'asc' | 'desc'
}

/** What the Status column says of a finding: its key's state, or that it is none of yours. */
export function statusLabel(finding: Finding): string {
  return finding.match?.status ?? 'unknown key'
}

/** One comparable value per column; an unknown key sorts after every known one. */
function valueOf(finding: Finding, column: FindingColumn): string | number {
  switch (column) {
    case 'file':
      return sortText(finding.path)
    case 'line':
      return finding.line
    case 'key':
      return finding.match ? sortText(finding.match.keyName) : '\uffff'
    case 'account':
      return finding.match ? sortText(finding.match.accountName) : '\uffff'
    case 'kind':
      return labelOfKind(finding.match?.kind ?? finding.kind)
    case 'status':
      return statusLabel(finding)
    case 'found':
      return finding.foundAt
  }
}

function compareValues(a: string | number, b: string | number): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function compareFindings(a: Finding, b: Finding, sort: FindingSort): number {
  const sign = sort.direction === 'asc' ? 1 : -1
  return (
    sign * compareValues(valueOf(a, sort.column), valueOf(b, sort.column)) ||
    compareValues(a.path, b.path) ||
    a.line - b.line ||
    a.column - b.column
  )
}

/**
 * Findings stay grouped by key: each group's rows are sorted by the column, and the groups by
 * their first row, so sorting by file shows the group with the first file first. Ignored
 * findings are left out unless asked for; a group with none left goes too.
 */
export function sortFindingGroups(
  groups: readonly FindingGroup[],
  sort: FindingSort,
  showIgnored: boolean
): FindingGroup[] {
  const kept: FindingGroup[] = []
  for (const group of groups) {
    const findings = (showIgnored ? group.findings : group.findings.filter((f) => !f.ignored))
      .slice()
      .sort((a, b) => compareFindings(a, b, sort))
    if (findings.length) kept.push({ ...group, findings })
  }
  return kept.sort((a, b) => compareFindings(a.findings[0], b.findings[0], sort))
}

/** Distinct files among findings (a file with two secrets counts once). */
export function fileCount(findings: readonly Finding[]): number {
  return new Set(findings.map((f) => f.path)).size
}
