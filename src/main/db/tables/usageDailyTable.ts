import type { Database, Statement } from 'better-sqlite3'
import {
  addSample,
  decodeInto,
  encodeHistogram,
  mergeEncoded,
  type Histogram
} from '../../usage/latencyHistogram'

/** What a batch of events adds to one (day, account, key, kind) cell. */
export interface DailyDelta {
  day: number
  accountId: string
  /** '' for requests made without a stored key (account credential, pasted key). */
  keyId: string
  kind: 'query' | 'admin'
  requests: number
  errors: number
  latency: Histogram
}

export interface DailyFilter {
  fromDay: number
  toDay: number
  accountId: string | null
  keyId: string | null
  kind: 'query' | 'admin' | null
}

/** One bucket's totals (index = day number here, hour index for hourly data). */
export interface BucketTotals {
  index: number
  requests: number
  errors: number
  latencyHist: Buffer
}

export interface TopKey {
  accountId: string
  keyId: string
  total: number
  /** How many keys had requests in the range at all. */
  keyCount: number
}

export interface KeyCount {
  index: number
  accountId: string
  keyId: string
  requests: number
}

/**
 * Per-day rollups of usage events, kept on insert so charts read a few rows instead of a
 * million events. Two levels: per key (for the stacked bars and a chosen key) and per account
 * (totals, error rate and latency percentiles whatever the number of keys). The day comes first
 * in each key: every chart asks for a range of days. Counts and histograms only; no secrets.
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
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE usage_daily_totals (
      day INTEGER NOT NULL,
      profile_id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('query', 'admin')),
      requests INTEGER NOT NULL,
      errors INTEGER NOT NULL,
      latency_hist BLOB NOT NULL,
      PRIMARY KEY (day, profile_id, kind)
    ) STRICT, WITHOUT ROWID;`

  /**
   * Keys used for something other than a query (migration 6). Partial: it holds only those
   * rows, almost none, so recording usage does not pay for it and Health reads it at once.
   */
  static readonly otherUseIndexSql = `
    CREATE INDEX usage_daily_key_other_use ON usage_daily (profile_id, key_id)
    WHERE kind = 'admin' AND key_id <> '';`

  private readonly upsertKeyStmt: Statement<
    [number, string, string, string, number, number, Buffer]
  >
  private readonly upsertTotalStmt: Statement<[number, string, string, number, number, Buffer]>
  private readonly keyTotalsStmt: Statement<Record<string, string | number | null>, BucketTotals>
  private readonly accountTotalsStmt: Statement<
    Record<string, string | number | null>,
    BucketTotals
  >
  private readonly topKeysStmt: Statement<Record<string, string | number | null>, TopKey>
  private readonly keyCountsStmt: Statement<Record<string, string | number | null>, KeyCount>
  private readonly pruneKeysStmt: Statement<[number]>
  private readonly pruneTotalsStmt: Statement<[number]>
  private readonly firstDayStmt: Statement<[], { day: number | null }>
  private readonly otherUseStmt: Statement<[string], { key_id: string }>

  constructor(db: Database) {
    registerHistogramFunctions(db)
    // Histograms merge inside SQLite, so adding to a cell is one statement, not a read and a write.
    this.upsertKeyStmt = db.prepare(`
      INSERT INTO usage_daily (day, profile_id, key_id, kind, requests, errors, latency_hist)
      VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (day, profile_id, key_id, kind) DO UPDATE SET
        requests = requests + excluded.requests, errors = errors + excluded.errors,
        latency_hist = vkm_merge_histograms(latency_hist, excluded.latency_hist)`)
    this.upsertTotalStmt = db.prepare(`
      INSERT INTO usage_daily_totals (day, profile_id, kind, requests, errors, latency_hist)
      VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (day, profile_id, kind) DO UPDATE SET
        requests = requests + excluded.requests, errors = errors + excluded.errors,
        latency_hist = vkm_merge_histograms(latency_hist, excluded.latency_hist)`)
    const where = `day BETWEEN @from AND @to
        AND (@account IS NULL OR profile_id = @account)
        AND (@kind IS NULL OR kind = @kind)`
    this.keyTotalsStmt = db.prepare(`
      SELECT day AS "index", SUM(requests) AS requests, SUM(errors) AS errors,
        vkm_sum_histograms(latency_hist) AS latencyHist
      FROM usage_daily WHERE ${where} AND key_id = @key GROUP BY day`)
    this.accountTotalsStmt = db.prepare(`
      SELECT day AS "index", SUM(requests) AS requests, SUM(errors) AS errors,
        vkm_sum_histograms(latency_hist) AS latencyHist
      FROM usage_daily_totals WHERE ${where} GROUP BY day`)
    this.topKeysStmt = db.prepare(`
      SELECT profile_id AS accountId, key_id AS keyId, SUM(requests) AS total,
        COUNT(*) OVER () AS keyCount
      FROM usage_daily WHERE ${where} AND (@key IS NULL OR key_id = @key)
      GROUP BY profile_id, key_id ORDER BY total DESC, profile_id, key_id LIMIT @limit`)
    this.keyCountsStmt = db.prepare(`
      SELECT day AS "index", profile_id AS accountId, key_id AS keyId, SUM(requests) AS requests
      FROM usage_daily
      WHERE ${where} AND profile_id || char(0) || key_id IN (SELECT value FROM json_each(@keys))
      GROUP BY day, profile_id, key_id`)
    this.pruneKeysStmt = db.prepare('DELETE FROM usage_daily WHERE day < ?')
    this.pruneTotalsStmt = db.prepare('DELETE FROM usage_daily_totals WHERE day < ?')
    this.firstDayStmt = db.prepare('SELECT MIN(day) AS day FROM usage_daily_totals')
    this.otherUseStmt = db.prepare(
      "SELECT DISTINCT key_id FROM usage_daily WHERE profile_id = ? AND kind = 'admin' AND key_id <> ''"
    )
  }

  /** Adds deltas to their cells and to their account's totals. Call inside a transaction. */
  apply(deltas: Iterable<DailyDelta>): void {
    const totals = new Map<string, DailyDelta>()
    for (const delta of deltas) {
      const latency = encodeHistogram(delta.latency)
      this.upsertKeyStmt.run(
        delta.day,
        delta.accountId,
        delta.keyId,
        delta.kind,
        delta.requests,
        delta.errors,
        latency
      )
      const id = `${delta.day}\u0000${delta.accountId}\u0000${delta.kind}`
      const total = totals.get(id)
      if (!total) totals.set(id, { ...delta, latency: new Map(delta.latency) })
      else {
        total.requests += delta.requests
        total.errors += delta.errors
        for (const [bucket, n] of delta.latency)
          total.latency.set(bucket, (total.latency.get(bucket) ?? 0) + n)
      }
    }
    for (const total of totals.values()) {
      this.upsertTotalStmt.run(
        total.day,
        total.accountId,
        total.kind,
        total.requests,
        total.errors,
        encodeHistogram(total.latency)
      )
    }
  }

  /** Requests, errors and latency per day: from the account rows unless one key is chosen. */
  totals(filter: DailyFilter): BucketTotals[] {
    const params = this.params(filter)
    return filter.keyId === null
      ? this.accountTotalsStmt.all(params)
      : this.keyTotalsStmt.all(params)
  }

  /** The busiest keys of the range, with how many keys there were in all. */
  topKeys(filter: DailyFilter, limit: number): TopKey[] {
    return this.topKeysStmt.all({ ...this.params(filter), limit })
  }

  /** Requests per day of the given keys. */
  keyCounts(filter: DailyFilter, keys: { accountId: string; keyId: string }[]): KeyCount[] {
    if (keys.length === 0) return []
    return this.keyCountsStmt.all({
      ...this.params(filter),
      keys: JSON.stringify(keys.map((k) => `${k.accountId}\u0000${k.keyId}`))
    })
  }

  firstDay(): number | null {
    return this.firstDayStmt.get()?.day ?? null
  }

  /** Keys of the account whose own secret sent anything but a query (within retention). */
  keysWithOtherUse(accountId: string): Set<string> {
    return new Set(this.otherUseStmt.all(accountId).map((r) => r.key_id))
  }

  /** Days before `day` go; returns how many rows. Rollups are small: one statement each. */
  pruneBefore(day: number): number {
    return this.pruneKeysStmt.run(day).changes + this.pruneTotalsStmt.run(day).changes
  }

  private params(filter: DailyFilter): Record<string, string | number | null> {
    return {
      from: filter.fromDay,
      to: filter.toDay,
      account: filter.accountId,
      kind: filter.kind,
      key: filter.keyId
    }
  }
}

/**
 * `vkm_merge_histograms(a, b)` and the aggregate `vkm_sum_histograms(h)` over encoded latency
 * histograms, and `vkm_histogram(ms)` building one from raw latencies. Registered per connection.
 */
export function registerHistogramFunctions(db: Database): void {
  db.function('vkm_merge_histograms', { deterministic: true }, (a: unknown, b: unknown) =>
    mergeEncoded(a as Buffer | null, b as Buffer | null)
  )
  db.aggregate('vkm_sum_histograms', {
    start: () => new Map() as Histogram,
    step: (histogram: Histogram, encoded: unknown) => {
      decodeInto(histogram, encoded as Buffer | null)
    },
    result: (histogram: Histogram) => encodeHistogram(histogram)
  })
  db.aggregate('vkm_histogram', {
    start: () => new Map() as Histogram,
    step: (histogram: Histogram, latencyMs: unknown) => {
      if (typeof latencyMs === 'number') addSample(histogram, latencyMs)
    },
    result: (histogram: Histogram) => encodeHistogram(histogram)
  })
}
