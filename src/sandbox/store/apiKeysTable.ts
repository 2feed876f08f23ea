import type { Database, Statement } from 'better-sqlite3'
import type { KeyRole } from '../ids'

export const CORPUS_ROLES = ['owner', 'administrator', 'viewer', 'editor'] as const
export type CorpusRoleName = (typeof CORPUS_ROLES)[number]

export interface CorpusGrant {
  corpusSeq: number
  corpusKey: string
  role: CorpusRoleName
}

export interface ApiKeyRecord {
  seq: number
  id: string
  name: string
  secret: string
  role: KeyRole
  apiRoles: string[]
  /** What the admin API shows, changed at once by PATCH. */
  enabled: boolean
  /** The state requests saw just before the last change, until propagation completes. */
  enabledBeforeChange: boolean
  enabledChangedAt: number
  deletedAt: number | null
  createdAt: number
  grants: CorpusGrant[]
}

export type NewApiKey = Omit<
  ApiKeyRecord,
  'seq' | 'grants' | 'deletedAt' | 'enabledBeforeChange' | 'enabledChangedAt'
> & {
  grants: Omit<CorpusGrant, 'corpusKey'>[]
}

export interface ApiKeyListQuery {
  after: number
  limit: number
  role?: KeyRole
  corpusSeq?: number
}

interface ApiKeyRow {
  seq: number
  id: string
  name: string
  secret: string
  role: KeyRole
  api_roles: string
  enabled: number
  enabled_before_change: number
  enabled_changed_at: number
  deleted_at: number | null
  created_at: number
}

interface GrantRow {
  key_seq: number
  corpus_seq: number
  corpus_key: string
  role: CorpusRoleName
}

export class ApiKeysTable {
  static readonly createSql = `
    CREATE TABLE api_keys (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      secret TEXT NOT NULL UNIQUE,
      role TEXT NOT NULL CHECK (role IN ('personal', 'serving', 'serving_and_indexing')),
      api_roles TEXT NOT NULL DEFAULT '[]',
      enabled INTEGER NOT NULL,
      enabled_before_change INTEGER NOT NULL,
      enabled_changed_at INTEGER NOT NULL,
      deleted_at INTEGER,
      created_at INTEGER NOT NULL
    ) STRICT;
    CREATE TABLE api_key_corpora (
      key_seq INTEGER NOT NULL REFERENCES api_keys (seq) ON DELETE CASCADE,
      corpus_seq INTEGER NOT NULL REFERENCES corpora (seq) ON DELETE CASCADE,
      role TEXT NOT NULL CHECK (role IN ('owner', 'administrator', 'viewer', 'editor')),
      PRIMARY KEY (key_seq, corpus_seq)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX api_key_corpora_by_corpus ON api_key_corpora (corpus_seq, key_seq);`

  private readonly insertStmt: Statement<Omit<ApiKeyRow, 'seq' | 'deleted_at'>>
  private readonly grantStmt: Statement<[number, number, string]>
  private readonly byIdStmt: Statement<[string], ApiKeyRow>
  private readonly bySecretStmt: Statement<[string], ApiKeyRow>
  private readonly bySeqStmt: Statement<[number], ApiKeyRow>
  private readonly grantsStmt: Statement<[string], GrantRow>
  private readonly listStmt: Statement<
    { after: number; limit: number; role: string | null; corpus: number | null },
    ApiKeyRow
  >
  private readonly setEnabledStmt: Statement<{
    seq: number
    enabled: number
    before: number
    at: number
  }>
  private readonly deleteStmt: Statement<[number, number]>
  private readonly setSecretStmt: Statement<[string, number]>
  private readonly insertAllTx: (keys: NewApiKey[]) => void

  constructor(private readonly db: Database) {
    this.insertStmt = db.prepare(`
      INSERT INTO api_keys (id, name, secret, role, api_roles, enabled, enabled_before_change, enabled_changed_at, created_at)
      VALUES (@id, @name, @secret, @role, @api_roles, @enabled, @enabled_before_change, @enabled_changed_at, @created_at)`)
    this.grantStmt = db.prepare(
      'INSERT INTO api_key_corpora (key_seq, corpus_seq, role) VALUES (?, ?, ?)'
    )
    this.byIdStmt = db.prepare('SELECT * FROM api_keys WHERE id = ? AND deleted_at IS NULL')
    this.bySecretStmt = db.prepare('SELECT * FROM api_keys WHERE secret = ?')
    this.bySeqStmt = db.prepare('SELECT * FROM api_keys WHERE seq = ?')
    this.grantsStmt = db.prepare(`
      SELECT g.key_seq, g.corpus_seq, c.key AS corpus_key, g.role
      FROM api_key_corpora g JOIN corpora c ON c.seq = g.corpus_seq
      WHERE g.key_seq IN (SELECT value FROM json_each(?))
      ORDER BY g.key_seq, c.seq`)
    this.listStmt = db.prepare(`
      SELECT * FROM api_keys k
      WHERE k.seq > @after AND k.deleted_at IS NULL
        AND (@role IS NULL OR k.role = @role)
        AND (@corpus IS NULL OR EXISTS (
          SELECT 1 FROM api_key_corpora g WHERE g.key_seq = k.seq AND g.corpus_seq = @corpus))
      ORDER BY k.seq
      LIMIT @limit`)
    this.setEnabledStmt = db.prepare(`
      UPDATE api_keys SET enabled = @enabled, enabled_before_change = @before, enabled_changed_at = @at
      WHERE seq = @seq`)
    this.deleteStmt = db.prepare(
      'UPDATE api_keys SET deleted_at = ? WHERE seq = ? AND deleted_at IS NULL'
    )
    this.setSecretStmt = db.prepare('UPDATE api_keys SET secret = ? WHERE seq = ?')
    this.insertAllTx = db.transaction((keys: NewApiKey[]) => {
      for (const key of keys) this.insertOne(key)
    })
  }

  insert(key: NewApiKey): ApiKeyRecord {
    const seq = this.db.transaction(() => this.insertOne(key))()
    return this.withGrants([this.bySeqStmt.get(seq)!])[0]
  }

  /** Thousands of keys in one transaction (scale seeding): one commit instead of thousands. */
  insertAll(keys: NewApiKey[]): void {
    this.insertAllTx(keys)
  }

  /** A key the admin API can still see; deleted keys are gone from it at once. */
  liveById(id: string): ApiKeyRecord | undefined {
    const row = this.byIdStmt.get(id)
    return row && this.withGrants([row])[0]
  }

  /** Includes deleted keys: whether they still authenticate depends on propagation. */
  bySecret(secret: string): ApiKeyRecord | undefined {
    const row = this.bySecretStmt.get(secret)
    return row && this.withGrants([row])[0]
  }

  list(query: ApiKeyListQuery): ApiKeyRecord[] {
    const rows = this.listStmt.all({
      after: query.after,
      limit: query.limit,
      role: query.role ?? null,
      corpus: query.corpusSeq ?? null
    })
    return this.withGrants(rows)
  }

  /**
   * `effectiveBefore` is what requests saw at the moment of this change, so toggling twice
   * within one propagation window still ends in the right state.
   */
  setEnabled(seq: number, enabled: boolean, effectiveBefore: boolean, at: number): void {
    this.setEnabledStmt.run({ seq, enabled: Number(enabled), before: Number(effectiveBefore), at })
  }

  markDeleted(seq: number, at: number): boolean {
    return this.deleteStmt.run(at, seq).changes > 0
  }

  setSecret(seq: number, secret: string): void {
    this.setSecretStmt.run(secret, seq)
  }

  private insertOne(key: NewApiKey): number {
    const seq = Number(
      this.insertStmt.run({
        id: key.id,
        name: key.name,
        secret: key.secret,
        role: key.role,
        api_roles: JSON.stringify(key.apiRoles),
        enabled: Number(key.enabled),
        enabled_before_change: Number(key.enabled),
        enabled_changed_at: key.createdAt,
        created_at: key.createdAt
      }).lastInsertRowid
    )
    for (const grant of key.grants) this.grantStmt.run(seq, grant.corpusSeq, grant.role)
    return seq
  }

  private withGrants(rows: ApiKeyRow[]): ApiKeyRecord[] {
    if (rows.length === 0) return []
    const grants = new Map<number, CorpusGrant[]>()
    for (const g of this.grantsStmt.all(JSON.stringify(rows.map((r) => r.seq)))) {
      const list = grants.get(g.key_seq) ?? []
      list.push({ corpusSeq: g.corpus_seq, corpusKey: g.corpus_key, role: g.role })
      grants.set(g.key_seq, list)
    }
    return rows.map((row) => ({
      seq: row.seq,
      id: row.id,
      name: row.name,
      secret: row.secret,
      role: row.role,
      apiRoles: JSON.parse(row.api_roles) as string[],
      enabled: row.enabled === 1,
      enabledBeforeChange: row.enabled_before_change === 1,
      enabledChangedAt: row.enabled_changed_at,
      deletedAt: row.deleted_at,
      createdAt: row.created_at,
      grants: grants.get(row.seq) ?? []
    }))
  }
}
