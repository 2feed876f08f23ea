import { roleOfKind } from '@shared/keyKinds'
import { AppError, type ErrorCode } from '@shared/errors'
import type { KeyCacheTable } from '../db/tables/keyCacheTable'
import type { RotationRecord, StepRecord } from '../db/tables/rotationsTable'
import { keySecretEntry, type SecretStore } from '../secrets/secretStore'
import type { AccountsService } from '../services/accountsService'
import { canProbe, probeKey } from '../services/keyProbe'
import type { KeySecretsService } from '../services/keySecretsService'
import type { KeysService } from '../services/keysService'
import type { PropagationService } from '../services/propagationService'
import type { VectaraClients } from '../services/vectaraClients'
import { isVectaraError } from '../vectara'
import { toAppError } from '../vectara/errors'
import { VERIFY_LIMIT_MS } from './timing'

/**
 * Each step as an idempotent function of (rotation, clock, services): run again after a crash,
 * a failure or a restart, it finishes the job without doing twice what was done. The services
 * are the app's own (keys, secrets, propagation); nothing here talks to Vectara directly.
 */
export interface StepServices {
  keys: KeysService
  keySecrets: KeySecretsService
  accounts: AccountsService
  clients: VectaraClients
  propagation: PropagationService
  keyCache: KeyCacheTable
  secrets: SecretStore
}

export interface StepContext {
  record: RotationRecord
  now: () => number
  /** When this run of the app began the step's current probing (the verify limit counts from it). */
  probingSince: number
  services: StepServices
  /** Writes the record at once: what Vectara has done must be on disk before anything else. */
  save(record: RotationRecord): void
  /** The key list changed at Vectara (a key made, disabled): the renderer reloads it. */
  keysChanged(): void
}

export type StepResult =
  | { kind: 'done'; at: number; outcome?: StepRecord['outcome'] }
  /** Not yet (a probe said "not serving yet", propagation is pending): look again later. */
  | { kind: 'again'; afterMs?: number }
  | {
      kind: 'failed'
      code: ErrorCode
      message: string
      /** create only: the keychain refused the new secret, so it is handed over once. */
      oneTimeSecret?: string
      keychainProblem?: string
    }

/** 4xx answers mean Vectara did nothing: no twin can exist after them. */
const DEFINITE_REFUSALS = new Set<string>([
  'API_BAD_REQUEST',
  'API_UNAUTHORIZED',
  'API_FORBIDDEN',
  'API_NOT_FOUND',
  'API_CONFLICT',
  'API_RATE_LIMITED',
  'BAD_INPUT'
])

/**
 * Step 1: create the twin. `create.unsure` is written before the request and cleared once
 * Vectara has answered either way; a retry that finds it set (no answer came: network, timeout,
 * 5xx, a crash) first looks for a key with the planned name, which is unique in the account,
 * and adopts it instead of creating a second one. The step is done only when the new secret is
 * in the keychain.
 */
export async function createTwin(ctx: StepContext): Promise<StepResult> {
  const { record, services } = ctx
  const step = record.steps.create!
  if (!record.newKeyId && step.unsure) {
    await services.keys.refresh(record.accountId)
    const found = services.keyCache
      .liveByName(record.accountId, record.newKeyName)
      .filter((k) => k.keyId !== record.oldKeyId)
    if (found.length > 0) {
      record.newKeyId = found[0].keyId
      step.unsure = false
      ctx.save(record)
    }
  }
  if (!record.newKeyId) {
    const role = roleOfKind(record.newKeyKind)
    if (!role) return failed('BAD_INPUT', 'This app does not know what kind of key to create.')
    step.unsure = true
    ctx.save(record)
    let created
    try {
      created = await services.keys.create({
        accountId: record.accountId,
        name: record.newKeyName,
        access: role,
        corpusKeys: record.newCorpora
      })
    } catch (error) {
      const code = codeOf(error)
      if (DEFINITE_REFUSALS.has(code)) {
        step.unsure = false
        ctx.save(record)
      }
      throw error
    }
    record.newKeyId = created.key.id
    step.unsure = false
    ctx.save(record)
    ctx.keysChanged()
    if (!created.secretStored && created.oneTimeSecret) {
      return {
        kind: 'failed',
        code: 'KEYCHAIN_UNAVAILABLE',
        message: `The new key exists, but the keychain did not take its secret: ${created.keychainProblem ?? 'it did not answer'}. Copy the secret now; Retry keeps it in the keychain once it works.`,
        oneTimeSecret: created.oneTimeSecret,
        keychainProblem: created.keychainProblem
      }
    }
  }
  // Done only once the keychain holds the secret (a retry after a keychain failure lands here).
  const { secret, stored } = await services.keySecrets.secretOf(record.accountId, record.newKeyId)
  if (!stored) {
    return {
      kind: 'failed',
      code: 'KEYCHAIN_UNAVAILABLE',
      message:
        'The new key exists, but the keychain did not take its secret. Copy the secret now; Retry keeps it in the keychain once it works.',
      oneTimeSecret: secret,
      keychainProblem: 'The keychain did not take the secret.'
    }
  }
  return { kind: 'done', at: ctx.now() }
}

/**
 * Step 3: a one-result query on one of the new key's corpora (a one-item key list for a
 * Personal key), until it serves. Refused or unreachable only means "not yet" until the limit.
 */
export async function verifyTwin(ctx: StepContext): Promise<StepResult> {
  const { record, services } = ctx
  const target = { kind: record.newKeyKind, corpora: record.newCorpora }
  if (!canProbe(target)) return { kind: 'done', at: ctx.now(), outcome: 'assumed' }
  const secret = await newSecret(ctx)
  const account = services.accounts.get(record.accountId)
  const client = services.clients.forKey(account, record.newKeyId!, secret, 'rotation.verify')
  const { serving, error } = await probeKey(client, target)
  if (serving) return { kind: 'done', at: ctx.now(), outcome: 'confirmed' }
  if (ctx.now() - ctx.probingSince >= VERIFY_LIMIT_MS) {
    const reason = error ? describe(error).message : 'it was refused'
    return failed(
      error ? codeOf(error) : 'API_TIMEOUT',
      `The new key did not serve within 5 minutes (last answer: ${reason}). Retry probes it again.`
    )
  }
  return { kind: 'again' }
}

/**
 * The app's own key only: the new Personal key must list keys before the account signs in with
 * it; then the account's stored credential changes. Any failure leaves the old one in place.
 */
export async function switchCredential(ctx: StepContext): Promise<StepResult> {
  const { record, services } = ctx
  const secret = await newSecret(ctx)
  const account = services.accounts.get(record.accountId)
  const client = services.clients.forKey(account, record.newKeyId!, secret, 'rotation.check')
  const { serving, error } = await probeKey(client, { kind: 'personal', corpora: [] })
  if (serving === false) {
    return failed(
      'API_FORBIDDEN',
      `Vectara does not let the new key list keys (${describe(error).message}), so the app keeps signing in with the old one.`
    )
  }
  if (serving === null) throw error
  await services.accounts.switchCredential(record.accountId, secret)
  services.keys.noteAccountCredential(record.accountId, record.newKeyId!)
  return { kind: 'done', at: ctx.now() }
}

/**
 * Step 4: disable the old key (once: `acceptedAt` records Vectara's yes), then follow it with
 * the propagation service until a request made with it is refused ("Blocked since"), or, when
 * the app cannot hold its secret, until Vectara's stated delay has passed.
 */
export async function disableOld(ctx: StepContext): Promise<StepResult> {
  const { record, services } = ctx
  const step = record.steps.disable!
  const account = services.accounts.get(record.accountId)
  if (!step.acceptedAt) {
    // With the old secret in the keychain the propagation service can watch the block happen.
    await oldSecret(ctx)
    try {
      await services.keys.setEnabled({
        accountId: record.accountId,
        keyId: record.oldKeyId,
        enabled: false
      })
    } catch (error) {
      // Gone already (deleted by hand): nothing is left to block.
      if (codeOf(error) === 'NOT_FOUND' || codeOf(error) === 'API_NOT_FOUND')
        return { kind: 'done', at: ctx.now(), outcome: 'assumed' }
      throw error
    }
    step.acceptedAt = ctx.now()
    ctx.save(record)
    ctx.keysChanged()
  }
  let propagation = services.propagation.get(record.accountId, record.oldKeyId)
  if (!propagation || propagation.action !== 'disable') {
    // After a restart (or a retry) the watch starts again: the key is disabled already.
    propagation = services.propagation.start({
      account,
      keyId: record.oldKeyId,
      kind: record.oldKeyKind,
      corpora: record.oldCorpora,
      action: 'disable',
      secret: await oldSecret(ctx)
    })
  }
  switch (propagation.state) {
    case 'confirmed':
      return { kind: 'done', at: propagation.confirmedAt ?? ctx.now(), outcome: 'confirmed' }
    case 'assumed':
      return { kind: 'done', at: propagation.expectedBy, outcome: 'assumed' }
    case 'timeout':
      // Forget the watch, so Retry starts a new one.
      services.propagation.cancel(record.accountId, record.oldKeyId)
      return failed(
        'API_TIMEOUT',
        'Vectara still accepted the old key 5 minutes after it was disabled. Retry watches again.'
      )
    case 'pending':
      return { kind: 'again' }
  }
}

/** Step 5, after the user confirmed: delete the old key (already gone counts as done). */
export async function deleteOld(ctx: StepContext): Promise<StepResult> {
  const { record, services } = ctx
  await services.keys.delete({ accountId: record.accountId, keyId: record.oldKeyId })
  return { kind: 'done', at: ctx.now() }
}

async function newSecret(ctx: StepContext): Promise<string> {
  const { record, services } = ctx
  const stored = await services.secrets.get(keySecretEntry(record.accountId, record.newKeyId!))
  if (stored) return stored
  return (await services.keySecrets.secretOf(record.accountId, record.newKeyId!)).secret
}

/** The old key's secret, when the keychain or Vectara has it; null otherwise (probing is optional). */
async function oldSecret(ctx: StepContext): Promise<string | null> {
  const { record, services } = ctx
  try {
    return (await services.keySecrets.secretOf(record.accountId, record.oldKeyId)).secret
  } catch {
    return null
  }
}

function failed(code: ErrorCode, message: string): StepResult {
  return { kind: 'failed', code, message }
}

export function codeOf(error: unknown): ErrorCode {
  if (error instanceof AppError) return error.code
  if (isVectaraError(error)) return error.code
  return 'INTERNAL'
}

/** A failure as the step shows it: the app's words for Vectara's answer, never a secret. */
export function describe(error: unknown): { code: ErrorCode; message: string } {
  if (error instanceof AppError) return { code: error.code, message: error.message }
  const mapped = toAppError(error)
  if (mapped) return { code: mapped.code, message: mapped.message }
  return { code: 'INTERNAL', message: 'Something went wrong in the app. See the app log.' }
}
