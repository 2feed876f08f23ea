import { describe, expect, it } from 'vitest'
import type { RotationRecord } from '../../../src/main/db/tables/rotationsTable'
import {
  canCancel,
  initialSteps,
  markDone,
  markFailed,
  markRunning,
  nextDueAt,
  settle
} from '../../../src/main/rotation/machine'
import { defaultTwinName } from '../../../src/main/rotation/timing'
import { DAY, HOUR } from './helpers'

const T0 = Date.UTC(2026, 0, 10, 9, 0)

function record(overrides: Partial<RotationRecord> = {}): RotationRecord {
  const base: RotationRecord = {
    id: 'r1',
    accountId: 'a',
    oldKeyId: 'old',
    oldKeyName: 'site',
    oldKeyKind: 'query',
    oldCorpora: ['c'],
    oldMaskedSecret: null,
    newKeyName: 'site 2',
    newKeyKind: 'query',
    newKeyId: null,
    newCorpora: ['c'],
    accountCredential: false,
    disableOld: 'on_confirm',
    deleteOld: 'after_7d',
    status: 'active',
    steps: {},
    extras: {},
    startedAt: T0,
    updatedAt: T0,
    finishedAt: null
  }
  const merged = { ...base, ...overrides }
  if (!overrides.steps) merged.steps = initialSteps(merged)
  return merged
}

const states = (r: RotationRecord) =>
  Object.fromEntries(Object.entries(r.steps).map(([k, v]) => [k, v!.state]))

describe('the step machine', () => {
  it('has a switch step only for the account credential, and skips delete for "Never"', () => {
    expect(Object.keys(initialSteps(record()))).toEqual([
      'create',
      'swap',
      'verify',
      'disable',
      'delete'
    ])
    const own = initialSteps(record({ accountCredential: true, deleteOld: 'never' }))
    expect(Object.keys(own)).toContain('switchCredential')
    expect(own.delete!.state).toBe('skipped')
  })

  it('waits for create; then swap waits for the user and verify runs', () => {
    const r = record()
    expect(states(settle(r, T0).record)).toMatchObject({ swap: 'pending', verify: 'pending' })
    markDone(r.steps.create!, T0)
    const next = settle(r, T0).record
    expect(states(next)).toMatchObject({ swap: 'waiting', verify: 'running', disable: 'pending' })
    expect(next.steps.swap!.waitingFor).toBe('confirm')
  })

  it.each([
    ['now', T0],
    ['in_1h', T0 + HOUR],
    ['in_24h', T0 + DAY]
  ] as const)('"%s" makes the disable due at the chosen time after the start', (choice, due) => {
    const r = record({ disableOld: choice })
    markDone(r.steps.create!, T0)
    markDone(r.steps.verify!, T0 + 5_000)
    if (choice === 'now') {
      // Due from the start: it runs as soon as the new key serves.
      expect(settle(r, T0 + 5_000).record.steps.disable!.state).toBe('running')
      return
    }
    const before = settle(r, due - 1).record
    expect(before.steps.disable).toMatchObject({ state: 'waiting', waitingFor: 'time', dueAt: due })
    expect(nextDueAt(before)).toBe(due)
    expect(settle(before, due).record.steps.disable!.state).toBe('running')
  })

  it('never disables before the new key serves, even past the chosen time', () => {
    const r = record({ disableOld: 'now' })
    markDone(r.steps.create!, T0)
    const settled = settle(r, T0 + 10 * DAY).record
    expect(settled.steps.disable!.state).toBe('pending')
  })

  it('for the app credential, disables only once the switch is done', () => {
    const r = record({ disableOld: 'now', accountCredential: true })
    r.steps = initialSteps(r)
    markDone(r.steps.create!, T0)
    markDone(r.steps.verify!, T0)
    let next = settle(r, T0).record
    expect(states(next)).toMatchObject({ switchCredential: 'running', disable: 'pending' })
    markFailed(next.steps.switchCredential!, T0, 'API_FORBIDDEN', 'no')
    expect(settle(next, T0 + DAY).record.steps.disable!.state).toBe('pending')
    markRunning(next.steps.switchCredential!, T0)
    markDone(next.steps.switchCredential!, T0)
    next = settle(next, T0).record
    expect(next.steps.disable!.state).toBe('running')
  })

  it('counts the grace period from the block, asks once it has passed, and finishes after the delete', () => {
    const r = record({ disableOld: 'now', deleteOld: 'after_1d' })
    markDone(r.steps.create!, T0)
    markDone(r.steps.verify!, T0)
    markDone(r.steps.disable!, T0 + HOUR)
    const blocked = settle(r, T0 + HOUR)
    expect(blocked.record.steps.swap!.state).toBe('done')
    expect(blocked.record.steps.delete).toMatchObject({ state: 'waiting', dueAt: T0 + HOUR + DAY })
    expect(blocked.becameDue).toEqual([])
    const due = settle(blocked.record, T0 + HOUR + DAY)
    expect(due.becameDue).toEqual(['delete'])
    expect(due.record.steps.delete!.waitingFor).toBe('confirm')
    expect(settle(due.record, T0 + 9 * DAY).record.status).toBe('active')
    markRunning(due.record.steps.delete!, T0 + 2 * DAY)
    markDone(due.record.steps.delete!, T0 + 2 * DAY)
    const done = settle(due.record, T0 + 2 * DAY).record
    expect(done).toMatchObject({ status: 'finished', finishedAt: T0 + 2 * DAY })
  })

  it('settling twice changes nothing', () => {
    const r = record({ disableOld: 'in_1h' })
    markDone(r.steps.create!, T0)
    markDone(r.steps.verify!, T0)
    const once = settle(r, T0 + 60_000).record
    expect(settle(once, T0 + 60_000).record).toEqual(once)
  })

  it('may be cancelled until Vectara has accepted the disable', () => {
    const r = record()
    expect(canCancel(r)).toBe(true)
    r.steps.disable = { state: 'failed', attempts: 1 }
    expect(canCancel(r)).toBe(true)
    r.steps.disable = { state: 'failed', attempts: 1, acceptedAt: T0 }
    expect(canCancel(r)).toBe(false)
    r.steps.disable = { state: 'running', attempts: 1 }
    expect(canCancel(r)).toBe(false)
  })
})

describe('the default name', () => {
  it('appends the date once, even for a key rotated before', () => {
    const day = new Date(2026, 2, 5, 12).getTime()
    expect(defaultTwinName('site', day)).toBe('site (rotated 2026-03-05)')
    expect(defaultTwinName('site (rotated 2025-01-01)', day)).toBe('site (rotated 2026-03-05)')
  })
})
