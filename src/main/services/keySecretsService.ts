import type { CallInput, CallOutput } from '@shared/contract'
import type { KeyRow } from '@shared/contract/keys'
import { AppError } from '@shared/errors'
import { prefixOfKind } from '@shared/keyKinds'
import { maskSecret } from '@shared/redact'
import { copySecretWithExpiry, SECRET_CLIPBOARD_CLEAR_MS, type Clipboard } from '../clipboard'
import {
  auditWith,
  type AuditAction,
  type AuditTable,
  type RecordAudit
} from '../db/tables/auditTable'
import type { KeyCacheTable } from '../db/tables/keyCacheTable'
import type { Logger } from '../log'
import { keySecretEntry, type SecretStore } from '../secrets/secretStore'
import type { AccountsService } from './accountsService'
import type { KeysService } from './keysService'
import type { VectaraClients } from './vectaraClients'

export const REVEAL_MS = 30_000

export interface KeySecretsServiceDeps {
  keys: KeysService
  accounts: AccountsService
  clients: VectaraClients
  secrets: SecretStore
  keyCache: KeyCacheTable
  audit: AuditTable
  clipboard: Clipboard
  logger: Logger
  now?: () => number
}

/**
 * What the user does with a key's secret: copy it (main writes the clipboard), reveal it for
 * display, or paste one the API will not return. The secret lives in the keychain only.
 */
export class KeySecretsService {
  private readonly now: () => number
  private readonly audit: RecordAudit

  constructor(private readonly deps: KeySecretsServiceDeps) {
    this.now = deps.now ?? Date.now
    this.audit = auditWith(deps.audit, this.now)
  }

  async copySecret(input: CallInput<'keys.copySecret'>): Promise<CallOutput<'keys.copySecret'>> {
    const secret = await this.secretFor(input.accountId, input.keyId, 'key.copy')
    copySecretWithExpiry(this.deps.clipboard, secret)
    this.audit(input.accountId, 'key.copy', 'ok', input.keyId)
    return { clearsAfterMs: SECRET_CLIPBOARD_CLEAR_MS }
  }

  async revealSecret(
    input: CallInput<'keys.revealSecret'>
  ): Promise<CallOutput<'keys.revealSecret'>> {
    const secret = await this.secretFor(input.accountId, input.keyId, 'key.reveal')
    this.audit(input.accountId, 'key.reveal', 'ok', input.keyId)
    return { secret, hideAfterMs: REVEAL_MS }
  }

  /**
   * Gets a key's secret into the keychain (from Vectara, as Reveal does) without handing it to
   * the renderer: the Playground then names the key by id and main reads the secret.
   */
  async fetchSecret(input: CallInput<'keys.fetchSecret'>): Promise<KeyRow> {
    await this.secretFor(input.accountId, input.keyId, 'key.fetchSecret')
    return this.deps.keys.row(
      input.accountId,
      this.deps.keys.cachedKey(input.accountId, input.keyId)
    )
  }

  async storeSecret(input: CallInput<'keys.storeSecret'>): Promise<KeyRow> {
    const cached = this.deps.keys.cachedKey(input.accountId, input.keyId)
    const expected = prefixOfKind(cached.kind)
    if (expected && !input.secret.startsWith(expected)) {
      const message = `A ${cached.kind} key starts with ${expected}. Check that you pasted the secret of "${cached.name}".`
      throw new AppError('BAD_INPUT', message, { fieldErrors: { secret: message } })
    }
    await this.deps.secrets.set(keySecretEntry(input.accountId, input.keyId), input.secret)
    this.deps.keyCache.setMaskedSecret(input.accountId, input.keyId, maskSecret(input.secret))
    this.audit(input.accountId, 'key.storeSecret', 'ok', input.keyId)
    this.deps.keys.changed(input.accountId)
    return this.deps.keys.row(input.accountId, {
      ...cached,
      maskedSecret: maskSecret(input.secret)
    })
  }

  /**
   * The key's secret from the keychain, or from the API when it returns one (then kept, and the
   * key's views told). It never leaves main but for Copy and Reveal, which say so themselves.
   */
  async secretFor(accountId: string, keyId: string, action: AuditAction): Promise<string> {
    try {
      return (await this.secretOf(accountId, keyId)).secret
    } catch (error) {
      if (error instanceof AppError && error.code === 'SECRET_UNKNOWN')
        this.audit(accountId, action, 'error', keyId, 'SECRET_UNKNOWN')
      throw error
    }
  }

  /**
   * For main's own use (rotation): the secret from the keychain, else from the API, which is then
   * kept in the keychain; `stored` says whether the keychain holds it now. Never for the renderer.
   */
  async secretOf(accountId: string, keyId: string): Promise<{ secret: string; stored: boolean }> {
    const cached = this.deps.keys.cachedKey(accountId, keyId)
    const stored = await this.deps.secrets.get(keySecretEntry(accountId, keyId))
    if (stored) return { secret: stored, stored: true }
    const client = await this.deps.clients.forAccount(this.deps.accounts.get(accountId))
    const fetched = (await client.getApiKey(keyId)).secret_key
    if (!fetched) {
      throw new AppError(
        'SECRET_UNKNOWN',
        `The app does not hold the secret of "${cached.name}" and Vectara did not return it. Paste it to keep it in your keychain.`
      )
    }
    try {
      await this.deps.secrets.set(keySecretEntry(accountId, keyId), fetched)
      this.deps.keyCache.setMaskedSecret(accountId, keyId, maskSecret(fetched))
      this.audit(accountId, 'key.fetchSecret', 'ok', keyId)
      this.deps.keys.changed(accountId)
      return { secret: fetched, stored: true }
    } catch (error) {
      this.deps.logger.warn(`could not keep the secret of ${keyId} in the keychain`, error)
      return { secret: fetched, stored: false }
    }
  }
}
