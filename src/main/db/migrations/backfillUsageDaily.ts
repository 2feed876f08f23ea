import type { Database } from 'better-sqlite3'
import { UsageDailyTable, type DailyDelta } from '../tables/usageDailyTable'
import type { UsageKind } from '../tables/usageEventsTable'
import { addToRollup } from '../../usage/rollup'

interface EventRow {
  at: number
  profile_id: string
  key_id: string | null
  kind: UsageKind
  action: string
  status: number | null
  latency_ms: number | null
  error_code: string | null
}

/** Builds `usage_daily` from existing events, streaming them so memory stays flat. */
export function backfillUsageDaily(db: Database): void {
  const deltas = new Map<string, DailyDelta>()
  const rows = db
    .prepare<[], EventRow>(
      'SELECT at, profile_id, key_id, kind, action, status, latency_ms, error_code FROM usage_events'
    )
    .iterate()
  for (const row of rows) {
    addToRollup(deltas, {
      at: row.at,
      accountId: row.profile_id,
      keyId: row.key_id ?? undefined,
      kind: row.kind,
      status: row.status ?? undefined,
      latencyMs: row.latency_ms ?? undefined,
      errorCode: row.error_code ?? undefined
    })
  }
  new UsageDailyTable(db).apply(deltas.values())
}
