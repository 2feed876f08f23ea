import type { DailyDelta } from '../db/tables/usageDailyTable'
import type { UsageEvent, UsageKind } from '../db/tables/usageEventsTable'
import { localDay } from './days'
import { addSample } from './latencyHistogram'

/**
 * What an event counts for: "last used" (use), the error rate (failure), and the per-day
 * rollups the charts read. Recording (`UsageEventsTable`) and the v3 backfill both apply them.
 */

/** A query sent with the key is use; a propagation probe is the app checking, not use. */
export function countsAsUse(event: Pick<UsageEvent, 'kind' | 'action'>): boolean {
  return event.kind === 'query' && event.action !== 'probe'
}

/** A failed request: an HTTP error, or no answer at all. Cancelling is the user's choice, not one. */
function isFailure(event: Pick<UsageEvent, 'status' | 'errorCode'>): boolean {
  if (event.errorCode === 'CANCELLED') return false
  return (event.status !== undefined && event.status >= 400) || event.errorCode !== undefined
}

export type RollupInput = Pick<
  UsageEvent,
  'at' | 'accountId' | 'keyId' | 'kind' | 'status' | 'latencyMs' | 'errorCode'
>

/** A cell with nothing counted yet. */
export function emptyDelta(
  day: number,
  accountId: string,
  keyId: string,
  kind: UsageKind
): DailyDelta {
  return { day, accountId, keyId, kind, requests: 0, errors: 0, latency: new Map() }
}

/** Counts one event into its cell: a request, maybe an error, maybe a latency sample. */
export function countInto(cell: DailyDelta, event: RollupInput): void {
  cell.requests++
  if (isFailure(event)) cell.errors++
  // A cancelled request's duration says how long the user waited, not how fast the API was.
  if (event.latencyMs !== undefined && event.errorCode !== 'CANCELLED')
    addSample(cell.latency, event.latencyMs)
}

/** Adds one event to per-day cells keyed by (day, account, key, kind) (used by the backfill). */
export function addToRollup(deltas: Map<string, DailyDelta>, event: RollupInput): void {
  const day = localDay(event.at)
  const keyId = event.keyId ?? ''
  const id = `${day}\u0000${event.accountId}\u0000${keyId}\u0000${event.kind}`
  let cell = deltas.get(id)
  if (!cell) deltas.set(id, (cell = emptyDelta(day, event.accountId, keyId, event.kind)))
  countInto(cell, event)
}
