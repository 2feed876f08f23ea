import { randomUUID } from 'node:crypto'
import type { CallInput, CallOutput } from '@shared/contract'
import type { KeyFiles, ReplaceReport, Rotation, RotationPlan } from '@shared/contract/rotations'
import { AppError } from '@shared/errors'
import type { KeyKind } from '@shared/contract/keys'
import { labelOfKind, roleOfKind } from '@shared/keyKinds'
import { auditWith, type AuditTable, type RecordAudit } from '../db/tables/auditTable'
import type { AuthKind } from '../db/tables/accountsTable'
import type { CachedKey } from '../db/tables/keyCacheTable'
import {
  RotationInProgressError,
  type ExtraValue,
  type RotationRecord
} from '../db/tables/rotationsTable'
import type { UsageEventsTable } from '../db/tables/usageEventsTable'
import type { KeyLocations } from './keyLocations'
import { canCancel, failedStep, initialSteps, markDone, markRunning } from './machine'
import { RotationDriver, type RotationDriverDeps, type StepRun } from './rotationDriver'
import { defaultTwinName } from './timing'

export type { RotationHooks, TwinCreated } from './rotationDriver'

export interface RotationServiceDeps extends Omit<RotationDriverDeps, 'audit'> {
  usage: UsageEventsTable
  audit: AuditTable
  /** Where the folder scanner found a key's secret; `noKeyLocations` until it exists. */
  locations: KeyLocations
}

/** Finished and cancelled rotations the panel still lists. */
const CLOSED_SHOWN = 10

/**
 * Guided key rotation: the plan and each step's state live in the `rotations` table, so a
 * rotation survives the app closing at any point. Steps run on the user's request (start,
 * retry, confirm, here) and on their own when due (RotationDriver: at start-up, on a timer, on
 * propagation events).
 */
export class RotationService {
  private readonly audit: RecordAudit
  private readonly driver: RotationDriver

  constructor(private readonly deps: RotationServiceDeps) {
    this.audit = auditWith(deps.audit, () => deps.clock.now())
    this.driver = new RotationDriver({ ...deps, audit: this.audit })
  }

  private now(): number {
    return this.deps.clock.now()
  }

  /** Steps that fell due while the app was closed run now; a key creation cut short fails. */
  resume(): Promise<void> {
    return this.driver.resume()
  }

  /** Runs every step that is due now (the harness's clock switch, tests). */
  runDue(): Promise<void> {
    return this.driver.runDue()
  }

  stop(): Promise<void> {
    return this.driver.stop()
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
      newKinds: newKindsFor(key.kind),
      files: await this.filesOf(account.id, key.keyId),
      activeRotationId: active?.id ?? null,
      ...(refusal ? { refusal } : {})
    }
  }

  async start(input: CallInput<'rotations.start'>): Promise<StepRun> {
    const { accountId, keyId, newName, corpusKeys, disableOld, deleteOld, newKind, ...rest } =
      input as Required<CallInput<'rotations.start'>>
    const account = this.deps.accounts.get(accountId)
    const key = this.deps.keys.cachedKey(accountId, keyId)
    const active = this.deps.rotations.activeInvolving(accountId, keyId)
    const accountCredential = this.deps.keys.accountCredentialKeyId(accountId) === keyId
    const refusal = this.refusal(key, active, accountCredential, account.authKind)
    if (refusal) throw new AppError(active ? 'CONFLICT' : 'BAD_INPUT', refusal)
    const name = newName.trim()
    const newKeyKind = newKind ?? key.kind
    if (!newKindsFor(key.kind).includes(newKeyKind)) {
      const message = `A ${labelOfKind(key.kind)} key is replaced by a key of its own kind: only an Index key may become a Query key.`
      throw new AppError('BAD_INPUT', message, { fieldErrors: { newKind: message } })
    }
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
    const extras = plainExtras(rest)
    this.deps.hooks?.checkPlan?.({ accountId, oldKeyId: key.keyId, accountCredential, extras })
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
      newKeyKind,
      newKeyId: null,
      newCorpora: personal ? [] : [...new Set(corpusKeys)],
      accountCredential,
      disableOld,
      deleteOld,
      status: 'active',
      steps: initialSteps({ accountCredential, deleteOld }),
      extras,
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
    const run = await this.driver.withLock(record.id, async () => {
      const fresh = this.deps.rotations.get(record.id)!
      markRunning(fresh.steps.create!, this.now())
      return this.driver.runCreate(fresh)
    })
    void this.driver.advance(record.id)
    return run
  }

  list(input: CallInput<'rotations.list'>): CallOutput<'rotations.list'> {
    this.deps.accounts.get(input.accountId)
    return {
      rotations: this.deps.rotations
        .forAccount(input.accountId, CLOSED_SHOWN)
        .map((r) => this.driver.view(r))
    }
  }

  async retry(input: CallInput<'rotations.retry'>): Promise<StepRun> {
    const run = await this.driver.withLock(input.id, async () => {
      const record = this.active(input.id)
      const name = failedStep(record)
      if (!name) throw new AppError('BAD_INPUT', 'No step of this rotation has failed.')
      markRunning(record.steps[name]!, this.now())
      this.driver.save(record)
      this.driver.forgetProbing(record.id)
      if (name === 'create') return this.driver.runCreate(record)
      await this.driver.advanceLocked(record.id)
      return { rotation: this.driver.view(this.deps.rotations.get(record.id)!) }
    })
    this.driver.reschedule()
    return run
  }

  async confirmSwap(input: CallInput<'rotations.confirmSwap'>): Promise<Rotation> {
    return this.driver.withLock(input.id, async () => {
      const record = this.active(input.id)
      const swap = record.steps.swap!
      if (swap.state !== 'waiting')
        throw new AppError('BAD_INPUT', 'The new key must exist before it can be swapped in.')
      markDone(swap, this.now())
      this.driver.save(record)
      this.audit(record.accountId, 'rotation.swap', 'ok', record.oldKeyId)
      return this.driver.view(record)
    })
  }

  async confirmDisable(input: CallInput<'rotations.confirmDisable'>): Promise<Rotation> {
    const rotation = await this.driver.withLock(input.id, async () => {
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
      this.driver.save(record)
      await this.driver.advanceLocked(record.id)
      return this.driver.view(this.deps.rotations.get(record.id)!)
    })
    this.driver.reschedule()
    return rotation
  }

  async confirmDelete(input: CallInput<'rotations.confirmDelete'>): Promise<Rotation> {
    return this.driver.withLock(input.id, async () => {
      const record = this.active(input.id)
      const del = record.steps.delete!
      if (del.state !== 'waiting' || del.waitingFor !== 'confirm')
        throw new AppError('BAD_INPUT', 'The old key is not ready to be deleted yet.')
      // The dialog showed a name: it must be this rotation's old key, not a stale one.
      if (input.keyName !== record.oldKeyName)
        throw new AppError('BAD_INPUT', `Confirm with the old key's name, "${record.oldKeyName}".`)
      markRunning(del, this.now())
      this.driver.save(record)
      await this.driver.advanceLocked(record.id)
      return this.driver.view(this.deps.rotations.get(record.id)!)
    })
  }

  async cancel(input: CallInput<'rotations.cancel'>): Promise<Rotation> {
    return this.driver.withLock(input.id, async () => {
      const record = this.active(input.id)
      if (!canCancel(record)) {
        throw new AppError(
          'BAD_INPUT',
          'The old key has been disabled already: the rotation can only go on from here.'
        )
      }
      record.status = 'cancelled'
      record.finishedAt = this.now()
      this.driver.save(record)
      this.driver.forgetProbing(record.id)
      this.audit(record.accountId, 'rotation.cancel', 'ok', record.oldKeyId, record.newKeyName)
      return this.driver.view(record)
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
      newSecret,
      { accountId: record.accountId, keyId: record.newKeyId }
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

  // -- records ---------------------------------------------------------------------------------

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
}

/**
 * What the new key may be. Vectara cannot change a key's role, so rotation is also how an Index
 * key that only ever queries becomes a read-only Query key; no other kind changes.
 */
export function newKindsFor(kind: KeyKind): KeyKind[] {
  return kind === 'index' ? ['index', 'query'] : [kind]
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
