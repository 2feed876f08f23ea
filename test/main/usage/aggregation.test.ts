import { describe, expect, it } from 'vitest'
import {
  bucketOf,
  bucketValue,
  decodeHistogram,
  encodeHistogram,
  percentile,
  type Histogram
} from '../../../src/main/usage/latencyHistogram'
import { dayStart, localDay } from '../../../src/main/usage/days'
import { TOP_KEYS } from '../../../src/main/usage/charts'
import { cacheKey, event, usageFixture } from './usageFixture'

const HOUR = 3_600_000
const DAY = 86_400_000

function exactPercentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)]
}

describe('latency histogram', () => {
  it('puts every latency in a bucket whose value is within 5% of it', () => {
    for (const ms of [1, 1.5, 3, 9.99, 42, 250, 1234, 30_000]) {
      const value = bucketValue(bucketOf(ms))
      expect(Math.abs(value - ms) / ms).toBeLessThanOrEqual(0.05)
    }
    expect(bucketOf(0.2)).toBe(0)
    expect(bucketOf(Number.NaN)).toBe(0)
  })

  it('answers p50 and p95 within 5% of the exact nearest-rank percentiles', () => {
    let seed = 7
    const random = (): number => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646
    const values = Array.from({ length: 5000 }, () => 5 + 400 * random() ** 3)
    const histogram: Histogram = new Map()
    for (const v of values) histogram.set(bucketOf(v), (histogram.get(bucketOf(v)) ?? 0) + 1)
    for (const p of [0.5, 0.95]) {
      const exact = exactPercentile(values, p)
      expect(Math.abs(percentile(histogram, p)! - exact) / exact).toBeLessThanOrEqual(0.055)
    }
    expect(percentile(new Map(), 0.5)).toBeNull()
  })

  it('round-trips through its compact encoding', () => {
    const histogram: Histogram = new Map([
      [3, 2],
      [40, 1],
      [12, 9]
    ])
    const encoded = encodeHistogram(histogram)
    expect(encoded.byteLength).toBe(24)
    expect(decodeHistogram(encoded)).toEqual(histogram)
  })
})

describe('charts', () => {
  it('counts requests per day by key, with p50/p95 and the error rate per day', () => {
    const f = usageFixture()
    cacheKey(f, 'acc-a', 'aky_web', 'website-search')
    cacheKey(f, 'acc-a', 'aky_bot', 'support-bot')
    const today = localDay(f.clock.now)
    const noonOf = (day: number): number => dayStart(day) + 12 * HOUR
    const events = [
      // Two days ago: the website key, 10 requests at 10..100 ms, one a 401.
      ...Array.from({ length: 10 }, (_, i) =>
        event({
          at: noonOf(today - 2) + i,
          keyId: 'aky_web',
          latencyMs: (i + 1) * 10,
          status: i === 9 ? 401 : 200
        })
      ),
      // Today: 3 website, 1 bot, 1 admin call without a key, 1 cancelled (not an error).
      event({ at: noonOf(today), keyId: 'aky_web', latencyMs: 20 }),
      event({ at: noonOf(today) + 1, keyId: 'aky_web', latencyMs: 20 }),
      event({ at: noonOf(today) + 2, keyId: 'aky_web', latencyMs: 200, status: 500 }),
      event({ at: noonOf(today) + 3, keyId: 'aky_bot', latencyMs: 40 }),
      event({
        at: noonOf(today) + 4,
        kind: 'admin',
        action: 'apiKeys.list',
        method: 'GET',
        path: '/v2/api_keys'
      }),
      event({ at: noonOf(today) + 5, keyId: 'aky_bot', latencyMs: 9000, errorCode: 'CANCELLED' })
    ]
    f.usage.insertAll(events)

    const charts = f.service.charts({ accountId: 'acc-a', keyId: null, kind: 'all', range: '7d' })
    expect(charts.unit).toBe('day')
    expect(charts.buckets).toHaveLength(7)
    expect(charts.buckets[6]).toBe(dayStart(today))
    expect(charts.requests).toEqual([0, 0, 0, 0, 10, 0, 6])
    expect(charts.errors).toEqual([0, 0, 0, 0, 1, 0, 1])
    expect(charts.errorRate[4]).toBeCloseTo(0.1)
    expect(charts.errorRate[6]).toBeCloseTo(1 / 6)
    expect(charts.errorRate[5]).toBeNull()
    // Exact p50 of 10..100 is 50, p95 is 100; the histogram is within 5%.
    expect(charts.p50[4]).toBeGreaterThan(47.5)
    expect(charts.p50[4]).toBeLessThan(52.5)
    expect(charts.p95[4]).toBeGreaterThan(95)
    expect(charts.p95[4]).toBeLessThan(105)
    // The cancelled request's 9 s is not a latency; p95 today comes from the 500 at 200 ms.
    expect(charts.p95[6]).toBeLessThan(210)
    expect(charts.p50[5]).toBeNull()

    const byLabel = Object.fromEntries(charts.requestsByKey.map((s) => [s.label, s.counts]))
    expect(byLabel['website-search']).toEqual([0, 0, 0, 0, 10, 0, 3])
    expect(byLabel['support-bot']).toEqual([0, 0, 0, 0, 0, 0, 2])
    expect(byLabel['Account credential / pasted key']).toEqual([0, 0, 0, 0, 0, 0, 1])
    expect(charts.requestsByKey[0].label).toBe('website-search')
    expect(charts.totals).toMatchObject({ requests: 16, errors: 2 })
    expect(charts.totals.errorRate).toBeCloseTo(2 / 16)

    const queriesOnly = f.service.charts({
      accountId: 'acc-a',
      keyId: null,
      kind: 'query',
      range: '7d'
    })
    expect(queriesOnly.totals.requests).toBe(15)
    const botOnly = f.service.charts({
      accountId: 'acc-a',
      keyId: 'aky_bot',
      kind: 'all',
      range: '30d'
    })
    expect(botOnly.buckets).toHaveLength(30)
    expect(botOnly.totals.requests).toBe(2)
    expect(
      f.service.charts({ accountId: 'acc-b', keyId: null, kind: 'all', range: '7d' }).totals
        .requests
    ).toBe(0)
  })

  it('shows 24 h per hour from the events themselves', () => {
    const f = usageFixture()
    const now = f.clock.now
    f.usage.insertAll([
      event({ at: now - 30 * 60_000, keyId: 'k1', latencyMs: 12 }),
      event({ at: now - 90 * 60_000, keyId: 'k1', latencyMs: 30, status: 403 }),
      event({ at: now - 25 * HOUR, keyId: 'k1' })
    ])
    const charts = f.service.charts({ accountId: null, keyId: null, kind: 'all', range: '24h' })
    expect(charts.unit).toBe('hour')
    expect(charts.buckets).toHaveLength(24)
    expect(charts.requests.reduce((a, b) => a + b)).toBe(2)
    // 15:00 is the current hour (last bucket); 14:30 and 13:30 fall in the two before it.
    expect([charts.requests[21], charts.requests[22], charts.requests[23]]).toEqual([1, 1, 0])
    expect(charts.totals.errors).toBe(1)
  })

  it(`stacks the ${TOP_KEYS} busiest keys and sums the rest as other keys`, () => {
    const f = usageFixture()
    const events = []
    for (let k = 0; k < TOP_KEYS + 3; k++) {
      for (let i = 0; i <= k; i++)
        events.push(event({ at: f.clock.now - i * 1000, keyId: `k${k}` }))
    }
    f.usage.insertAll(events)
    const charts = f.service.charts({ accountId: null, keyId: null, kind: 'all', range: '30d' })
    expect(charts.requestsByKey).toHaveLength(TOP_KEYS + 1)
    expect(charts.requestsByKey[0].keyId).toBe(`k${TOP_KEYS + 2}`)
    const other = charts.requestsByKey.at(-1)!
    expect(other).toMatchObject({ keyId: '*', label: '3 other keys' })
    expect(other.counts.at(-1)).toBe(1 + 2 + 3)
    // Two accounts exist, so series say which account they belong to.
    expect(charts.requestsByKey[0].label).toBe(`Alpha · k${TOP_KEYS + 2}`)
  })

  it('"all" starts at the first recorded day (at least a week, at most a year)', () => {
    const f = usageFixture()
    f.usage.insertAll([
      event({ at: f.clock.now - 40 * DAY }),
      event({ at: f.clock.now - 400 * DAY })
    ])
    const charts = f.service.charts({ accountId: null, keyId: null, kind: 'all', range: 'all' })
    expect(charts.buckets).toHaveLength(365)
    expect(charts.totals.requests).toBe(1)
  })
})

describe('last used and stale keys', () => {
  it('keeps "last used" per key on insert, ignoring probes and admin calls', () => {
    const f = usageFixture()
    f.usage.insertAll([
      event({ at: 100, keyId: 'k1' }),
      event({ at: 300, keyId: 'k1' }),
      event({ at: 200, keyId: 'k1' }),
      event({ at: 400, keyId: 'k2', action: 'probe' }),
      event({ at: 500, keyId: 'k3', kind: 'admin' })
    ])
    expect(f.usage.lastUsedByKey('acc-a')).toEqual(new Map([['k1', 300]]))
  })

  it('flags keys unused for 30 days, or never used since the app first saw them 30 days ago', () => {
    const f = usageFixture()
    cacheKey(f, 'acc-a', 'fresh', 'fresh key')
    cacheKey(f, 'acc-a', 'old', 'old key')
    cacheKey(f, 'acc-a', 'never', 'never key')
    // Created yesterday and not used yet: too new to call stale (the key list agrees).
    cacheKey(f, 'acc-a', 'new', 'new key', f.clock.now - DAY)
    f.usage.insertAll([
      event({ at: f.clock.now - 2 * DAY, keyId: 'fresh' }),
      event({ at: f.clock.now - 31 * DAY, keyId: 'old' })
    ])
    const { keys, days } = f.service.staleKeys('acc-a')
    expect(days).toBe(30)
    expect(keys.map((k) => [k.name, k.lastUsedAt])).toEqual([
      ['never key', null],
      ['old key', f.clock.now - 31 * DAY]
    ])
  })
})

describe('usage history table', () => {
  it('pages newest first with a cursor, filtering by account, key and kind', () => {
    const f = usageFixture()
    cacheKey(f, 'acc-a', 'k1', 'one')
    const base = f.clock.now - 1000
    f.usage.insertAll([
      ...Array.from({ length: 5 }, (_, i) => event({ at: base + i, keyId: 'k1' })),
      event({ at: base + 10, accountId: 'acc-b', keyId: 'k9' }),
      event({
        at: base + 11,
        kind: 'admin',
        action: 'corpora.list',
        method: 'GET',
        path: '/v2/corpora'
      })
    ])
    const first = f.service.events({
      accountId: 'acc-a',
      keyId: null,
      kind: 'all',
      range: '24h',
      limit: 3
    })
    expect(first.rows.map((r) => r.at)).toEqual([base + 11, base + 4, base + 3])
    expect(first.rows[1]).toMatchObject({
      source: 'local',
      keyName: 'one',
      accountName: 'Alpha',
      status: 200
    })
    const second = f.service.events({
      accountId: 'acc-a',
      keyId: null,
      kind: 'all',
      range: '24h',
      limit: 3,
      before: first.next!
    })
    expect(second.rows.map((r) => r.at)).toEqual([base + 2, base + 1, base])
    const k1 = f.service.events({ accountId: null, keyId: 'k1', kind: 'query', range: '7d' })
    expect(k1.rows).toHaveLength(5)
    const admin = f.service.events({ accountId: null, keyId: '', kind: 'admin', range: '7d' })
    expect(admin.rows.map((r) => r.action)).toEqual(['corpora.list'])
  })
})
