import type { Finding, FindingGroup, FindingMatch, KeyStatus } from '@shared/contract/scan'
import { prefixOfKind } from '@shared/keyKinds'
import { sortText } from '@shared/sortText'
import type { FindingView } from '../../db/tables/scanFindingsTable'

/** Where the display of a finding's secret comes from: see ScanService on masks. */
export interface MaskSource {
  /** Masks of secrets read this session, by fingerprint (memory only). */
  masks: ReadonlyMap<string, string>
  /** The key the app itself signs in with, per account (when the key list showed it). */
  credentialKeyId(accountId: string): string | undefined
}

/** A stored finding as the renderer sees it: a masked secret, never the secret. */
export function toFinding(view: FindingView, source: MaskSource): Finding {
  return {
    id: view.id,
    path: view.path,
    folder: view.folderPath,
    line: view.line,
    column: view.column,
    masked: maskOf(view, source),
    kind: view.kind,
    context: view.context,
    foundAt: view.foundAt,
    ignored: view.ignoredAt !== null,
    match: matchOf(view, source)
  }
}

/**
 * The mask is prefix + last 4 of the secret. A matched key's own masked value (the key list
 * keeps it) is that same mask; otherwise the one computed when this session read the file.
 * After a restart an unknown key shows its prefix alone until its file is read again.
 */
function maskOf(view: FindingView, source: MaskSource): string {
  return source.masks.get(view.fingerprint) ?? view.keyMasked ?? `${prefixOfKind(view.kind) ?? ''}…`
}

function matchOf(view: FindingView, source: MaskSource): FindingMatch | null {
  if (view.accountId === null || view.accountName === null || view.matchedBy === null) return null
  const accountCredential =
    view.matchedBy === 'credential' ||
    (view.keyId !== null && source.credentialKeyId(view.accountId) === view.keyId)
  if (view.keyId === null) {
    return {
      accountId: view.accountId,
      accountName: view.accountName,
      keyId: null,
      keyName: 'Account credential',
      kind: view.kind,
      status: 'enabled',
      accountCredential: true
    }
  }
  return {
    accountId: view.accountId,
    accountName: view.accountName,
    keyId: view.keyId,
    keyName: view.keyName ?? view.keyId,
    kind: view.keyKind ?? view.kind,
    status: statusOf(view),
    accountCredential
  }
}

function statusOf(view: FindingView): KeyStatus {
  if (view.keyName === null) return 'unlisted'
  if (view.keyDeleted) return 'deleted'
  return view.keyEnabled === false ? 'disabled' : 'enabled'
}

/**
 * Findings grouped by key: the user's keys first (by account, then key name), then each unknown
 * secret on its own (the same secret in many files is one group).
 */
export function groupFindings(views: FindingView[], source: MaskSource): FindingGroup[] {
  const groups = new Map<string, FindingGroup>()
  const unknownIds = new Map<string, string>()
  for (const view of views) {
    const finding = toFinding(view, source)
    const id = groupIdOf(finding, view.fingerprint, unknownIds)
    let group = groups.get(id)
    if (!group) {
      group = {
        id,
        match: finding.match,
        masked: finding.masked,
        kind: finding.match?.kind ?? finding.kind,
        findings: []
      }
      groups.set(id, group)
    }
    group.findings.push(finding)
  }
  return [...groups.values()].sort(byGroup)
}

function groupIdOf(finding: Finding, fingerprint: string, unknownIds: Map<string, string>): string {
  const match = finding.match
  if (match?.keyId) return `key:${match.accountId}:${match.keyId}`
  if (match) return `credential:${match.accountId}`
  // A number, not the fingerprint: the renderer has no use for a hash of a secret.
  let id = unknownIds.get(fingerprint)
  if (!id) {
    id = `unknown:${unknownIds.size + 1}`
    unknownIds.set(fingerprint, id)
  }
  return id
}

function byGroup(a: FindingGroup, b: FindingGroup): number {
  if (!a.match || !b.match) return a.match ? -1 : b.match ? 1 : 0
  return (
    compare(a.match.accountName, b.match.accountName) || compare(a.match.keyName, b.match.keyName)
  )
}

function compare(a: string, b: string): number {
  const [x, y] = [sortText(a), sortText(b)]
  return x < y ? -1 : x > y ? 1 : 0
}
