import type { Database, Statement } from 'better-sqlite3'
import type { KeyKind } from '@shared/contract/keys'

/**
 * One playground request as the user made it: which key (id, name, masked form; never the
 * secret), which corpora, the query and its options, and how it went.
 */
export interface PlaygroundRecord {
  at: number
  accountId: string
  keyId: string | null
  keyName: string
  keyKind: KeyKind
  keyMasked: string | null
  corpusKeys: string[]
  query: string
  /** The form's options as JSON (validated by the caller). */
  options: unknown
  status: number | null
  latencyMs: number | null
  resultCount: number | null
  errorCode: string | null
  errorMessage: string | null
}

export interface StoredPlaygroundRecord extends PlaygroundRecord {
  id: number
  name: string | null
  savedAt: number | null
}

interface Row {
  id: number
  at: number
  profile_id: string
  key_id: string | null
  key_name: string
  key_kind: KeyKind
  key_masked: string | null
  corpora: string
  query: string
  options: string
  status: number | null
  latency_ms: number | null
  result_count: number | null
  error_code: string | null
  error_message: string | null
  name: string | null
  saved_at: number | null
}

export class PlaygroundHistoryTable {
  static readonly createSql = `
    CREATE TABLE playground_history (
      id INTEGER PRIMARY KEY,
      at INTEGER NOT NULL,
      profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
      key_id TEXT,
      key_name TEXT NOT NULL,
      key_kind TEXT NOT NULL,
      key_masked TEXT,
      corpora TEXT NOT NULL,
      query TEXT NOT NULL,
      options TEXT NOT NULL,
      status INTEGER,
      latency_ms REAL,
      result_count INTEGER,
      error_code TEXT,
      error_message TEXT,
      name TEXT,
      saved_at INTEGER
    ) STRICT;
    CREATE INDEX playground_history_by_profile ON playground_history (profile_id, at);`

  private readonly insertStmt: Statement<Omit<Row, 'id' | 'name' | 'saved_at'>>
  private readonly getStmt: Statement<[number], Row>
  private readonly listStmt: Statement<Record<string, string | number | null>, Row>
  private readonly savedStmt: Statement<Record<string, string | null>, Row>
  private readonly nameStmt: Statement<[string | null, number | null, number]>
  private readonly deleteStmt: Statement<[number]>
  private readonly clearStmt: Statement<[string]>
  private readonly clearAllStmt: Statement<[string]>
  private readonly pruneStmt: Statement<[number, number]>
  private readonly corporaByKeyStmt: Statement<[string], { key_id: string; corpora: string }>

  constructor(db: Database) {
    this.insertStmt = db.prepare(`
      INSERT INTO playground_history (at, profile_id, key_id, key_name, key_kind, key_masked,
        corpora, query, options, status, latency_ms, result_count, error_code, error_message)
      VALUES (@at, @profile_id, @key_id, @key_name, @key_kind, @key_masked, @corpora, @query,
        @options, @status, @latency_ms, @result_count, @error_code, @error_message)`)
    this.getStmt = db.prepare('SELECT * FROM playground_history WHERE id = ?')
    const matches = `(@search IS NULL
        OR query LIKE @search ESCAPE '\\' OR key_name LIKE @search ESCAPE '\\'
        OR corpora LIKE @search ESCAPE '\\' OR IFNULL(name, '') LIKE @search ESCAPE '\\')`
    this.listStmt = db.prepare(`
      SELECT * FROM playground_history
      WHERE profile_id = @account AND ${matches}
      ORDER BY at DESC, id DESC LIMIT @limit`)
    this.savedStmt = db.prepare(`
      SELECT * FROM playground_history
      WHERE profile_id = @account AND saved_at IS NOT NULL AND ${matches}
      ORDER BY name COLLATE NOCASE, id`)
    this.nameStmt = db.prepare('UPDATE playground_history SET name = ?, saved_at = ? WHERE id = ?')
    this.deleteStmt = db.prepare('DELETE FROM playground_history WHERE id = ?')
    this.clearStmt = db.prepare(
      'DELETE FROM playground_history WHERE profile_id = ? AND saved_at IS NULL'
    )
    this.clearAllStmt = db.prepare('DELETE FROM playground_history WHERE profile_id = ?')
    this.pruneStmt = db.prepare(`
      DELETE FROM playground_history WHERE id IN (
        SELECT id FROM playground_history WHERE saved_at IS NULL AND at < ? ORDER BY at LIMIT ?)`)
    this.corporaByKeyStmt = db.prepare(`
      SELECT DISTINCT key_id, corpora FROM playground_history
      WHERE profile_id = ? AND key_id IS NOT NULL AND status BETWEEN 200 AND 299`)
  }

  insert(record: PlaygroundRecord): number {
    return Number(
      this.insertStmt.run({
        at: record.at,
        profile_id: record.accountId,
        key_id: record.keyId,
        key_name: record.keyName,
        key_kind: record.keyKind,
        key_masked: record.keyMasked,
        corpora: JSON.stringify(record.corpusKeys),
        query: record.query,
        options: JSON.stringify(record.options),
        status: record.status,
        latency_ms: record.latencyMs,
        result_count: record.resultCount,
        error_code: record.errorCode,
        error_message: record.errorMessage
      }).lastInsertRowid
    )
  }

  get(id: number): StoredPlaygroundRecord | undefined {
    const row = this.getStmt.get(id)
    return row && toRecord(row)
  }

  /** Newest first; `search` matches query, key name, corpora or saved name, case-insensitively. */
  recent(accountId: string, search: string | undefined, limit: number): StoredPlaygroundRecord[] {
    return this.listStmt
      .all({ account: accountId, search: likePattern(search), limit })
      .map(toRecord)
  }

  saved(accountId: string, search: string | undefined): StoredPlaygroundRecord[] {
    return this.savedStmt.all({ account: accountId, search: likePattern(search) }).map(toRecord)
  }

  setName(id: number, name: string | null, at: number): void {
    this.nameStmt.run(name, name === null ? null : at, id)
  }

  delete(id: number): boolean {
    return this.deleteStmt.run(id).changes > 0
  }

  /** Unsaved entries only, unless `includeSaved`. */
  clear(accountId: string, includeSaved: boolean): number {
    return (includeSaved ? this.clearAllStmt : this.clearStmt).run(accountId).changes
  }

  /** key id → the corpora its successful playground queries asked (Health's fix prefill). */
  corporaByKey(accountId: string): Map<string, string[]> {
    const byKey = new Map<string, Set<string>>()
    for (const row of this.corporaByKeyStmt.all(accountId)) {
      let corpora = byKey.get(row.key_id)
      if (!corpora) byKey.set(row.key_id, (corpora = new Set()))
      for (const corpus of JSON.parse(row.corpora) as string[]) corpora.add(corpus)
    }
    return new Map([...byKey].map(([keyId, corpora]) => [keyId, [...corpora].sort()]))
  }

  /** Unsaved entries older than `cutoff`, at most `limit` of them. */
  pruneOlderThan(cutoff: number, limit: number): number {
    return this.pruneStmt.run(cutoff, limit).changes
  }
}

function likePattern(search: string | undefined): string | null {
  const trimmed = search?.trim()
  if (!trimmed) return null
  return `%${trimmed.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

function toRecord(row: Row): StoredPlaygroundRecord {
  return {
    id: row.id,
    at: row.at,
    accountId: row.profile_id,
    keyId: row.key_id,
    keyName: row.key_name,
    keyKind: row.key_kind,
    keyMasked: row.key_masked,
    corpusKeys: JSON.parse(row.corpora) as string[],
    query: row.query,
    options: JSON.parse(row.options) as unknown,
    status: row.status,
    latencyMs: row.latency_ms,
    resultCount: row.result_count,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    name: row.name,
    savedAt: row.saved_at
  }
}
