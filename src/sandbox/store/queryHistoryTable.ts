import type { Database, Statement } from 'better-sqlite3'

export interface QueryHistoryEntry {
  id: string
  queryText: string
  /** Every corpus the query searched, in request order; the summary shows the first. */
  corpora: { seq: number; key: string }[]
  startedAt: number
  latencyMillis: number
  generation?: string
  factualConsistencyScore?: number
  /** The request as a QueryRequest object, and the pipeline spans, both as API JSON. */
  request: unknown
  spans: unknown[]
}

export interface StoredQueryHistory extends QueryHistoryEntry {
  seq: number
}

export interface QueryHistoryListQuery {
  /** Newest first: rows with a sequence number below this one. */
  before: number
  limit: number
  corpusKey?: string
  startedAfter?: number
  startedBefore?: number
  historyId?: string
  /** Only entries whose every corpus is in this set (a scoped key's view); absent = all. */
  visibleCorpora?: number[]
}

interface HistoryRow {
  seq: number
  id: string
  query_text: string
  corpora: string
  started_at: number
  latency_millis: number
  generation: string | null
  factual_consistency_score: number | null
  request: string
  spans: string
}

export class QueryHistoryTable {
  // Corpus keys are copied, not referenced: history outlives a deleted corpus, as an audit trail.
  static readonly createSql = `
    CREATE TABLE query_history (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      query_text TEXT NOT NULL,
      corpora TEXT NOT NULL,
      started_at INTEGER NOT NULL,
      latency_millis INTEGER NOT NULL,
      generation TEXT,
      factual_consistency_score REAL,
      request TEXT NOT NULL,
      spans TEXT NOT NULL
    ) STRICT;
    CREATE TABLE query_history_corpora (
      history_seq INTEGER NOT NULL REFERENCES query_history (seq) ON DELETE CASCADE,
      corpus_seq INTEGER NOT NULL,
      corpus_key TEXT NOT NULL,
      PRIMARY KEY (history_seq, corpus_seq)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX query_history_corpora_by_key ON query_history_corpora (corpus_key, history_seq);`

  private readonly insertStmt: Statement<Omit<HistoryRow, 'seq'>>
  private readonly insertCorpusStmt: Statement<[number, number, string]>
  private readonly byIdStmt: Statement<[string], HistoryRow>
  private readonly listStmt: Statement<Record<string, number | string | null>, HistoryRow>
  private readonly insertTx: (entry: QueryHistoryEntry) => void

  constructor(db: Database) {
    this.insertStmt = db.prepare(`
      INSERT INTO query_history (id, query_text, corpora, started_at, latency_millis, generation,
        factual_consistency_score, request, spans)
      VALUES (@id, @query_text, @corpora, @started_at, @latency_millis, @generation,
        @factual_consistency_score, @request, @spans)`)
    this.insertCorpusStmt = db.prepare(
      'INSERT OR IGNORE INTO query_history_corpora (history_seq, corpus_seq, corpus_key) VALUES (?, ?, ?)'
    )
    this.byIdStmt = db.prepare('SELECT * FROM query_history WHERE id = ?')
    this.listStmt = db.prepare(`
      SELECT * FROM query_history h
      WHERE h.seq < @before
        AND (@started_after IS NULL OR h.started_at > @started_after)
        AND (@started_before IS NULL OR h.started_at < @started_before)
        AND (@history_id IS NULL OR h.id = @history_id)
        AND (@corpus_key IS NULL OR EXISTS (
          SELECT 1 FROM query_history_corpora c WHERE c.history_seq = h.seq AND c.corpus_key = @corpus_key))
        AND (@visible IS NULL OR NOT EXISTS (
          SELECT 1 FROM query_history_corpora c WHERE c.history_seq = h.seq
            AND c.corpus_seq NOT IN (SELECT value FROM json_each(@visible))))
      ORDER BY h.seq DESC
      LIMIT @limit`)
    this.insertTx = db.transaction((entry: QueryHistoryEntry) => {
      const seq = Number(
        this.insertStmt.run({
          id: entry.id,
          query_text: entry.queryText,
          corpora: JSON.stringify(entry.corpora),
          started_at: entry.startedAt,
          latency_millis: entry.latencyMillis,
          generation: entry.generation ?? null,
          factual_consistency_score: entry.factualConsistencyScore ?? null,
          request: JSON.stringify(entry.request),
          spans: JSON.stringify(entry.spans)
        }).lastInsertRowid
      )
      for (const corpus of entry.corpora) this.insertCorpusStmt.run(seq, corpus.seq, corpus.key)
    })
  }

  insert(entry: QueryHistoryEntry): void {
    this.insertTx(entry)
  }

  byId(id: string): StoredQueryHistory | undefined {
    const row = this.byIdStmt.get(id)
    return row && toEntry(row)
  }

  /** `limit + 1` rows, newest first; the extra row signals another page. */
  list(query: QueryHistoryListQuery): StoredQueryHistory[] {
    return this.listStmt
      .all({
        before: query.before,
        limit: query.limit + 1,
        started_after: query.startedAfter ?? null,
        started_before: query.startedBefore ?? null,
        history_id: query.historyId ?? null,
        corpus_key: query.corpusKey ?? null,
        visible: query.visibleCorpora ? JSON.stringify(query.visibleCorpora) : null
      })
      .map(toEntry)
  }
}

function toEntry(row: HistoryRow): StoredQueryHistory {
  return {
    seq: row.seq,
    id: row.id,
    queryText: row.query_text,
    corpora: JSON.parse(row.corpora) as { seq: number; key: string }[],
    startedAt: row.started_at,
    latencyMillis: row.latency_millis,
    ...(row.generation !== null ? { generation: row.generation } : {}),
    ...(row.factual_consistency_score !== null
      ? { factualConsistencyScore: row.factual_consistency_score }
      : {}),
    request: JSON.parse(row.request) as unknown,
    spans: JSON.parse(row.spans) as unknown[]
  }
}
