import type { Rotation, RotationStepName } from '@shared/contract/rotations'
import type { KeyCacheTable } from '../db/tables/keyCacheTable'
import type { RecordAudit } from '../db/tables/auditTable'
import type { ExtraValue, RotationRecord, RotationsTable } from '../db/tables/rotationsTable'
import type { Clock } from '../clock'
import type { Desktop } from '../desktop'
import type { Logger } from '../log'
import type { EventBus } from '../router'
import { AUTOMATIC_STEPS, STEP_ORDER, markDone, markFailed, nextDueAt, settle } from './machine'
import { rotationView } from './rotationView'
import {
  createTwin,
  deleteOld,
  describe,
  disableOld,
  switchCredential,
  verifyTwin,
  type StepContext,
  type StepResult,
  type StepServices
} from './steps'
import { VERIFY_FIRST_DELAY_MS, VERIFY_MAX_DELAY_MS } from './timing'

/** What another feature learns when a rotation's new key exists (issue 13 sets its expiry). */
export interface TwinCreated {
  rotationId: string
  accountId: string
  oldKeyId: string
  newKeyId: string
  /** The plan's extra fields, as the start call received them. */
  extras: Record<string, ExtraValue>
}

/** Hooks for features that extend a rotation without changing its steps. */
export interface RotationHooks {
  /** Before anything is done: throw an AppError (with field errors) to refuse the plan. */
  checkPlan?(plan: PlanChecked): void
  twinCreated?(event: TwinCreated): Promise<void> | void
}

/** A plan about to start, as the hooks see it. */
export interface PlanChecked {
  accountId: string
  oldKeyId: string
  /** The new key will be the credential the app signs in with. */
  accountCredential: boolean
  extras: Record<string, ExtraValue>
}

export interface RotationDriverDeps extends StepServices {
  rotations: RotationsTable
  keyCache: KeyCacheTable
  audit: RecordAudit
  events: EventBus
  desktop: Desktop
  hooks?: RotationHooks
  logger: Logger
  clock: Clock
  setTimer?: (fn: () => void, ms: number) => ReturnType<typeof setTimeout>
  clearTimer?: (timer: ReturnType<typeof setTimeout>) => void
}

export interface StepRun {
  rotation: Rotation
  oneTimeSecret?: string
  keychainProblem?: string
}

/** The timer looks again at least this often, so a clock moved forward is noticed. */
const MAX_TIMER_MS = 60_000
/** While the old key's block propagates, look again this often (events usually come first). */
const PROPAGATION_RECHECK_MS = 15_000

/**
 * Runs rotation steps: at start-up, on a timer, on propagation events and when the service
 * asks. One rotation's steps never run at once (a lock per rotation); every change is written
 * to the table at once and pushed to the renderer as `rotations.changed`.
 */
export class RotationDriver {
  private readonly locks = new Map<string, Promise<unknown>>()
  /** Probe backoff and rechecks, in memory: after a restart every step simply looks at once. */
  private readonly wakeAt = new Map<string, number>()
  private readonly probeDelay = new Map<string, number>()
  /** When this run of the app started probing: a restart gives the new key its full 5 minutes. */
  private readonly probingSince = new Map<string, number>()
  private timer?: ReturnType<typeof setTimeout>
  private unsubscribe?: () => void
  private stopped = false

  constructor(private readonly deps: RotationDriverDeps) {}

  private now(): number {
    return this.deps.clock.now()
  }

  private get audit(): RecordAudit {
    return this.deps.audit
  }

  /**
   * Starts driving: a step that was creating a key when the app closed is shown as failed (Retry
   * checks whether the key exists first); every other step that is due runs now.
   */
  async resume(): Promise<void> {
    this.unsubscribe ??= this.deps.events.subscribe((name, payload) => {
      if (name !== 'propagation.update') return
      const update = payload as { accountId: string; keyId: string }
      const rotation = this.deps.rotations.activeInvolving(update.accountId, update.keyId)
      if (rotation?.oldKeyId !== update.keyId) return
      // The block has settled (or timed out): look now, not at the next recheck.
      this.wakeAt.delete(rotation.id)
      void this.advance(rotation.id)
    })
    for (const record of this.deps.rotations.active()) {
      const create = record.steps.create
      if (create?.state === 'running') {
        await this.withLock(record.id, async () => {
          const fresh = this.deps.rotations.get(record.id)!
          markFailed(
            fresh.steps.create!,
            this.now(),
            'CANCELLED',
            'The app closed while the new key was being created. Retry checks whether Vectara made it before creating one.'
          )
          this.save(fresh)
        })
      }
    }
    await this.runDue()
  }

  /** Runs every step that is due now (the timer, start-up, the harness's clock switch). */
  async runDue(): Promise<void> {
    await Promise.all(this.deps.rotations.active().map((r) => this.advance(r.id)))
    this.reschedule()
  }

  /** Stops the timer and waits for steps in flight; nothing runs after this. */
  async stop(): Promise<void> {
    this.stopped = true
    this.unsubscribe?.()
    if (this.timer) (this.deps.clearTimer ?? clearTimeout)(this.timer)
    this.timer = undefined
    await Promise.allSettled([...this.locks.values()])
  }

  /** Step 1, on the user's request (start, Retry): its answer may carry a one-time secret. */
  async runCreate(record: RotationRecord): Promise<StepRun> {
    const result = await this.runStep('create', record)
    const fresh = this.deps.rotations.get(record.id)!
    const settled = settle(fresh, this.now()).record
    this.save(settled)
    if (result.kind === 'failed' && result.oneTimeSecret) {
      return {
        rotation: this.view(settled),
        oneTimeSecret: result.oneTimeSecret,
        ...(result.keychainProblem ? { keychainProblem: result.keychainProblem } : {})
      }
    }
    return { rotation: this.view(settled) }
  }

  /** Runs one step and records how it went; never throws (a failure is a state). */
  private async runStep(name: RotationStepName, record: RotationRecord): Promise<StepResult> {
    if (!this.probingSince.has(record.id)) this.probingSince.set(record.id, this.now())
    const ctx: StepContext = {
      record,
      now: () => this.now(),
      probingSince: this.probingSince.get(record.id)!,
      services: this.deps,
      save: (r) => this.save(r),
      keysChanged: () => this.deps.events.emit('keys.changed', { accountId: record.accountId })
    }
    let result: StepResult
    try {
      result = await STEP_RUNNERS[name](ctx)
    } catch (error) {
      const { code, message } = describe(error)
      if (code === 'INTERNAL') this.deps.logger.error(`rotation step ${name} failed`, error)
      result = { kind: 'failed', code, message }
    }
    const step = record.steps[name]!
    const keyId = name === 'create' || name === 'verify' ? record.newKeyId : record.oldKeyId
    if (result.kind === 'done') {
      markDone(step, result.at, result.outcome)
      this.forgetProbing(record.id)
      this.save(record)
      this.audit(record.accountId, `rotation.${name}`, 'ok', keyId ?? undefined, result.outcome)
      if (name !== 'verify') this.deps.events.emit('keys.changed', { accountId: record.accountId })
      if (name === 'create') await this.twinCreated(record)
    } else if (result.kind === 'failed') {
      markFailed(step, this.now(), result.code, result.message)
      this.forgetProbing(record.id)
      this.save(record)
      this.audit(record.accountId, `rotation.${name}`, 'error', keyId ?? undefined, result.code)
      if (name === 'create' && record.newKeyId)
        this.deps.events.emit('keys.changed', { accountId: record.accountId })
    } else {
      this.wakeAt.set(record.id, this.now() + (result.afterMs ?? this.nextDelay(name, record.id)))
    }
    return result
  }

  /** Forgets the probe schedule: the step is over, or is run again from the start. */
  forgetProbing(id: string): void {
    this.wakeAt.delete(id)
    this.probeDelay.delete(id)
    this.probingSince.delete(id)
  }

  private nextDelay(name: RotationStepName, id: string): number {
    if (name !== 'verify') return PROPAGATION_RECHECK_MS
    const delay = Math.min(
      (this.probeDelay.get(id) ?? VERIFY_FIRST_DELAY_MS / 2) * 2,
      VERIFY_MAX_DELAY_MS
    )
    this.probeDelay.set(id, delay)
    return delay
  }

  advance(id: string): Promise<void> {
    if (this.stopped) return Promise.resolve()
    return this.withLock(id, () => this.advanceLocked(id)).then(() => this.reschedule())
  }

  /**
   * Settles the record and runs the automatic step that is due, as long as one finishes; a step
   * that must wait (a probe's backoff, propagation) leaves a wake-up time instead.
   */
  async advanceLocked(id: string): Promise<void> {
    for (let round = 0; round < STEP_ORDER.length + 1 && !this.stopped; round++) {
      const current = this.deps.rotations.get(id)
      if (!current || current.status !== 'active') {
        this.wakeAt.delete(id)
        return
      }
      const { record, becameDue } = settle(current, this.now())
      if (JSON.stringify(record) !== JSON.stringify(current)) this.save(record)
      if (record.status === 'finished') {
        this.audit(record.accountId, 'rotation.finish', 'ok', record.oldKeyId, record.newKeyName)
        return
      }
      if (becameDue.includes('delete')) this.readyToDelete(record)
      const name = AUTOMATIC_STEPS.find((n) => record.steps[n]?.state === 'running')
      if (!name) return
      const wake = this.wakeAt.get(id)
      if (wake !== undefined && wake > this.now()) return
      this.wakeAt.delete(id)
      const result = await this.runStep(name, record)
      if (result.kind !== 'done') return
    }
  }

  /** The grace period is over: ask once (a notification and the panel's banner), then wait. */
  private readyToDelete(record: RotationRecord): void {
    const del = record.steps.delete!
    if (del.notifiedAt) return
    del.notifiedAt = this.now()
    this.save(record)
    this.deps.desktop.notify({
      title: `Ready to delete ${record.oldKeyName}`,
      body: `The grace period after rotating it is over. Open Keys → Rotations to delete "${record.oldKeyName}".`
    })
  }

  reschedule(): void {
    if (this.stopped) return
    const now = this.now()
    const times = this.deps.rotations
      .active()
      .flatMap((r) => [nextDueAt(r), this.wakeAt.get(r.id)])
      .filter((t): t is number => t !== undefined)
    if (this.timer) (this.deps.clearTimer ?? clearTimeout)(this.timer)
    this.timer = undefined
    if (times.length === 0) return
    const delay = Math.min(Math.max(Math.min(...times) - now, 0), MAX_TIMER_MS)
    const setTimer = this.deps.setTimer ?? ((fn: () => void, ms: number) => setTimeout(fn, ms))
    this.timer = setTimer(() => {
      this.timer = undefined
      void this.runDue().catch((error: unknown) =>
        this.deps.logger.error('rotation timer failed', error)
      )
    }, delay)
    ;(this.timer as { unref?: () => void }).unref?.()
  }

  private async twinCreated(record: RotationRecord): Promise<void> {
    if (!this.deps.hooks?.twinCreated || !record.newKeyId) return
    try {
      await this.deps.hooks.twinCreated({
        rotationId: record.id,
        accountId: record.accountId,
        oldKeyId: record.oldKeyId,
        newKeyId: record.newKeyId,
        extras: record.extras
      })
    } catch (error) {
      this.deps.logger.warn(`a rotation hook failed for ${record.id}`, error)
    }
  }

  /** One rotation's steps never run at once: each call waits for the one before it. */
  withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve()
    const run = previous.then(fn, fn)
    const tail = run.catch(() => undefined)
    this.locks.set(id, tail)
    void tail.then(() => {
      if (this.locks.get(id) === tail) this.locks.delete(id)
    })
    return run
  }

  /** Writes the record and tells the renderer. */
  save(record: RotationRecord): void {
    record.updatedAt = Math.max(this.now(), record.updatedAt)
    this.deps.rotations.update(record)
    this.deps.events.emit('rotations.changed', { rotation: this.view(record) })
  }

  view(record: RotationRecord): Rotation {
    return rotationView(record, this.deps.keyCache, this.now())
  }
}

const STEP_RUNNERS: Record<RotationStepName, (ctx: StepContext) => Promise<StepResult>> = {
  create: createTwin,
  // The user's part: never run by main (confirmSwap, or over once the old key is blocked).
  swap: async () => ({ kind: 'again' }),
  verify: verifyTwin,
  switchCredential,
  disable: disableOld,
  delete: deleteOld
}
