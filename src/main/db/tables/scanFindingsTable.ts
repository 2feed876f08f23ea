import type { Database, Statement } from 'better-sqlite3'
import type { KeyKind } from '@shared/contract/keys'

/** How a found secret was recognised: a key's own secret, or an account's sign-in credential. */
export type MatchedBy = 'key' | 'credential'

/**
 * Where a secret was found, and whose it is. Never the secret, nor its mask: its SHA-256
 * fingerprint is all that matching and "Ignore" need (see ScanService for how a finding is shown).
 */
export interface StoredFinding {
  id: number
  folderId: number
  path: string
  line: number
  column: number
  /** From the secret's prefix. */
  kind: KeyKind
  context: string | null
  /** SHA-256 (hex) of the secret. */
  fingerprint: string
  /** SHA-256 (hex) of the file's bytes when they were read: replaceInFile's expected content. */
  fileSha256: string
  accountId: string | null
  keyId: string | null
  matchedBy: MatchedBy | null
  foundAt: number
  /** Set while the user ignores it; cleared when the file's content changes. */
  ignoredAt: number | null
}

export type NewFinding = Omit<StoredFinding, 'id'>

/** A finding with what the other tables say about its folder, account and key. */
export interface FindingView extends StoredFinding {
  folderPath: string
  accountName: string | null
  keyName: string | null
  keyKind: KeyKind | null
  keyEnabled: boolean | null
  keyDeleted: boolean
  /** The key's masked secret as the key list keeps it (`zqt_…Ab3d`). */
  keyMasked: string | null
}

interface FindingRow {
  id: number
  folder_id: number
  path: string
  line: number
  col: number
  kind: KeyKind
  context: string | null
  fingerprint: string
  file_sha256: string
  profile_id: string | null
  key_id: string | null
  matched_by: MatchedBy | null
  found_at: number
  ignored_at: number | null
}

interface ViewRow extends FindingRow {
  folder_path: string
  account_name: string | null
  key_name: string | null
  key_kind: KeyKind | null
  key_enabled: number | null
  key_deleted_at: number | null
  key_masked: string | null
}

const VIEW_SQL = `
  SELECT f.*, d.path AS folder_path, p.name AS account_name, k.name AS key_name,
    k.kind AS key_kind, k.enabled AS key_enabled, k.deleted_at AS key_deleted_at,
    k.masked_secret AS key_masked
  FROM scan_findings f
  JOIN scan_folders d ON d.id = f.folder_id
  LEFT JOIN profiles p ON p.id = f.profile_id
  LEFT JOIN key_cache k ON k.profile_id = f.profile_id AND k.key_id = f.key_id`

export class ScanFindingsTable {
  static readonly createSql = `
    CREATE TABLE scan_findings (
      id INTEGER PRIMARY KEY,
      folder_id INTEGER NOT NULL REFERENCES scan_folders(id) ON DELETE CASCADE,
      path TEXT NOT NULL,
      line INTEGER NOT NULL,
      col INTEGER NOT NULL,
      kind TEXT NOT NULL,
      context TEXT,
      fingerprint TEXT NOT NULL CHECK (length(fingerprint) = 64),
      file_sha256 TEXT NOT NULL CHECK (length(file_sha256) = 64),
      profile_id TEXT REFERENCES profiles(id) ON DELETE SET NULL,
      key_id TEXT,
      matched_by TEXT CHECK (matched_by IN ('key', 'credential')),
      found_at INTEGER NOT NULL,
      ignored_at INTEGER
    ) STRICT;
    CREATE INDEX scan_findings_by_path ON scan_findings (path);
    CREATE INDEX scan_findings_by_key ON scan_findings (profile_id, key_id);`

  private readonly allStmt: Statement<[], ViewRow>
  private readonly getStmt: Statement<[number], ViewRow>
  private readonly byPathStmt: Statement<[string], FindingRow>
  private readonly byKeyStmt: Statement<[string, string], ViewRow>
  private readonly insertStmt: Statement<[Omit<FindingRow, 'id'>]>
  private readonly deleteByPathStmt: Statement<[string]>
  private readonly ignoreStmt: Statement<[number | null, number]>
  private readonly unmatchedStmt: Statement<[], { id: number; fingerprint: string }>
  private readonly matchStmt: Statement<[string, string | null, MatchedBy, number]>
  private readonly countsStmt: Statement<[string], { key_id: string; files: number }>
  private readonly kindsStmt: Statement<[string], { key_id: string; kind: KeyKind; files: number }>
  private readonly activeStmt: Statement<[], { n: number }>
  private readonly afterReplaceStmt: Statement<
    [string, string, string | null, string | null, MatchedBy | null, string, string]
  >
  private readonly fileShaStmt: Statement<[string, string]>
  private readonly pathsStmt: Statement<[], { path: string }>

  constructor(db: Database) {
    this.allStmt = db.prepare(`${VIEW_SQL} ORDER BY f.path, f.line, f.col`)
    this.getStmt = db.prepare(`${VIEW_SQL} WHERE f.id = ?`)
    this.byPathStmt = db.prepare('SELECT * FROM scan_findings WHERE path = ?')
    this.byKeyStmt = db.prepare(
      `${VIEW_SQL} WHERE f.profile_id = ? AND f.key_id = ? ORDER BY f.path, f.line, f.col`
    )
    this.insertStmt = db.prepare(`
      INSERT INTO scan_findings (folder_id, path, line, col, kind, context, fingerprint,
        file_sha256, profile_id, key_id, matched_by, found_at, ignored_at)
      VALUES (@folder_id, @path, @line, @col, @kind, @context, @fingerprint, @file_sha256,
        @profile_id, @key_id, @matched_by, @found_at, @ignored_at)`)
    this.deleteByPathStmt = db.prepare('DELETE FROM scan_findings WHERE path = ?')
    this.ignoreStmt = db.prepare('UPDATE scan_findings SET ignored_at = ? WHERE id = ?')
    this.unmatchedStmt = db.prepare(
      'SELECT id, fingerprint FROM scan_findings WHERE profile_id IS NULL'
    )
    this.matchStmt = db.prepare(
      'UPDATE scan_findings SET profile_id = ?, key_id = ?, matched_by = ? WHERE id = ?'
    )
    this.countsStmt = db.prepare(`
      SELECT key_id, COUNT(DISTINCT path) AS files FROM scan_findings
      WHERE profile_id = ? AND key_id IS NOT NULL GROUP BY key_id`)
    // For Health: a finding the user chose to Ignore is not a risk to report there.
    this.kindsStmt = db.prepare(`
      SELECT key_id, MIN(kind) AS kind, COUNT(DISTINCT path) AS files FROM scan_findings
      WHERE profile_id = ? AND key_id IS NOT NULL AND ignored_at IS NULL GROUP BY key_id`)
    this.activeStmt = db.prepare('SELECT COUNT(*) AS n FROM scan_findings WHERE ignored_at IS NULL')
    this.afterReplaceStmt = db.prepare(`
      UPDATE scan_findings SET fingerprint = ?, file_sha256 = ?, profile_id = ?, key_id = ?,
        matched_by = ?, ignored_at = NULL
      WHERE path = ? AND fingerprint = ?`)
    this.fileShaStmt = db.prepare('UPDATE scan_findings SET file_sha256 = ? WHERE path = ?')
    this.pathsStmt = db.prepare('SELECT DISTINCT path FROM scan_findings')
  }

  all(): FindingView[] {
    return this.allStmt.all().map(toView)
  }

  get(id: number): FindingView | undefined {
    const row = this.getStmt.get(id)
    return row && toView(row)
  }

  byPath(path: string): StoredFinding[] {
    return this.byPathStmt.all(path).map(toFinding)
  }

  /** Every file with a finding. */
  paths(): Set<string> {
    return new Set(this.pathsStmt.all().map((r) => r.path))
  }

  forKey(accountId: string, keyId: string): FindingView[] {
    return this.byKeyStmt.all(accountId, keyId).map(toView)
  }

  /** Call inside the caller's transaction. */
  insert(finding: NewFinding): number {
    return Number(this.insertStmt.run(toRow(finding)).lastInsertRowid)
  }

  deleteByPath(path: string): void {
    this.deleteByPathStmt.run(path)
  }

  setIgnored(id: number, at: number | null): void {
    this.ignoreStmt.run(at, id)
  }

  /** Findings of no known key yet: a later scan may learn whose they are. */
  unmatched(): { id: number; fingerprint: string }[] {
    return this.unmatchedStmt.all()
  }

  setMatch(id: number, accountId: string, keyId: string | null, by: MatchedBy): void {
    this.matchStmt.run(accountId, keyId, by, id)
  }

  /** Distinct files per key of the account (a file with the key twice counts once). */
  fileCountsByKey(accountId: string): Map<string, number> {
    return new Map(this.countsStmt.all(accountId).map((r) => [r.key_id, r.files]))
  }

  /**
   * Per key: the kind its secret's prefix says, and the distinct files it was found in, leaving
   * out findings the user ignored (Health's port).
   */
  fileFindingsByKey(accountId: string): { keyId: string; kind: KeyKind; files: number }[] {
    return this.kindsStmt
      .all(accountId)
      .map((r) => ({ keyId: r.key_id, kind: r.kind, files: r.files }))
  }

  activeCount(): number {
    return this.activeStmt.get()?.n ?? 0
  }

  /**
   * After "Replace in files" wrote a file: its findings of the old secret are the new secret's
   * now, and every finding in it records the new content's SHA-256.
   */
  replaced(
    path: string,
    oldFingerprint: string,
    newFingerprint: string,
    newSha256: string,
    match: { accountId: string; keyId: string | null; by: MatchedBy } | null
  ): void {
    this.afterReplaceStmt.run(
      newFingerprint,
      newSha256,
      match?.accountId ?? null,
      match?.keyId ?? null,
      match?.by ?? null,
      path,
      oldFingerprint
    )
    this.fileShaStmt.run(newSha256, path)
  }
}

function toRow(f: NewFinding): Omit<FindingRow, 'id'> {
  return {
    folder_id: f.folderId,
    path: f.path,
    line: f.line,
    col: f.column,
    kind: f.kind,
    context: f.context,
    fingerprint: f.fingerprint,
    file_sha256: f.fileSha256,
    profile_id: f.accountId,
    key_id: f.keyId,
    matched_by: f.matchedBy,
    found_at: f.foundAt,
    ignored_at: f.ignoredAt
  }
}

function toFinding(row: FindingRow): StoredFinding {
  return {
    id: row.id,
    folderId: row.folder_id,
    path: row.path,
    line: row.line,
    column: row.col,
    kind: row.kind,
    context: row.context,
    fingerprint: row.fingerprint,
    fileSha256: row.file_sha256,
    accountId: row.profile_id,
    keyId: row.key_id,
    matchedBy: row.matched_by,
    foundAt: row.found_at,
    ignoredAt: row.ignored_at
  }
}

function toView(row: ViewRow): FindingView {
  return {
    ...toFinding(row),
    folderPath: row.folder_path,
    accountName: row.account_name,
    keyName: row.key_name,
    keyKind: row.key_kind,
    keyEnabled: row.key_enabled === null ? null : row.key_enabled === 1,
    keyDeleted: row.key_deleted_at !== null,
    keyMasked: row.key_masked
  }
}
