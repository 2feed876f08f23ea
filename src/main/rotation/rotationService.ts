import { randomUUID } from 'node:crypto'
import type { CallInput, CallOutput } from '@shared/contract'
import type {
  KeyFiles,
  ReplaceReport,
  Rotation,
  RotationPlan,
  RotationStepName
} from '@shared/contract/rotations'
import { AppError } from '@shared/errors'
import { roleOfKind } from '@shared/keyKinds'
import type { AuditTable, RecordAudit } from '../db/tables/auditTable'
import { auditWith } from '../db/tables/auditTable'
import type { AuthKind } from '../db/tables/accountsTable'
import type { CachedKey, KeyCacheTable } from '../db/tables/keyCacheTable'
import {
  RotationInProgressError,
  type ExtraValue,
  type RotationRecord,
  type RotationsTable
} from '../db/tables/rotationsTable'
import type { UsageEventsTable } from '../db/tables/usageEventsTable'
import type { Clock } from '../clock'
import type { Desktop } from '../desktop'
import type { Logger } from '../log'
import type { EventBus } from '../router'
import type { KeyLocations } from './keyLocations'
import {
  AUTOMATIC_STEPS,
  STEP_ORDER,
  canCancel,
  failedStep,
  initialSteps,
  markDone,
  markFailed,
  markRunning,
  nextDueAt,
  settle
} from './machine'
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
import { defaultTwinName, VERIFY_FIRST_DELAY_MS, VERIFY_MAX_DELAY_MS } from './timing'

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
  twinCreated?(event: TwinCreated): Promise<void> | void
}

export interface RotationServiceDeps extends StepServices {
  rotations: RotationsTable
  keyCache: KeyCacheTable
  usage: UsageEventsTable
  audit: AuditTable
  events: EventBus
  desktop: Desktop
  /** Where the folder scanner found a key's secret; `noKeyLocations` until it exists. */
  locations: KeyLocations
  hooks?: RotationHooks
  logger: Logger
  clock: Clock
  setTimer?: (fn: () => void, ms: number) => ReturnType<typeof setTimeout>
  clearTimer?: (timer: ReturnType<typeof setTimeout>) => void
}

/** Finished and cancelled rotations the panel still lists. */
const CLOSED_SHOWN = 10
/** The timer looks again at least this often, so a clock moved forward is noticed. */
const MAX_TIMER_MS = 60_000
/** While the old key's block propagates, look again this often (events usually come first). */
const PROPAGATION_RECHECK_MS = 15_000

type StepRun = CallOutput<'rotations.start'>

/**
 * Guided key rotation: the plan and each step's state live in the `rotations` table, so a
 * rotation survives the app closing at any point. Steps run on the user's request (start,
 * retry, confirm) and on their own when due, driven at start-up, by a timer and by propagation
 * events. One rotation's steps never run concurrently (a lock per rotation).
 */
export class RotationService {
  private readonly audit: RecordAudit
  private readonly locks = new Map<string, Promise<unknown>>()
  /** Probe backoff and rechecks, in memory: after a restart every step simply looks at once. */
  private readonly wakeAt = new Map<string, number>()
  private readonly probeDelay = new Map<string, number>()
  /** When this run of the app started probing: a restart gives the new key its full 5 minutes. */
  private readonly probingSince = new Map<string, number>()
  private timer?: ReturnType<typeof setTimeout>
  private unsubscribe?: () => void
  private stopped = false

  constructor(private readonly deps: RotationServiceDeps) {
    this.audit = auditWith(deps.audit, () => deps.clock.now())
  }

  private now(): number {
    return this.deps.clock.now()
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

  async plan(input: CallInput<'rotations.plan'>): Promise<RotationPlan> {
    const account = this.deps.accounts.get(input.accountId)
    const key = this.deps.keys.cachedKey(input.accountId, input.keyId)
    const active = this.deps.rotations.activeInvolving(input.accountId, input.keyId)
    const accountCredential = this.deps.keys.accountCredentialKeyId(account.id) === key.keyId
    const refusal = this.refusal(key, active, accountCredential, account.authKind)
    return {
      accountId: account.id,
      oldKey: {
        id: key.keyId,
        name: key.name,
        kind: key.kind,
        enabled: key.enabled,
        corpora: key.corpora,
        maskedSecret: key.maskedSecret,
        lastUsedAt: this.deps.usage.lastUsedByKey(account.id).get(key.keyId) ?? null,
        accountCredential
      },
      defaultNewName: defaultTwinName(key.name, this.now()),
      files: await this.filesOf(account.id, key.keyId),
      activeRotationId: active?.id ?? null,
      ...(refusal ? { refusal } : {})
    }
  }

  async start(input: CallInput<'rotations.start'>): Promise<StepRun> {
    const { accountId, keyId, newName, corpusKeys, disableOld, deleteOld, ...rest } =
      input as Required<CallInput<'rotations.start'>>
    const account = this.deps.accounts.get(accountId)
    const key = this.deps.keys.cachedKey(accountId, keyId)
    const active = this.deps.rotations.activeInvolving(accountId, keyId)
    const accountCredential = this.deps.keys.accountCredentialKeyId(accountId) === keyId
    const refusal = this.refusal(key, active, accountCredential, account.authKind)
    if (refusal) throw new AppError(active ? 'CONFLICT' : 'BAD_INPUT', refusal)
    const name = newName.trim()
    const personal = key.kind === 'personal'
    if (personal && corpusKeys.length > 0) {
      const message = 'A Personal key has no corpora: it reaches what its owner can.'
      throw new AppError('BAD_INPUT', message, { fieldErrors: { corpusKeys: message } })
    }
    if (!personal && corpusKeys.length === 0) {
      const message = 'Choose at least one corpus'
      throw new AppError('BAD_INPUT', message, { fieldErrors: { corpusKeys: message } })
    }
    // The planned name tells the twin apart if Vectara's answer to "create" is ever lost.
    if (this.deps.keyCache.liveByName(accountId, name).length > 0) {
      const message = `A key named "${name}" exists already. Choose another name, so the new key can be told apart.`
      throw new AppError('BAD_INPUT', message, { fieldErrors: { newName: message } })
    }
    const at = this.now()
    const record: RotationRecord = {
      id: randomUUID(),
      accountId,
      oldKeyId: key.keyId,
      oldKeyName: key.name,
      oldKeyKind: key.kind,
      oldCorpora: key.corpora,
      oldMaskedSecret: key.maskedSecret,
      newKeyName: name,
      newKeyId: null,
      newCorpora: personal ? [] : [...new Set(corpusKeys)],
      accountCredential,
      disableOld,
      deleteOld,
      status: 'active',
      steps: initialSteps({ accountCredential, deleteOld }),
      extras: plainExtras(rest),
      startedAt: at,
      updatedAt: at,
      finishedAt: null
    }
    try {
      this.deps.rotations.insert(record)
    } catch (error) {
      if (error instanceof RotationInProgressError)
        throw new AppError('CONFLICT', `"${key.name}" is already being rotated.`)
      throw error
    }
    this.audit(accountId, 'rotation.start', 'ok', key.keyId, name)
    const run = await this.withLock(record.id, async () => {
      const fresh = this.deps.rotations.get(record.id)!
      markRunning(fresh.steps.create!, this.now())
      return this.runCreate(fresh)
    })
    void this.advance(record.id)
    return run
  }

  list(input: CallInput<'rotations.list'>): CallOutput<'rotations.list'> {
    this.deps.accounts.get(input.accountId)
    return {
      rotations: this.deps.rotations
        .forAccount(input.accountId, CLOSED_SHOWN)
        .map((r) => this.view(r))
    }
  }

  async retry(input: CallInput<'rotations.retry'>): Promise<StepRun> {
    const run = await this.withLock(input.id, async () => {
      const record = this.active(input.id)
      const name = failedStep(record)
      if (!name) throw new AppError('BAD_INPUT', 'No step of this rotation has failed.')
      markRunning(record.steps[name]!, this.now())
      this.save(record)
      this.forgetProbing(record.id)
      if (name === 'create') return this.runCreate(record)
      await this.advanceLocked(record.id)
      return { rotation: this.view(this.deps.rotations.get(record.id)!) }
    })
    this.reschedule()
    return run
  }

  async confirmSwap(input: CallInput<'rotations.confirmSwap'>): Promise<Rotation> {
    return this.withLock(input.id, async () => {
      const record = this.active(input.id)
      const swap = record.steps.swap!
      if (swap.state !== 'waiting')
        throw new AppError('BAD_INPUT', 'The new key must exist before it can be swapped in.')
      markDone(swap, this.now())
      this.save(record)
      this.audit(record.accountId, 'rotation.swap', 'ok', record.oldKeyId)
      return this.view(record)
    })
  }

  async confirmDisable(input: CallInput<'rotations.confirmDisable'>): Promise<Rotation> {
    const rotation = await this.withLock(input.id, async () => {
      const record = this.active(input.id)
      const disable = record.steps.disable!
      // Waiting for the user, or for a chosen time the user brings forward ("Disable now").
      if (disable.state !== 'waiting') {
        throw new AppError(
          'BAD_INPUT',
          disable.state === 'pending'
            ? 'The old key is disabled only once the new key serves.'
            : 'The old key is not waiting for your confirmation.'
        )
      }
      markRunning(disable, this.now())
      this.save(record)
      await this.advanceLocked(record.id)
      return this.view(this.deps.rotations.get(record.id)!)
    })
    this.reschedule()
    return rotation
  }

  async confirmDelete(input: CallInput<'rotations.confirmDelete'>): Promise<Rotation> {
    return this.withLock(input.id, async () => {
      const record = this.active(input.id)
      const del = record.steps.delete!
      if (del.state !== 'waiting' || del.waitingFor !== 'confirm')
        throw new AppError('BAD_INPUT', 'The old key is not ready to be deleted yet.')
      // The dialog showed a name: it must be this rotation's old key, not a stale one.
      if (input.keyName !== record.oldKeyName)
        throw new AppError('BAD_INPUT', `Confirm with the old key's name, "${record.oldKeyName}".`)
      markRunning(del, this.now())
      this.save(record)
      await this.advanceLocked(record.id)
      return this.view(this.deps.rotations.get(record.id)!)
    })
  }

  async cancel(input: CallInput<'rotations.cancel'>): Promise<Rotation> {
    return this.withLock(input.id, async () => {
      const record = this.active(input.id)
      if (!canCancel(record)) {
        throw new AppError(
          'BAD_INPUT',
          'The old key has been disabled already: the rotation can only go on from here.'
        )
      }
      record.status = 'cancelled'
      record.finishedAt = this.now()
      this.save(record)
      this.wakeAt.delete(record.id)
      this.audit(record.accountId, 'rotation.cancel', 'ok', record.oldKeyId, record.newKeyName)
      return this.view(record)
    })
  }

  async findings(input: CallInput<'rotations.findings'>): Promise<KeyFiles> {
    const record = this.record(input.id)
    return this.filesOf(record.accountId, record.oldKeyId)
  }

  /**
   * "Replace in files": both secrets stay in main; the seam gets the finding ids the renderer
   * chose and decides, from its own scan, which files those are.
   */
  async replaceInFiles(input: CallInput<'rotations.replaceInFiles'>): Promise<ReplaceReport> {
    const record = this.active(input.id)
    if (!record.newKeyId || record.steps.create?.state !== 'done')
      throw new AppError('BAD_INPUT', 'The new key must exist before files can get its secret.')
    if (record.steps.delete?.state === 'done')
      throw new AppError('BAD_INPUT', 'The old key has been deleted.')
    const oldSecret = (await this.deps.keySecrets.secretOf(record.accountId, record.oldKeyId))
      .secret
    const newSecret = (await this.deps.keySecrets.secretOf(record.accountId, record.newKeyId))
      .secret
    const report = await this.deps.locations.replaceInFiles(
      [...new Set(input.findingIds)],
      oldSecret,
      newSecret
    )
    this.audit(
      record.accountId,
      'rotation.replaceInFiles',
      report.replaced.length > 0 || report.skipped.length === 0 ? 'ok' : 'error',
      record.oldKeyId,
      `${report.replaced.length} replaced, ${report.skipped.length} skipped`
    )
    return report
  }

  // -- the driver ----------------------------------------------------------------------------------

  private async runCreate(record: RotationRecord): Promise<StepRun> {
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

  private forgetProbing(id: string): void {
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

  private advance(id: string): Promise<void> {
    if (this.stopped) return Promise.resolve()
    return this.withLock(id, () => this.advanceLocked(id)).then(() => this.reschedule())
  }

  /**
   * Settles the record and runs the automatic step that is due, as long as one finishes; a step
   * that must wait (a probe's backoff, propagation) leaves a wake-up time instead.
   */
  private async advanceLocked(id: string): Promise<void> {
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

  private reschedule(): void {
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

  // -- records and views -------------------------------------------------------------------------

  private withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve()
    const run = previous.then(fn, fn)
    const tail = run.catch(() => undefined)
    this.locks.set(id, tail)
    void tail.then(() => {
      if (this.locks.get(id) === tail) this.locks.delete(id)
    })
    return run
  }

  private save(record: RotationRecord): void {
    record.updatedAt = Math.max(this.now(), record.updatedAt)
    this.deps.rotations.update(record)
    this.deps.events.emit('rotations.changed', { rotation: this.view(record) })
  }

  private record(id: string): RotationRecord {
    const record = this.deps.rotations.get(id)
    if (!record) throw new AppError('NOT_FOUND', 'That rotation no longer exists.')
    return record
  }

  private active(id: string): RotationRecord {
    const record = this.record(id)
    if (record.status !== 'active')
      throw new AppError('BAD_INPUT', `This rotation is ${record.status} already.`)
    return record
  }

  private refusal(
    key: CachedKey,
    active: RotationRecord | undefined,
    accountCredential: boolean,
    authKind: AuthKind
  ): string | undefined {
    if (active?.oldKeyId === key.keyId)
      return `"${key.name}" is already being rotated: open that rotation from the Rotations panel.`
    if (active)
      return `"${key.name}" is the new key of a rotation in progress: finish that one first.`
    if (!roleOfKind(key.kind))
      return `This app does not know what kind of key "${key.name}" is, so it cannot make its twin.`
    if (accountCredential && authKind === 'oauth')
      return `"${key.name}" cannot be rotated from here: the account signs in with an OAuth client.`
    return undefined
  }

  private async filesOf(accountId: string, keyId: string): Promise<KeyFiles> {
    try {
      return await this.deps.locations.findingsForKey(accountId, keyId)
    } catch (error) {
      this.deps.logger.warn('could not read where the key was found on this machine', error)
      return { scanned: false, locations: [] }
    }
  }

  private view(record: RotationRecord): Rotation {
    const newKey = record.newKeyId
      ? this.deps.keyCache.get(record.accountId, record.newKeyId)
      : undefined
    return {
      id: record.id,
      accountId: record.accountId,
      oldKey: {
        id: record.oldKeyId,
        name: record.oldKeyName,
        kind: record.oldKeyKind,
        corpora: record.oldCorpora,
        maskedSecret: record.oldMaskedSecret
      },
      newKey: {
        id: record.newKeyId,
        name: record.newKeyName,
        corpora: record.newCorpora,
        maskedSecret: newKey ? newKey.maskedSecret : null,
        // Create counts as done only once the keychain holds the secret.
        secretStored: record.steps.create?.state === 'done'
      },
      accountCredential: record.accountCredential,
      disableOld: record.disableOld,
      deleteOld: record.deleteOld,
      status: record.status,
      steps: STEP_ORDER.filter((name) => record.steps[name]).map((name) => {
        const { acceptedAt: _a, notifiedAt: _n, unsure: _u, ...step } = record.steps[name]!
        return { name, ...step }
      }),
      startedAt: record.startedAt,
      updatedAt: record.updatedAt,
      finishedAt: record.finishedAt,
      extras: record.extras,
      asOf: this.now()
    }
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

/** Extra plan fields (from other features' additions to the start call), as plain values. */
function plainExtras(rest: Record<string, unknown>): Record<string, ExtraValue> {
  const extras: Record<string, ExtraValue> = {}
  for (const [key, value] of Object.entries(rest)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value))
      extras[key] = value as ExtraValue
  }
  return extras
}
