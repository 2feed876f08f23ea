import type { Database, Statement } from 'better-sqlite3'
import { localDay } from '../../usage/days'
import { countInto, countsAsUse, emptyDelta } from '../../usage/rollup'
import { WriteQueue } from '../writeQueue'
import {
  UsageDailyTable,
  type BucketTotals,
  type DailyDelta,
  type KeyCount,
  type TopKey
} from './usageDailyTable'

export type UsageKind = 'query' | 'admin'

/**
 * One request the app sent, or one admin action. It never holds a secret or a request body
 * that could contain one: only ids, the path, the outcome and timings.
 */
export interface UsageEvent {
  at: number
  accountId: string
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

export interface StoredUsageEvent extends UsageEvent {
  id: number
}

export interface UsageEventFilter {
  from: number
  to: number
  accountId: string | null
  /** null: every key; '': events without a key. */
  keyId: string | null
  kind: UsageKind | null
}

interface EventRow {
  id: number
  at: number
  ref: number
  op: number
  status: number | null
  latency_ms: number | null
  result_count: number | null
  error_code: string | null
}

interface Ref {
  accountId: string
  keyId: string
}

interface Op {
  kind: UsageKind
  action: string
  method: string
  path: string
}

/**
 * The usage history: up to a million rows, so each row is small. Who sent it (account + key)
 * and what it was (kind, action, method, path) repeat endlessly; they live once in two
 * dictionary tables and each event points at them by integer. Rollups per day and "last used"
 * per key are kept on insert, in the same transaction. The schema is built by migrations
 * (`migrations/usageEvents.ts`): it changed shape once, and both steps must stay as shipped.
 */
export class UsageEventsTable {
  private readonly dailyTable: UsageDailyTable
  private readonly queue: WriteQueue<UsageEvent>
  private readonly refs = new Map<number, Ref>()
  /** account id → key id → ref */
  private readonly refIds = new Map<string, Map<string, number>>()
  private readonly ops = new Map<number, Op>()
  private readonly opIds = new Map<string, number>()
  private lastOp?: Op & { id: number }
  private readonly insertStmt: Statement<
    [number, number, number, number | null, number | null, number | null, string | null]
  >
  private readonly touchStmt: Statement<[string, string, number]>
  private readonly lastUsedStmt: Statement<[string], [string, number]>
  private readonly addRefStmt: Statement<[string, string]>
  private readonly findRefStmt: Statement<[string, string], { ref: number }>
  private readonly allRefsStmt: Statement<[], { ref: number; profile_id: string; key_id: string }>
  private readonly addOpStmt: Statement<[string, string, string, string]>
  private readonly findOpStmt: Statement<[string, string, string, string], { op: number }>
  private readonly allOpsStmt: Statement<[], { op: number } & Op>
  private readonly pageStmt: Statement<Record<string, string | number | null>, EventRow>
  private readonly hourlyTotalsStmt: Statement<Record<string, string | number | null>, BucketTotals>
  private readonly hourlyTopStmt: Statement<
    Record<string, string | number | null>,
    { ref: number; total: number; keyCount: number }
  >
  private readonly hourlyCountsStmt: Statement<
    Record<string, string | number | null>,
    { index: number; ref: number; requests: number }
  >
  private readonly countStmt: Statement<[], { n: number; oldest: number | null }>
  private readonly pruneOldStmt: Statement<[number, number]>
  private readonly pruneOldestStmt: Statement<[number]>
  private readonly insertMany: (events: UsageEvent[]) => void

  constructor(db: Database, options: { onFlushError?: (error: unknown) => void } = {}) {
    this.dailyTable = new UsageDailyTable(db)
    this.queue = new WriteQueue((events) => this.insertMany(events), options.onFlushError)
    this.insertStmt = db.prepare(`
      INSERT INTO usage_events (at, ref, op, status, latency_ms, result_count, error_code)
      VALUES (?, ?, ?, ?, ?, ?, ?)`)
    this.touchStmt = db.prepare(`
      INSERT INTO key_last_used (profile_id, key_id, last_used_at) VALUES (?, ?, ?)
      ON CONFLICT(profile_id, key_id) DO UPDATE SET last_used_at = MAX(last_used_at, excluded.last_used_at)`)
    // [key id, time] pairs straight into a Map: for 10,000 keys, no row objects in between.
    this.lastUsedStmt = db
      .prepare<[string], [string, number]>(
        'SELECT key_id, last_used_at FROM key_last_used WHERE profile_id = ?'
      )
      .raw(true)
    // Another instance on the same file may have added an entry: insert-or-ignore, then read.
    this.addRefStmt = db.prepare(
      'INSERT INTO usage_refs (profile_id, key_id) VALUES (?, ?) ON CONFLICT DO NOTHING'
    )
    this.findRefStmt = db.prepare('SELECT ref FROM usage_refs WHERE profile_id = ? AND key_id = ?')
    this.allRefsStmt = db.prepare('SELECT ref, profile_id, key_id FROM usage_refs')
    this.addOpStmt = db.prepare(
      'INSERT INTO usage_ops (kind, action, method, path) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING'
    )
    this.findOpStmt = db.prepare(
      'SELECT op FROM usage_ops WHERE kind = ? AND action = ? AND method = ? AND path = ?'
    )
    this.allOpsStmt = db.prepare('SELECT op, kind, action, method, path FROM usage_ops')
    // Newest first from a (time, id) cursor. The filters arrive as sets of dictionary ids.
    this.pageStmt = db.prepare(`
      SELECT * FROM usage_events
      WHERE at >= @from AND at < @to
        AND (at < @before_at OR (at = @before_at AND id < @before_id))
        AND (@refs IS NULL OR ref IN (SELECT value FROM json_each(@refs)))
        AND (@ops IS NULL OR op IN (SELECT value FROM json_each(@ops)))
      ORDER BY at DESC, id DESC
      LIMIT @limit`)
    // Hourly charts (24 h) read events directly: at most a day of them, through the time index.
    const inRange = `at >= @from AND at < @to
        AND (@refs IS NULL OR ref IN (SELECT value FROM json_each(@refs)))
        AND (@ops IS NULL OR op IN (SELECT value FROM json_each(@ops)))`
    this.hourlyTotalsStmt = db.prepare(`
      SELECT CAST((at - @from) / 3600000 AS INTEGER) AS "index", COUNT(*) AS requests,
        SUM(CASE WHEN error_code IS 'CANCELLED' THEN 0
                 WHEN status >= 400 OR error_code IS NOT NULL THEN 1 ELSE 0 END) AS errors,
        vkm_histogram(CASE WHEN error_code IS 'CANCELLED' THEN NULL ELSE latency_ms END)
          AS latencyHist
      FROM usage_events WHERE ${inRange} GROUP BY 1`)
    this.hourlyTopStmt = db.prepare(`
      SELECT ref, COUNT(*) AS total, COUNT(*) OVER () AS keyCount
      FROM usage_events WHERE ${inRange} GROUP BY ref ORDER BY total DESC, ref LIMIT @limit`)
    this.hourlyCountsStmt = db.prepare(`
      SELECT CAST((at - @from) / 3600000 AS INTEGER) AS "index", ref, COUNT(*) AS requests
      FROM usage_events WHERE ${inRange} AND ref IN (SELECT value FROM json_each(@top))
      GROUP BY 1, ref`)
    this.countStmt = db.prepare('SELECT COUNT(*) AS n, MIN(at) AS oldest FROM usage_events')
    // Small batches in their own transactions: pruning never holds the write lock for long.
    this.pruneOldStmt = db.prepare(`
      DELETE FROM usage_events WHERE id IN (
        SELECT id FROM usage_events WHERE at < ? ORDER BY at LIMIT ?)`)
    this.pruneOldestStmt = db.prepare(`
      DELETE FROM usage_events WHERE id IN (
        SELECT id FROM usage_events ORDER BY at, id LIMIT ?)`)
    this.insertMany = db.transaction((events: UsageEvent[]) => this.insertBatch(events))
    this.loadDictionaries()
  }

  /** One event, its rollup and its key's "last used", in one transaction. */
  insert(event: UsageEvent): void {
    this.insertAll([event])
  }

  /** Many events in one transaction: one commit instead of thousands, rollups merged first. */
  insertAll(events: UsageEvent[]): void {
    this.flush()
    this.insertMany(events)
  }

  /**
   * Records an event on the next turn of the event loop, batched with any others: the request
   * that produced it is answered without waiting for a commit. Every read here flushes first,
   * so nothing reads around a pending event.
   */
  enqueue(event: UsageEvent): void {
    this.queue.push(event)
  }

  /** Writes pending events now (also before every read, and before the database closes). */
  flush(): void {
    this.queue.flush()
  }

  /** The per-day rollups, current up to the last recorded event. */
  get daily(): UsageDailyTable {
    this.flush()
    return this.dailyTable
  }

  /** When each key of an account last ran a query through the app (probes do not count). */
  lastUsedByKey(accountId: string): Map<string, number> {
    this.flush()
    return new Map(this.lastUsedStmt.all(accountId))
  }

  recent(limit: number): UsageEvent[] {
    return this.page(
      { from: 0, to: Number.MAX_SAFE_INTEGER, accountId: null, keyId: null, kind: null },
      limit
    ).map(({ id: _id, ...event }) => event)
  }

  /**
   * A page of events, newest first, strictly before the cursor: older than `before.at`, or at
   * that time with a smaller id (`id: 0` excludes that millisecond entirely).
   */
  page(
    filter: UsageEventFilter,
    limit: number,
    before: { at: number; id: number } = END
  ): StoredUsageEvent[] {
    this.flush()
    const refs = this.refsMatching(filter)
    const ops = this.opsMatching(filter)
    if ((refs && refs.length === 0) || (ops && ops.length === 0)) return []
    const rows = this.pageStmt.all({
      from: filter.from,
      to: filter.to,
      refs: refs ? JSON.stringify(refs) : null,
      ops: ops ? JSON.stringify(ops) : null,
      before_at: before.at,
      before_id: before.id,
      limit
    })
    return rows.map((row) => this.toEvent(row))
  }

  /** Every matching event, newest first, in pages so memory stays flat. */
  *iterate(filter: UsageEventFilter, batch = 5000): Generator<StoredUsageEvent> {
    let cursor = END
    for (;;) {
      const rows = this.page(filter, batch, cursor)
      yield* rows
      if (rows.length < batch) return
      const last = rows[rows.length - 1]
      cursor = { at: last.at, id: last.id }
    }
  }

  /** Requests, errors and latency per hour from `from` (hour index 0) up to `to`. */
  hourlyTotals(filter: UsageEventFilter): BucketTotals[] {
    const params = this.rangeParams(filter)
    return params ? this.hourlyTotalsStmt.all(params) : []
  }

  hourlyTopKeys(filter: UsageEventFilter, limit: number): TopKey[] {
    const params = this.rangeParams(filter)
    if (!params) return []
    return this.hourlyTopStmt
      .all({ ...params, limit })
      .map((row) => ({ ...this.refById(row.ref), total: row.total, keyCount: row.keyCount }))
  }

  hourlyKeyCounts(
    filter: UsageEventFilter,
    keys: { accountId: string; keyId: string }[]
  ): KeyCount[] {
    const params = this.rangeParams(filter)
    const refs = keys.flatMap((k) => {
      const ref = this.refIds.get(k.accountId)?.get(k.keyId)
      return ref === undefined ? [] : [ref]
    })
    if (!params || refs.length === 0) return []
    return this.hourlyCountsStmt
      .all({ ...params, top: JSON.stringify(refs) })
      .map((row) => ({ index: row.index, ...this.refById(row.ref), requests: row.requests }))
  }

  stats(): { events: number; oldestAt: number | null } {
    this.flush()
    const row = this.countStmt.get()!
    return { events: row.n, oldestAt: row.oldest }
  }

  /** Deletes up to `limit` events older than `cutoff`; returns how many went. */
  pruneOlderThan(cutoff: number, limit: number): number {
    this.flush()
    return this.pruneOldStmt.run(cutoff, limit).changes
  }

  /** Deletes the `limit` oldest events (the size cap). */
  pruneOldest(limit: number): number {
    return this.pruneOldestStmt.run(limit).changes
  }

  private insertBatch(events: UsageEvent[]): void {
    const lastUse = new Map<number, { accountId: string; keyId: string; at: number }>()
    // day → (ref * 2 + kind) → cell: numeric keys, so a large batch allocates no key strings.
    const cells = new Map<number, Map<number, DailyDelta>>()
    for (const event of events) {
      const keyId = event.keyId ?? ''
      const ref = this.refOf(event.accountId, keyId)
      this.insertStmt.run(
        event.at,
        ref,
        this.opOf(event),
        event.status ?? null,
        event.latencyMs ?? null,
        event.resultCount ?? null,
        event.errorCode ?? null
      )
      if (keyId && countsAsUse(event)) {
        const seen = lastUse.get(ref)
        if (!seen || seen.at < event.at)
          lastUse.set(ref, { accountId: event.accountId, keyId, at: event.at })
      }
      const day = localDay(event.at)
      let byCell = cells.get(day)
      if (!byCell) cells.set(day, (byCell = new Map()))
      const cellId = ref * 2 + (event.kind === 'query' ? 1 : 0)
      let cell = byCell.get(cellId)
      if (!cell) byCell.set(cellId, (cell = emptyDelta(day, event.accountId, keyId, event.kind)))
      countInto(cell, event)
    }
    for (const use of lastUse.values()) this.touchStmt.run(use.accountId, use.keyId, use.at)
    for (const byCell of cells.values()) this.dailyTable.apply(byCell.values())
  }

  private refOf(accountId: string, keyId: string): number {
    let byKey = this.refIds.get(accountId)
    if (!byKey) this.refIds.set(accountId, (byKey = new Map()))
    let ref = byKey.get(keyId)
    if (ref === undefined) {
      this.addRefStmt.run(accountId, keyId)
      ref = this.findRefStmt.get(accountId, keyId)!.ref
      byKey.set(keyId, ref)
      this.refs.set(ref, { accountId, keyId })
    }
    return ref
  }

  private opOf(event: Op): number {
    // Events of a batch mostly share one operation: compare with the last before building a name.
    const last = this.lastOp
    if (
      last &&
      last.kind === event.kind &&
      last.action === event.action &&
      last.method === event.method &&
      last.path === event.path
    )
      return last.id
    const name = `${event.kind}\u0000${event.action}\u0000${event.method}\u0000${event.path}`
    let op = this.opIds.get(name)
    if (op === undefined) {
      this.addOpStmt.run(event.kind, event.action, event.method, event.path)
      op = this.findOpStmt.get(event.kind, event.action, event.method, event.path)!.op
      this.opIds.set(name, op)
      this.ops.set(op, {
        kind: event.kind,
        action: event.action,
        method: event.method,
        path: event.path
      })
    }
    this.lastOp = {
      id: op,
      kind: event.kind,
      action: event.action,
      method: event.method,
      path: event.path
    }
    return op
  }

  private loadDictionaries(): void {
    for (const row of this.allRefsStmt.all()) {
      this.refs.set(row.ref, { accountId: row.profile_id, keyId: row.key_id })
      let byKey = this.refIds.get(row.profile_id)
      if (!byKey) this.refIds.set(row.profile_id, (byKey = new Map()))
      byKey.set(row.key_id, row.ref)
    }
    for (const row of this.allOpsStmt.all()) {
      const op = { kind: row.kind, action: row.action, method: row.method, path: row.path }
      this.ops.set(row.op, op)
      this.opIds.set(`${op.kind}\u0000${op.action}\u0000${op.method}\u0000${op.path}`, row.op)
    }
  }

  /** null when the filter does not narrow by account or key. */
  private refsMatching(filter: UsageEventFilter): number[] | null {
    if (filter.accountId === null && filter.keyId === null) return null
    const matching = (): number[] =>
      [...this.refs]
        .filter(([, ref]) => filter.accountId === null || ref.accountId === filter.accountId)
        .filter(([, ref]) => filter.keyId === null || ref.keyId === filter.keyId)
        .map(([id]) => id)
    const found = matching()
    if (found.length > 0) return found
    // Another instance on the same file may have added it since this one loaded.
    this.loadDictionaries()
    return matching()
  }

  private opsMatching(filter: UsageEventFilter): number[] | null {
    if (filter.kind === null) return null
    const matching = (): number[] =>
      [...this.ops].filter(([, op]) => op.kind === filter.kind).map(([id]) => id)
    const found = matching()
    if (found.length > 0) return found
    this.loadDictionaries()
    return matching()
  }

  /** Named parameters for a time range and filter; null when the filter matches nothing. */
  private rangeParams(filter: UsageEventFilter): Record<string, string | number | null> | null {
    this.flush()
    const refs = this.refsMatching(filter)
    const ops = this.opsMatching(filter)
    if ((refs && refs.length === 0) || (ops && ops.length === 0)) return null
    return {
      from: filter.from,
      to: filter.to,
      refs: refs ? JSON.stringify(refs) : null,
      ops: ops ? JSON.stringify(ops) : null
    }
  }

  private refById(ref: number): Ref {
    if (!this.refs.has(ref)) this.loadDictionaries()
    return this.refs.get(ref) ?? { accountId: '', keyId: '' }
  }

  private toEvent(row: EventRow): StoredUsageEvent {
    if (!this.refs.has(row.ref) || !this.ops.has(row.op)) this.loadDictionaries()
    const ref = this.refs.get(row.ref) ?? { accountId: '', keyId: '' }
    const op = this.ops.get(row.op) ?? { kind: 'admin', action: '?', method: '?', path: '?' }
    return {
      id: row.id,
      at: row.at,
      accountId: ref.accountId,
      ...(ref.keyId ? { keyId: ref.keyId } : {}),
      kind: op.kind,
      action: op.action,
      method: op.method,
      path: op.path,
      ...(row.status !== null ? { status: row.status } : {}),
      ...(row.latency_ms !== null ? { latencyMs: row.latency_ms } : {}),
      ...(row.result_count !== null ? { resultCount: row.result_count } : {}),
      ...(row.error_code !== null ? { errorCode: row.error_code } : {})
    }
  }
}

const END = { at: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER }
