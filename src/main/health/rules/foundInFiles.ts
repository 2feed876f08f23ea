import { labelOfKind } from '@shared/keyKinds'
import type { Fix, Severity } from '@shared/contract/health'
import type { AccountFacts, KeyFact } from '../facts'
import { keyFinding, type FindingDraft } from '../finding'

/**
 * A key whose secret the folder scanner found in files here. A Personal or Index secret in a
 * file is high: whoever reads the file can change data (or everything, for Personal).
 */
export function foundInFilesRule(facts: AccountFacts): FindingDraft[] {
  if (facts.fileFindings.length === 0) return []
  const keys = new Map<string, KeyFact>(facts.keys.map((k) => [k.keyId, k]))
  const found: FindingDraft[] = []
  for (const file of facts.fileFindings) {
    const key = keys.get(file.keyId)
    // A deleted key's secret opens nothing any more.
    if (!key || file.files <= 0) continue
    const kind = key.kind === 'unknown' ? file.kind : key.kind
    const fixes: Fix[] = [{ action: 'rotate' }]
    if (key.enabled) fixes.push({ action: 'disable' })
    found.push(
      keyFinding(key, 'foundInFiles', {
        severity: severityOf(kind, key.enabled),
        title: `Secret found in ${file.files === 1 ? '1 file' : `${file.files} files`} on this machine`,
        why: `${whoCan(kind)} Rotate it and keep the new secret out of files.`,
        fixes,
        facts: { files: file.files, kind, enabled: key.enabled }
      })
    )
  }
  return found
}

function severityOf(kind: string, enabled: boolean): Severity {
  if (!enabled) return 'low'
  return kind === 'personal' || kind === 'index' ? 'high' : 'medium'
}

function whoCan(kind: string): string {
  if (kind === 'personal') return 'Anyone who can read those files can act as you on this account.'
  if (kind === 'index') return 'Anyone who can read those files can add and delete documents.'
  if (kind === 'query') return 'Anyone who can read those files can query its corpora.'
  return `Anyone who can read those files can use this ${labelOfKind('unknown')} key.`
}
