import type { UsageCharts, UsageRange } from '@shared/contract/usage'
import type { DailyRow } from '../db/tables/usageDailyTable'
import { isFailure, type StoredUsageEvent } from '../db/tables/usageEventsTable'
import { DAY_MS, HOUR_MS, dayStart, hourStart, localDay } from './days'
import { addSample, decodeInto, percentile, type Histogram } from './latencyHistogram'

/** Series shown individually in the stacked bars; the rest are summed as "Other keys". */
export const TOP_KEYS = 7
/** "All" still has to fit on a chart: at most a year of days (the retention anyway). */
export const MAX_DAYS = 365

export interface BucketPlan {
  unit: 'hour' | 'day'
  /** Start of each bucket, oldest first. */
  starts: number[]
  /** For days: the local day number of the first bucket. */
  firstDay: number
  from: number
  to: number
}

/** 24 h per hour (ending with the current hour); longer ranges per local day, today last. */
export function planBuckets(
  range: UsageRange,
  now: number,
  firstDataDay: number | null
): BucketPlan {
  if (range === '24h') {
    const last = hourStart(now)
    const starts = Array.from({ length: 24 }, (_, i) => last - (23 - i) * HOUR_MS)
    return {
      unit: 'hour',
      starts,
      firstDay: localDay(starts[0]),
      from: starts[0],
      to: last + HOUR_MS
    }
  }
  const today = localDay(now)
  const wanted = range === '7d' ? 7 : range === '30d' ? 30 : MAX_DAYS
  let firstDay = today - wanted + 1
  if (range === 'all') firstDay = Math.max(firstDay, Math.min(firstDataDay ?? today, today - 6))
  const starts: number[] = []
  for (let day = firstDay; day <= today; day++) starts.push(dayStart(day))
  return { unit: 'day', starts, firstDay, from: starts[0], to: dayStart(today + 1) }
}

interface Cell {
  requests: number
  errors: number
  latency: Histogram
}

export interface KeyLabel {
  label: string
  accountId: string | null
}

/** Builds every chart series from per-day rollups (7 d, 30 d, all). */
export function chartsFromDaily(
  plan: BucketPlan,
  rows: DailyRow[],
  labelOf: (profileId: string, keyId: string) => string
): UsageCharts {
  const size = plan.starts.length
  const cells = Array.from({ length: size }, (): Cell => ({
    requests: 0,
    errors: 0,
    latency: new Map()
  }))
  const byKey = new Map<
    string,
    { profileId: string; keyId: string; counts: number[]; total: number }
  >()
  for (const row of rows) {
    const index = row.day - plan.firstDay
    if (index < 0 || index >= size) continue
    const cell = cells[index]
    cell.requests += row.requests
    cell.errors += row.errors
    decodeInto(cell.latency, row.latencyHist)
    countKey(byKey, row.profileId, row.keyId, index, row.requests, size)
  }
  return finish(plan, cells, byKey, labelOf)
}

/** Builds every chart series from raw events (24 h, per hour). */
export function chartsFromEvents(
  plan: BucketPlan,
  events: Iterable<StoredUsageEvent>,
  labelOf: (profileId: string, keyId: string) => string
): UsageCharts {
  const size = plan.starts.length
  const cells = Array.from({ length: size }, (): Cell => ({
    requests: 0,
    errors: 0,
    latency: new Map()
  }))
  const byKey = new Map<
    string,
    { profileId: string; keyId: string; counts: number[]; total: number }
  >()
  for (const event of events) {
    const index = Math.floor((event.at - plan.from) / HOUR_MS)
    if (index < 0 || index >= size) continue
    const cell = cells[index]
    cell.requests++
    if (isFailure(event)) cell.errors++
    if (event.latencyMs !== undefined && event.errorCode !== 'CANCELLED')
      addSample(cell.latency, event.latencyMs)
    countKey(byKey, event.profileId, event.keyId ?? '', index, 1, size)
  }
  return finish(plan, cells, byKey, labelOf)
}

function countKey(
  byKey: Map<string, { profileId: string; keyId: string; counts: number[]; total: number }>,
  profileId: string,
  keyId: string,
  index: number,
  count: number,
  size: number
): void {
  const id = `${profileId}\u0000${keyId}`
  let entry = byKey.get(id)
  if (!entry)
    byKey.set(id, (entry = { profileId, keyId, counts: new Array<number>(size).fill(0), total: 0 }))
  entry.counts[index] += count
  entry.total += count
}

function finish(
  plan: BucketPlan,
  cells: Cell[],
  byKey: Map<string, { profileId: string; keyId: string; counts: number[]; total: number }>,
  labelOf: (profileId: string, keyId: string) => string
): UsageCharts {
  const ranked = [...byKey.values()].sort((a, b) => b.total - a.total)
  const shown = ranked.slice(0, TOP_KEYS)
  const others = ranked.slice(TOP_KEYS)
  const requestsByKey: UsageCharts['requestsByKey'] = shown.map((entry) => ({
    keyId: entry.keyId,
    accountId: entry.profileId as string | null,
    label: labelOf(entry.profileId, entry.keyId),
    counts: entry.counts
  }))
  if (others.length > 0) {
    const counts = new Array<number>(cells.length).fill(0)
    for (const entry of others) entry.counts.forEach((n, i) => (counts[i] += n))
    requestsByKey.push({
      keyId: '*',
      accountId: null,
      label: `${others.length} other key${others.length === 1 ? '' : 's'}`,
      counts
    })
  }
  const total: Cell = { requests: 0, errors: 0, latency: new Map() }
  for (const cell of cells) {
    total.requests += cell.requests
    total.errors += cell.errors
    for (const [bucket, count] of cell.latency)
      total.latency.set(bucket, (total.latency.get(bucket) ?? 0) + count)
  }
  return {
    unit: plan.unit,
    buckets: plan.starts,
    requestsByKey,
    requests: cells.map((c) => c.requests),
    errors: cells.map((c) => c.errors),
    p50: cells.map((c) => percentile(c.latency, 0.5)),
    p95: cells.map((c) => percentile(c.latency, 0.95)),
    errorRate: cells.map((c) => (c.requests ? c.errors / c.requests : null)),
    totals: {
      requests: total.requests,
      errors: total.errors,
      errorRate: total.requests ? total.errors / total.requests : null,
      p50: percentile(total.latency, 0.5),
      p95: percentile(total.latency, 0.95)
    }
  }
}

export { DAY_MS }
