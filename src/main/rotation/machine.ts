import type { ErrorCode } from '@shared/errors'
import type { RotationStepName } from '@shared/contract/rotations'
import type { RotationRecord, StepRecord, StepRecords } from '../db/tables/rotationsTable'
import { disableDelayMs, gracePeriodMs } from './timing'

/**
 * The rotation's state machine, as pure functions of (record, now): which steps a plan has,
 * and what becomes due as earlier steps finish and time passes. Running a step (talking to
 * Vectara, the keychain, the user) is steps.ts's; this file only moves states.
 */

export const STEP_ORDER: readonly RotationStepName[] = [
  'create',
  'swap',
  'verify',
  'switchCredential',
  'disable',
  'delete'
]

/** The steps a plan has, all pending (delete skipped when the user keeps the old key). */
export function initialSteps(
  plan: Pick<RotationRecord, 'accountCredential' | 'deleteOld'>
): StepRecords {
  const steps: StepRecords = {
    create: { state: 'pending', attempts: 0 },
    swap: { state: 'pending', attempts: 0 },
    verify: { state: 'pending', attempts: 0 }
  }
  if (plan.accountCredential) steps.switchCredential = { state: 'pending', attempts: 0 }
  steps.disable = { state: 'pending', attempts: 0 }
  steps.delete =
    gracePeriodMs(plan.deleteOld) === null
      ? { state: 'skipped', attempts: 0 }
      : { state: 'pending', attempts: 0 }
  return steps
}

const isDone = (step: StepRecord | undefined): boolean =>
  step === undefined || step.state === 'done' || step.state === 'skipped'

/**
 * The steps main runs on its own once they are `running`. Create runs only on the user's
 * request (start, Retry); delete is `running` only after the user confirmed it.
 */
export const AUTOMATIC_STEPS: readonly RotationStepName[] = [
  'verify',
  'switchCredential',
  'disable',
  'delete'
]

export interface Settled {
  record: RotationRecord
  /** Steps that became due for the user's confirmation just now (delete: notify once). */
  becameDue: RotationStepName[]
}

/**
 * Moves every step whose turn has come: a step starts when the ones it needs are done and its
 * time has come; the rotation finishes when the old key is blocked and deleted (or kept).
 * Idempotent: settling a settled record changes nothing.
 */
export function settle(input: RotationRecord, now: number): Settled {
  if (input.status !== 'active') return { record: input, becameDue: [] }
  const record: RotationRecord = { ...input, steps: cloneSteps(input.steps) }
  const steps = record.steps
  const becameDue: RotationStepName[] = []
  const begin = (step: StepRecord): void => {
    step.state = 'running'
    step.startedAt ??= now
    step.attempts = Math.max(step.attempts, 1)
    delete step.dueAt
    delete step.waitingFor
  }

  if (isDone(steps.create)) {
    if (steps.swap?.state === 'pending') Object.assign(steps.swap, waitingForUser(now))
    if (steps.verify?.state === 'pending') begin(steps.verify)
  }
  const readyToDisable = isDone(steps.verify) && isDone(steps.switchCredential)
  if (isDone(steps.verify) && steps.switchCredential?.state === 'pending')
    begin(steps.switchCredential)

  const disable = steps.disable
  if (disable && readyToDisable && disable.state === 'pending') {
    const delay = disableDelayMs(record.disableOld)
    if (delay === null) Object.assign(disable, waitingForUser(now))
    else
      Object.assign(disable, {
        state: 'waiting',
        waitingFor: 'time',
        dueAt: record.startedAt + delay
      })
  }
  if (disable?.state === 'waiting' && disable.waitingFor === 'time' && (disable.dueAt ?? 0) <= now)
    begin(disable)

  if (isDone(disable)) {
    // The old key no longer works: whatever was left of swapping it out is over.
    if (steps.swap && steps.swap.state !== 'done') {
      steps.swap.state = 'done'
      steps.swap.doneAt ??= disable?.doneAt ?? now
    }
    const del = steps.delete
    const grace = gracePeriodMs(record.deleteOld)
    if (del?.state === 'pending' && grace !== null) {
      Object.assign(del, {
        state: 'waiting',
        waitingFor: 'time',
        dueAt: (disable?.doneAt ?? now) + grace
      })
    }
    if (del?.state === 'waiting' && del.waitingFor === 'time' && (del.dueAt ?? 0) <= now) {
      del.waitingFor = 'confirm'
      becameDue.push('delete')
    }
    if (isDone(steps.delete)) {
      record.status = 'finished'
      record.finishedAt ??= now
    }
  }
  return { record, becameDue }
}

function waitingForUser(now: number): Partial<StepRecord> {
  return { state: 'waiting', waitingFor: 'confirm', startedAt: now }
}

/** The step that failed, if any: the one Retry runs again. */
export function failedStep(record: RotationRecord): RotationStepName | undefined {
  return STEP_ORDER.find((name) => record.steps[name]?.state === 'failed')
}

/** The earliest time a waiting step becomes due, for the timer. */
export function nextDueAt(record: RotationRecord): number | undefined {
  const times = STEP_ORDER.map((name) => record.steps[name])
    .filter((s): s is StepRecord => s?.state === 'waiting' && s.waitingFor === 'time')
    .map((s) => s.dueAt ?? 0)
  return times.length ? Math.min(...times) : undefined
}

export function markDone(step: StepRecord, at: number, outcome?: StepRecord['outcome']): void {
  step.state = 'done'
  step.doneAt = at
  delete step.error
  delete step.waitingFor
  delete step.dueAt
  if (outcome) step.outcome = outcome
}

export function markFailed(step: StepRecord, at: number, code: ErrorCode, message: string): void {
  step.state = 'failed'
  step.error = { code, message, at }
}

/** The step runs (again): on the user's request, or Retry after a failure; counts the attempt. */
export function markRunning(step: StepRecord, at: number): void {
  step.state = 'running'
  step.attempts += 1
  step.startedAt = at
  delete step.error
  delete step.waitingFor
  delete step.dueAt
}

/** Before the old key is disabled the rotation can still be called off. */
export function canCancel(record: RotationRecord): boolean {
  const disable = record.steps.disable
  if (record.status !== 'active') return false
  if (!disable || disable.state === 'pending' || disable.state === 'waiting') return true
  // A disable Vectara never accepted left the old key as it was.
  return disable.state === 'failed' && disable.acceptedAt === undefined
}

function cloneSteps(steps: StepRecords): StepRecords {
  return JSON.parse(JSON.stringify(steps)) as StepRecords
}
