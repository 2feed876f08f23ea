import type { Database, Statement } from 'better-sqlite3'

export type UsageKind = 'query' | 'admin'

/**
 * One request the app sent, or one admin action. It never holds a secret or a request body
 * that could contain one: only ids, the path, the outcome and timings.
 */
export interface UsageEvent {
  at: number
  profileId: string
  keyId?: string
  kind: UsageKind
  action: string
  method: string
  path: string
  status?: number
  latencyMs?: number
  resultCount?: number
  errorCode?: string
}

interface UsageEventRow {
  id: number
  at: number
  profile_id: string
  key_id: string | null
  kind: UsageKind
  action: string
  method: string
  path: string
  status: number | null
  latency_ms: number | null
  result_count: number | null
  error_code: string | null
}

type UsageInsert = Omit<UsageEventRow, 'id'>

export class UsageEventsTable {
  static readonly createSql = `
    CREATE TABLE usage_events (
      id INTEGER PRIMARY KEY,
      at INTEGER NOT NULL,
      profile_id TEXT NOT NULL,
      key_id TEXT,
      kind TEXT NOT NULL CHECK (kind IN ('query', 'admin')),
      action TEXT NOT NULL,
      method TEXT NOT NULL,
      path TEXT NOT NULL,
      status INTEGER,
      latency_ms REAL,
      result_count INTEGER,
      error_code TEXT
    ) STRICT;
    CREATE INDEX usage_events_by_key ON usage_events (profile_id, key_id, at);
    CREATE INDEX usage_events_by_time ON usage_events (at);
    -- "Last used" per key, kept on insert so the key list never scans the history.
    CREATE TABLE key_last_used (
      profile_id TEXT NOT NULL,
      key_id TEXT NOT NULL,
      last_used_at INTEGER NOT NULL,
      PRIMARY KEY (profile_id, key_id)
    ) STRICT, WITHOUT ROWID;`

  private readonly insertStmt: Statement<[UsageInsert]>
  private readonly touchStmt: Statement<[string, string, number]>
  private readonly lastUsedStmt: Statement<[string], { key_id: string; last_used_at: number }>
  private readonly recentStmt: Statement<[number], UsageEventRow>
  private readonly insertMany: (events: UsageEvent[]) => void

  constructor(db: Database) {
    this.insertStmt = db.prepare(`
      INSERT INTO usage_events (at, profile_id, key_id, kind, action, method, path, status, latency_ms, result_count, error_code)
      VALUES (@at, @profile_id, @key_id, @kind, @action, @method, @path, @status, @latency_ms, @result_count, @error_code)`)
    this.recentStmt = db.prepare('SELECT * FROM usage_events ORDER BY at DESC, id DESC LIMIT ?')
    this.touchStmt = db.prepare(`
      INSERT INTO key_last_used (profile_id, key_id, last_used_at) VALUES (?, ?, ?)
      ON CONFLICT(profile_id, key_id) DO UPDATE SET last_used_at = MAX(last_used_at, excluded.last_used_at)`)
    this.lastUsedStmt = db.prepare(
      'SELECT key_id, last_used_at FROM key_last_used WHERE profile_id = ?'
    )
    this.insertMany = db.transaction((events: UsageEvent[]) => {
      for (const event of events) this.insertOne(event)
    })
  }

  insert(event: UsageEvent): void {
    this.insertOne(event)
  }

  /** When each key of an account last ran a query through the app (probes do not count). */
  lastUsedByKey(profileId: string): Map<string, number> {
    return new Map(this.lastUsedStmt.all(profileId).map((r) => [r.key_id, r.last_used_at]))
  }

  private insertOne(event: UsageEvent): void {
    this.insertStmt.run(toRow(event))
    if (event.keyId && countsAsUse(event))
      this.touchStmt.run(event.profileId, event.keyId, event.at)
  }

  /** Many events in one transaction: one fsync instead of thousands. */
  insertAll(events: UsageEvent[]): void {
    this.insertMany(events)
  }

  recent(limit: number): UsageEvent[] {
    return this.recentStmt.all(limit).map(toEvent)
  }
}

/** A query sent with the key is use; a propagation probe is the app checking, not use. */
export function countsAsUse(event: Pick<UsageEvent, 'kind' | 'action'>): boolean {
  return event.kind === 'query' && event.action !== 'probe'
}

function toRow(event: UsageEvent): UsageInsert {
  return {
    at: event.at,
    profile_id: event.profileId,
    key_id: event.keyId ?? null,
    kind: event.kind,
    action: event.action,
    method: event.method,
    path: event.path,
    status: event.status ?? null,
    latency_ms: event.latencyMs ?? null,
    result_count: event.resultCount ?? null,
    error_code: event.errorCode ?? null
  }
}

function toEvent(row: UsageEventRow): UsageEvent {
  return {
    at: row.at,
    profileId: row.profile_id,
    keyId: row.key_id ?? undefined,
    kind: row.kind,
    action: row.action,
    method: row.method,
    path: row.path,
    status: row.status ?? undefined,
    latencyMs: row.latency_ms ?? undefined,
    resultCount: row.result_count ?? undefined,
    errorCode: row.error_code ?? undefined
  }
}
