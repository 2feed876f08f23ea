import type { KeyKind } from '@shared/contract/keys'
import type { StoredScanFolder } from '../../db/tables/scanFoldersTable'
import type { ScanStampsTable } from '../../db/tables/scanStampsTable'
import type { NewFinding, ScanFindingsTable } from '../../db/tables/scanFindingsTable'
import type { FileStamp } from '../../scan'
import { folderOf } from './folderPath'
import type { SecretOwner } from './matcher'

/** A found secret once main has fingerprinted it: the secret itself is gone. */
export interface FingerprintedFinding {
  path: string
  line: number
  column: number
  kind: KeyKind
  context: string | null
  fingerprint: string
  fileSha256: string
}

export interface ScanRecord {
  found: FingerprintedFinding[]
  /** Every file read or found unchanged, with its stamp (ScanResult.files). */
  files: ReadonlyMap<string, FileStamp>
  /** Files not read again: their findings stay as they are. */
  unchanged: readonly string[]
  /** Every file the tables had a stamp for before this scan. */
  known: ReadonlyMap<string, FileStamp>
  folders: StoredScanFolder[]
  owners: ReadonlyMap<string, SecretOwner>
  now: number
}

export interface ScanRecorderDeps {
  stamps: ScanStampsTable
  findings: ScanFindingsTable
  transaction: (work: () => void) => void
}

/**
 * Writes a finished scan into SQLite in one transaction: files read again get their findings
 * anew, files that are gone (deleted, now skipped, or their folder removed) lose theirs, and
 * unchanged files keep theirs. A finding found again in the same file keeps its "found" time, and
 * its "Ignore" while the file's content (SHA-256) is what it was.
 */
export class ScanRecorder {
  constructor(private readonly deps: ScanRecorderDeps) {}

  /** Returns the accounts whose findings changed (their key lists' badges did). */
  record(scan: ScanRecord): Set<string> {
    const { findings } = this.deps
    const touched = new Set<string>()
    const unchanged = new Set(scan.unchanged)
    const foundByPath = new Map<string, FingerprintedFinding[]>()
    for (const finding of scan.found) {
      const list = foundByPath.get(finding.path)
      if (list) list.push(finding)
      else foundByPath.set(finding.path, [finding])
    }
    this.deps.transaction(() => {
      const withFindings = findings.paths()
      // Folders whose stamps changed: a file in them was read, or is gone.
      const changed = new Set<StoredScanFolder>()
      const forget = (path: string): void => {
        for (const old of findings.byPath(path)) if (old.accountId) touched.add(old.accountId)
        findings.deleteByPath(path)
      }
      for (const path of scan.known.keys()) {
        if (scan.files.has(path)) continue
        if (withFindings.has(path)) forget(path)
        const folder = folderOf(path, scan.folders)
        if (folder) changed.add(folder)
      }
      for (const path of scan.files.keys()) {
        if (unchanged.has(path)) continue
        const folder = folderOf(path, scan.folders)
        if (!folder) continue
        changed.add(folder)
        const fresh = foundByPath.get(path)
        if (!fresh && !withFindings.has(path)) continue
        const earlier = findings.byPath(path)
        forget(path)
        for (const finding of fresh ?? []) {
          const before = earlier.find((e) => e.fingerprint === finding.fingerprint)
          const owner =
            scan.owners.get(finding.fingerprint) ??
            (before?.accountId && before.matchedBy
              ? { accountId: before.accountId, keyId: before.keyId, by: before.matchedBy }
              : null)
          if (owner) touched.add(owner.accountId)
          findings.insert(newFinding(finding, folder.id, owner, before, scan.now))
        }
      }
      if (changed.size > 0) this.saveStamps(scan, changed)
      // Secrets found before and unknown then may be known now (a key pasted, an account added).
      for (const { id, fingerprint } of findings.unmatched()) {
        const owner = scan.owners.get(fingerprint)
        if (!owner) continue
        findings.setMatch(id, owner.accountId, owner.keyId, owner.by)
        touched.add(owner.accountId)
      }
    })
    return touched
  }

  /** Each changed folder's stamps, whole: the files read and those found unchanged. */
  private saveStamps(scan: ScanRecord, changed: Set<StoredScanFolder>): void {
    const byFolder = new Map<StoredScanFolder, [string, FileStamp][]>()
    for (const folder of changed) byFolder.set(folder, [])
    for (const entry of scan.files) {
      const folder = folderOf(entry[0], scan.folders)
      if (folder) byFolder.get(folder)?.push(entry)
    }
    for (const [folder, entries] of byFolder) this.deps.stamps.save(folder.id, folder.path, entries)
  }
}

function newFinding(
  finding: FingerprintedFinding,
  folderId: number,
  owner: SecretOwner | null,
  before: { foundAt: number; ignoredAt: number | null; fileSha256: string } | undefined,
  now: number
): NewFinding {
  return {
    folderId,
    path: finding.path,
    line: finding.line,
    column: finding.column,
    kind: finding.kind,
    context: finding.context,
    fingerprint: finding.fingerprint,
    fileSha256: finding.fileSha256,
    accountId: owner?.accountId ?? null,
    keyId: owner?.keyId ?? null,
    matchedBy: owner?.by ?? null,
    foundAt: before?.foundAt ?? now,
    // "Ignore" holds until the file's content changes.
    ignoredAt: before && before.fileSha256 === finding.fileSha256 ? before.ignoredAt : null
  }
}
