import type { Database, Statement } from 'better-sqlite3'

/** One entry of Vectara's server-side query history (`GET /v2/queries`), cached locally. */
export interface RemoteQuery {
  accountId: string
  id: string
  startedAt: number
  corpusKey: string | null
  query: string | null
  latencyMs: number | null
  factualConsistencyScore: number | null
}

interface Row {
  profile_id: string
  id: string
  started_at: number
  corpus_key: string | null
  query: string | null
  latency_ms: number | null
  factual_consistency_score: number | null
  synced_at: number
}

export interface RemoteFilter {
  from: number
  to: number
  accountId: string | null
}

export class RemoteQueriesTable {
  static readonly createSql = `
    CREATE TABLE remote_queries (
      profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
      id TEXT NOT NULL,
      started_at INTEGER NOT NULL,
      corpus_key TEXT,
      query TEXT,
      latency_ms REAL,
      factual_consistency_score REAL,
      synced_at INTEGER NOT NULL,
      PRIMARY KEY (profile_id, id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX remote_queries_by_time ON remote_queries (started_at);`

  private readonly upsertStmt: Statement<[Row]>
  private readonly existsStmt: Statement<[string, string], { n: number }>
  private readonly latestStmt: Statement<[string], { latest: number | null; n: number }>
  private readonly pageStmt: Statement<Record<string, string | number | null>, Row>
  private readonly pruneStmt: Statement<[number, number]>
  private readonly upsertMany: (rows: RemoteQuery[], at: number) => number

  constructor(db: Database) {
    this.upsertStmt = db.prepare(`
      INSERT INTO remote_queries (profile_id, id, started_at, corpus_key, query, latency_ms,
        factual_consistency_score, synced_at)
      VALUES (@profile_id, @id, @started_at, @corpus_key, @query, @latency_ms,
        @factual_consistency_score, @synced_at)
      ON CONFLICT (profile_id, id) DO UPDATE SET started_at = excluded.started_at,
        corpus_key = excluded.corpus_key, query = excluded.query, latency_ms = excluded.latency_ms,
        factual_consistency_score = excluded.factual_consistency_score, synced_at = excluded.synced_at`)
    this.existsStmt = db.prepare(
      'SELECT COUNT(*) AS n FROM remote_queries WHERE profile_id = ? AND id = ?'
    )
    this.latestStmt = db.prepare(
      'SELECT MAX(started_at) AS latest, COUNT(*) AS n FROM remote_queries WHERE profile_id = ?'
    )
    this.pageStmt = db.prepare(`
      SELECT * FROM remote_queries
      WHERE started_at >= @from AND started_at < @to
        AND (started_at < @before_at OR (started_at = @before_at AND id < @before_id))
        AND (@account IS NULL OR profile_id = @account)
      ORDER BY started_at DESC, id DESC
      LIMIT @limit`)
    this.pruneStmt = db.prepare(`
      DELETE FROM remote_queries WHERE (profile_id, id) IN (
        SELECT profile_id, id FROM remote_queries WHERE started_at < ? ORDER BY started_at LIMIT ?)`)
    this.upsertMany = db.transaction((rows: RemoteQuery[], at: number) => {
      let added = 0
      for (const row of rows) {
        if (this.existsStmt.get(row.accountId, row.id)!.n === 0) added++
        this.upsertStmt.run({
          profile_id: row.accountId,
          id: row.id,
          started_at: row.startedAt,
          corpus_key: row.corpusKey,
          query: row.query,
          latency_ms: row.latencyMs,
          factual_consistency_score: row.factualConsistencyScore,
          synced_at: at
        })
      }
      return added
    })
  }

  /** Returns how many were new. */
  upsertAll(rows: RemoteQuery[], at: number): number {
    return this.upsertMany(rows, at)
  }

  /** The newest `started_at` cached for an account: the next sync asks only for later ones. */
  latest(accountId: string): { latest: number | null; count: number } {
    const row = this.latestStmt.get(accountId)!
    return { latest: row.latest, count: row.n }
  }

  page(
    filter: RemoteFilter,
    limit: number,
    before: { at: number; id: string } = { at: Number.MAX_SAFE_INTEGER, id: '\uffff' }
  ): RemoteQuery[] {
    return this.pageStmt
      .all({
        from: filter.from,
        to: filter.to,
        account: filter.accountId,
        before_at: before.at,
        before_id: before.id,
        limit
      })
      .map((row) => ({
        accountId: row.profile_id,
        id: row.id,
        startedAt: row.started_at,
        corpusKey: row.corpus_key,
        query: row.query,
        latencyMs: row.latency_ms,
        factualConsistencyScore: row.factual_consistency_score
      }))
  }

  pruneOlderThan(cutoff: number, limit: number): number {
    return this.pruneStmt.run(cutoff, limit).changes
  }
}
