import { describe, expect, it } from 'vitest'
import type { DailyDelta } from '../../../src/main/db/tables/usageDailyTable'
import { localDay } from '../../../src/main/usage/days'
import { addToRollup, countsAsUse } from '../../../src/main/usage/rollup'

const AT = Date.parse('2026-11-26T15:00:00')

describe('rollup rules', () => {
  it('counts a query as use of its key, but not a propagation probe or an admin call', () => {
    expect(countsAsUse({ kind: 'query', action: 'query' })).toBe(true)
    expect(countsAsUse({ kind: 'query', action: 'probe' })).toBe(false)
    expect(countsAsUse({ kind: 'admin', action: 'apiKeys.list' })).toBe(false)
  })

  it('counts an HTTP error or no answer as an error, and a cancel not', () => {
    const errorsOf = (outcome: { status?: number; errorCode?: string }): number => {
      const deltas = new Map<string, DailyDelta>()
      addToRollup(deltas, { at: AT, accountId: 'acc-a', kind: 'query', ...outcome })
      return [...deltas.values()][0].errors
    }
    expect(errorsOf({ status: 200 })).toBe(0)
    expect(errorsOf({ status: 404 })).toBe(1)
    expect(errorsOf({ errorCode: 'NETWORK_ERROR' })).toBe(1)
    expect(errorsOf({ errorCode: 'CANCELLED' })).toBe(0)
  })

  it('adds events to one cell per day, account, key and kind', () => {
    const deltas = new Map<string, DailyDelta>()
    const base = { at: AT, accountId: 'acc-a', keyId: 'k1', kind: 'query' as const }
    addToRollup(deltas, { ...base, status: 200, latencyMs: 12 })
    addToRollup(deltas, { ...base, status: 500, latencyMs: 30 })
    // A cancelled request is counted, but neither as an error nor as a latency.
    addToRollup(deltas, { ...base, errorCode: 'CANCELLED', latencyMs: 9000 })
    addToRollup(deltas, { ...base, keyId: undefined, kind: 'admin', status: 200 })
    const cells = [...deltas.values()]
    expect(cells).toHaveLength(2)
    const key = cells.find((c) => c.keyId === 'k1')!
    expect(key).toMatchObject({ day: localDay(AT), accountId: 'acc-a', requests: 3, errors: 1 })
    expect([...key.latency.values()].reduce((a, b) => a + b, 0)).toBe(2)
    expect(cells.find((c) => c.keyId === '')).toMatchObject({ kind: 'admin', requests: 1 })
  })
})
