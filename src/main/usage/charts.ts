import type { UsageCharts, UsageRange } from '@shared/contract/usage'
import type { BucketTotals, KeyCount, TopKey } from '../db/tables/usageDailyTable'
import { HOUR_MS, dayStart, hourStart, localDay } from './days'
import { decodeInto, percentile, type Histogram } from './latencyHistogram'

/** Series shown individually in the stacked bars; the rest are summed as "other keys". */
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

/** What a chart needs from storage; `index` of each row is 0 for the first bucket. */
export interface ChartData {
  totals: BucketTotals[]
  top: TopKey[]
  keyCounts: KeyCount[]
}

export function buildCharts(
  plan: BucketPlan,
  data: ChartData,
  labelOf: (accountId: string, keyId: string) => string
): UsageCharts {
  const size = plan.starts.length
  const requests = new Array<number>(size).fill(0)
  const errors = new Array<number>(size).fill(0)
  const latency: Histogram[] = Array.from({ length: size }, () => new Map())
  const overall: Histogram = new Map()
  for (const row of data.totals) {
    if (row.index < 0 || row.index >= size) continue
    requests[row.index] += row.requests
    errors[row.index] += row.errors
    decodeInto(latency[row.index], row.latencyHist)
    decodeInto(overall, row.latencyHist)
  }
  const series = new Map<string, number[]>()
  for (const key of data.top)
    series.set(`${key.accountId}\u0000${key.keyId}`, new Array<number>(size).fill(0))
  for (const row of data.keyCounts) {
    const counts = series.get(`${row.accountId}\u0000${row.keyId}`)
    if (counts && row.index >= 0 && row.index < size) counts[row.index] += row.requests
  }
  const requestsByKey: UsageCharts['requestsByKey'] = data.top.map((key) => ({
    keyId: key.keyId,
    accountId: key.accountId as string | null,
    label: labelOf(key.accountId, key.keyId),
    counts: series.get(`${key.accountId}\u0000${key.keyId}`)!
  }))
  const otherKeys = (data.top[0]?.keyCount ?? 0) - data.top.length
  if (otherKeys > 0) {
    // Whatever the shown keys do not account for belongs to the others.
    const counts = requests.map((total, i) =>
      Math.max(0, total - requestsByKey.reduce((sum, s) => sum + s.counts[i], 0))
    )
    requestsByKey.push({
      keyId: '*',
      accountId: null,
      label: `${otherKeys} other key${otherKeys === 1 ? '' : 's'}`,
      counts
    })
  }
  const totalRequests = requests.reduce((a, b) => a + b, 0)
  const totalErrors = errors.reduce((a, b) => a + b, 0)
  return {
    unit: plan.unit,
    buckets: plan.starts,
    requestsByKey,
    requests,
    errors,
    p50: latency.map((h) => percentile(h, 0.5)),
    p95: latency.map((h) => percentile(h, 0.95)),
    errorRate: requests.map((n, i) => (n ? errors[i] / n : null)),
    totals: {
      requests: totalRequests,
      errors: totalErrors,
      errorRate: totalRequests ? totalErrors / totalRequests : null,
      p50: percentile(overall, 0.5),
      p95: percentile(overall, 0.95)
    }
  }
}
