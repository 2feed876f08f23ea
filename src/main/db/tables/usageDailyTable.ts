import type { Database, Statement } from 'better-sqlite3'
import {
  decodeInto,
  encodeHistogram,
  mergeInto,
  type Histogram
} from '../../usage/latencyHistogram'

/** What a batch of events adds to one (day, account, key, kind) cell. */
export interface DailyDelta {
  day: number
  profileId: string
  /** '' for requests made without a stored key (account credential, pasted key). */
  keyId: string
  kind: 'query' | 'admin'
  requests: number
  errors: number
  latency: Histogram
}

export interface DailyRow {
  day: number
  profileId: string
  keyId: string
  kind: 'query' | 'admin'
  requests: number
  errors: number
  latencyHist: Buffer
}

interface Row {
  day: number
  profile_id: string
  key_id: string
  kind: 'query' | 'admin'
  requests: number
  errors: number
  latency_hist: Buffer
}

export interface DailyFilter {
  fromDay: number
  toDay: number
  profileId: string | null
  keyId: string | null
  kind: 'query' | 'admin' | null
}

/**
 * Per-day rollups of usage events, kept on insert so a 30-day chart reads a few thousand small
 * rows instead of a million events. The day comes first in the key: every chart asks for a range
 * of days. Rows hold counts and a latency histogram only: nothing that could be a secret.
 */
export class UsageDailyTable {
  static readonly createSql = `
    CREATE TABLE usage_daily (
      day INTEGER NOT NULL,
      profile_id TEXT NOT NULL,
      key_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('query', 'admin')),
      requests INTEGER NOT NULL,
      errors INTEGER NOT NULL,
      latency_hist BLOB NOT NULL,
      PRIMARY KEY (day, profile_id, key_id, kind)
    ) STRICT, WITHOUT ROWID;`

  private readonly getStmt: Statement<[number, string, string, string], Row>
  private readonly upsertStmt: Statement<[Row]>
  private readonly rangeStmt: Statement<Record<string, string | number | null>, Row>
  private readonly pruneStmt: Statement<[number]>
  private readonly firstDayStmt: Statement<[], { day: number | null }>

  constructor(db: Database) {
    this.getStmt = db.prepare(
      'SELECT * FROM usage_daily WHERE day = ? AND profile_id = ? AND key_id = ? AND kind = ?'
    )
    this.upsertStmt = db.prepare(`
      INSERT INTO usage_daily (day, profile_id, key_id, kind, requests, errors, latency_hist)
      VALUES (@day, @profile_id, @key_id, @kind, @requests, @errors, @latency_hist)
      ON CONFLICT (day, profile_id, key_id, kind) DO UPDATE SET
        requests = excluded.requests, errors = excluded.errors, latency_hist = excluded.latency_hist`)
    this.rangeStmt = db.prepare(`
      SELECT * FROM usage_daily
      WHERE day BETWEEN @from AND @to
        AND (@profile IS NULL OR profile_id = @profile)
        AND (@key IS NULL OR key_id = @key)
        AND (@kind IS NULL OR kind = @kind)`)
    this.pruneStmt = db.prepare('DELETE FROM usage_daily WHERE day < ?')
    this.firstDayStmt = db.prepare('SELECT MIN(day) AS day FROM usage_daily')
  }

  /** Adds deltas to their cells. Call inside the caller's transaction. */
  apply(deltas: Iterable<DailyDelta>): void {
    for (const delta of deltas) {
      const existing = this.getStmt.get(delta.day, delta.profileId, delta.keyId, delta.kind)
      const latency: Histogram = new Map()
      if (existing) decodeInto(latency, existing.latency_hist)
      mergeInto(latency, delta.latency)
      this.upsertStmt.run({
        day: delta.day,
        profile_id: delta.profileId,
        key_id: delta.keyId,
        kind: delta.kind,
        requests: (existing?.requests ?? 0) + delta.requests,
        errors: (existing?.errors ?? 0) + delta.errors,
        latency_hist: encodeHistogram(latency)
      })
    }
  }

  range(filter: DailyFilter): DailyRow[] {
    return this.rangeStmt
      .all({
        from: filter.fromDay,
        to: filter.toDay,
        profile: filter.profileId,
        key: filter.keyId,
        kind: filter.kind
      })
      .map((row) => ({
        day: row.day,
        profileId: row.profile_id,
        keyId: row.key_id,
        kind: row.kind,
        requests: row.requests,
        errors: row.errors,
        latencyHist: row.latency_hist
      }))
  }

  firstDay(): number | null {
    return this.firstDayStmt.get()?.day ?? null
  }

  /** Days before `day` go; returns how many rows. Rollups are small: one statement is enough. */
  pruneBefore(day: number): number {
    return this.pruneStmt.run(day).changes
  }
}
