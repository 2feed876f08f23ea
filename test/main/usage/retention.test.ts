import { describe, expect, it } from 'vitest'
import { localDay } from '../../../src/main/usage/days'
import { event, usageFixture } from './usageFixture'

const DAY = 86_400_000

describe('usage retention', () => {
  it('removes events older than 365 days, and their rollups, in small batches', async () => {
    const f = usageFixture({ batchSize: 100 })
    const now = f.clock.now
    f.usage.insertAll([
      ...Array.from({ length: 450 }, (_, i) => event({ at: now - 400 * DAY + i, keyId: 'old' })),
      ...Array.from({ length: 50 }, (_, i) => event({ at: now - 10 * DAY + i, keyId: 'new' }))
    ])
    let done = false
    let otherWorkRanMeanwhile = false
    const pending = f.retention.prune().then((n) => ((done = true), n))
    setImmediate(() => (otherWorkRanMeanwhile = !done))
    const deleted = await pending
    expect(deleted).toBe(450)
    // Five batches of 100, each its own statement: other work ran between them.
    expect(otherWorkRanMeanwhile).toBe(true)
    expect(f.usage.stats()).toEqual({ events: 50, oldestAt: now - 10 * DAY })
    expect(f.usage.daily.firstDay()).toBe(localDay(now - 10 * DAY))
    expect(f.retention.lastPrunedAt).toBe(now)
    // "Last used" outlives the pruned events.
    expect(f.usage.lastUsedByKey('acc-a').get('old')).toBe(now - 400 * DAY + 449)
  })

  it('keeps at most maxEvents, removing the oldest first', async () => {
    const f = usageFixture({ maxEvents: 1000, batchSize: 128 })
    const now = f.clock.now
    f.usage.insertAll(Array.from({ length: 1300 }, (_, i) => event({ at: now - 5000 + i })))
    expect(await f.retention.prune()).toBe(300)
    expect(f.usage.stats()).toEqual({ events: 1000, oldestAt: now - 5000 + 300 })
    // The rollups keep counting what was trimmed by the size cap: charts are aggregates.
    expect(
      f.service.charts({ accountId: null, keyId: null, kind: 'all', range: '7d' }).totals.requests
    ).toBe(1300)
  })

  it('prunes old Vectara history and unsaved playground history, keeping saved queries', async () => {
    const f = usageFixture()
    const now = f.clock.now
    f.remote.upsertAll(
      [
        {
          accountId: 'acc-a',
          id: 'qry_old',
          startedAt: now - 400 * DAY,
          corpusKey: 'c',
          query: 'q',
          latencyMs: 1,
          factualConsistencyScore: null
        },
        {
          accountId: 'acc-a',
          id: 'qry_new',
          startedAt: now - DAY,
          corpusKey: 'c',
          query: 'q',
          latencyMs: 1,
          factualConsistencyScore: null
        }
      ],
      now
    )
    const record = (at: number): number =>
      f.playground.insert({
        at,
        accountId: 'acc-a',
        keyId: 'k',
        keyName: 'k',
        keyKind: 'query',
        keyMasked: null,
        corpusKeys: ['c'],
        query: 'q',
        options: {},
        status: 200,
        latencyMs: 1,
        resultCount: 1,
        errorCode: null,
        errorMessage: null
      })
    const oldUnsaved = record(now - 400 * DAY)
    const oldSaved = record(now - 400 * DAY)
    f.playground.setName(oldSaved, 'Keep me', now)
    record(now)
    await f.retention.prune()
    expect(f.remote.latest('acc-a').count).toBe(1)
    expect(f.playground.get(oldUnsaved)).toBeUndefined()
    expect(f.playground.get(oldSaved)?.name).toBe('Keep me')
    expect(f.playground.recent('acc-a', undefined, 10)).toHaveLength(2)
  })

  it('runs on a timer after start and stops cleanly', async () => {
    const f = usageFixture()
    f.usage.insertAll([event({ at: f.clock.now - 500 * DAY })])
    const retention = f.retention as unknown as { options: { startDelayMs?: number } }
    retention.options.startDelayMs = 1
    f.retention.start()
    await expect.poll(() => f.usage.stats().events).toBe(0)
    await f.retention.stop()
  })
})
