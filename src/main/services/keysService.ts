import type { CallInput, CallOutput } from '@shared/contract'
import type { KeyExpiry, KeyList, KeyRow } from '@shared/contract/keys'
import { AppError } from '@shared/errors'
import { maskSecret } from '@shared/redact'
import { sortByName } from '@shared/sortText'
import { corpusKeysOf, keyKindOf, type ApiKey } from '@shared/vectara'
import { auditWith, type AuditTable, type RecordAudit } from '../db/tables/auditTable'
import type { CachedKey, KeyCacheTable } from '../db/tables/keyCacheTable'
import type { KeyExpiryTable } from '../db/tables/keyExpiryTable'
import type { StoredAccount } from '../db/tables/accountsTable'
import type { SettingsTable } from '../db/tables/settingsTable'
import type { UsageEventsTable } from '../db/tables/usageEventsTable'
import type { Logger } from '../log'
import type { EventBus } from '../router'
import { keySecretEntry, keySecretEntryPrefix, type SecretStore } from '../secrets/secretStore'
import { isVectaraError } from '../vectara'
import { toAppError } from '../vectara/errors'
import type { AccountsService } from './accountsService'
import type { PropagationService } from './propagationService'
import type { VectaraClients } from './vectaraClients'

export interface KeysServiceDeps {
  accounts: AccountsService
  clients: VectaraClients
  secrets: SecretStore
  keyCache: KeyCacheTable
  usage: UsageEventsTable
  settings: SettingsTable
  audit: AuditTable
  propagation: PropagationService
  events: EventBus
  logger: Logger
  /** Local expiry dates, shown on each row (Health owns them). */
  keyExpiry?: KeyExpiryTable
  /** Per key id, the files on this machine its secret was found in (the folder scanner's). */
  foundInFiles?: (accountId: string) => ReadonlyMap<string, number>
  now?: () => number
}

/**
 * The key list and the actions on a key (create, enable or disable, delete); what is done with
 * a key's secret is KeySecretsService's. The API is the source of truth; SQLite keeps the last
 * list (so it shows at once and offline) and what the API cannot tell: when a key was first
 * seen and when it was last used. Secrets go to the keychain only.
 */
export class KeysService {
  private readonly now: () => number
  private readonly audit: RecordAudit

  constructor(private readonly deps: KeysServiceDeps) {
    this.now = deps.now ?? Date.now
    this.audit = auditWith(deps.audit, this.now)
  }

  async list(accountId: string): Promise<KeyList> {
    this.deps.accounts.get(accountId)
    return this.rows(accountId, this.deps.keyCache.live(accountId))
  }

  async refresh(accountId: string): Promise<KeyList> {
    const account = this.deps.accounts.get(accountId)
    const client = await this.deps.clients.forAccount(account)
    const apiKeys = await client.listAllApiKeys()
    const at = this.now()
    await this.rememberCredentialKey(account, apiKeys)
    const cached = apiKeys
      .filter((k): k is ApiKey & { id: string } => typeof k.id === 'string' && k.id.length > 0)
      .map((k) => this.toCached(accountId, k, at))
    this.deps.keyCache.replaceAll(accountId, cached, at)
    this.deps.settings.set(syncedKey(accountId), String(at))
    return this.rows(accountId, this.deps.keyCache.live(accountId))
  }

  async create(input: CallInput<'keys.create'>): Promise<CallOutput<'keys.create'>> {
    const account = this.deps.accounts.get(input.accountId)
    const client = await this.deps.clients.forAccount(account)
    let created: ApiKey
    try {
      created = await client.createApiKey({
        name: input.name,
        role: input.access,
        corpusKeys: input.corpusKeys
      })
    } catch (error) {
      this.audit(input.accountId, 'key.create', 'error', undefined, codeOf(error))
      if (input.access === 'personal') throw explainPersonalRefusal(error)
      throw withContractFieldNames(error)
    }
    if (!created.id)
      throw new AppError('API_INVALID_RESPONSE', 'Vectara created the key but did not say its id.')
    const at = this.now()
    const key = { ...this.toCached(input.accountId, created as ApiKey & { id: string }, at) }
    if (key.corpora.length === 0) key.corpora = input.corpusKeys ?? []
    this.deps.keyCache.upsert(key)
    this.audit(input.accountId, 'key.create', 'ok', key.keyId, input.name)
    const result = await this.keepCreatedSecret(input.accountId, key, created.secret_key)
    this.changed(input.accountId)
    return result
  }

  /** The secret must be safe before success is shown; if the keychain fails, hand it over once. */
  private async keepCreatedSecret(
    accountId: string,
    key: CachedKey,
    secret: string | undefined
  ): Promise<CallOutput<'keys.create'>> {
    if (!secret) return { key: await this.row(accountId, key), secretStored: false }
    try {
      await this.deps.secrets.set(keySecretEntry(accountId, key.keyId), secret)
      return { key: await this.row(accountId, key), secretStored: true }
    } catch (error) {
      const keychainProblem =
        error instanceof AppError ? error.message : 'The keychain did not answer.'
      return {
        key: await this.row(accountId, key),
        secretStored: false,
        oneTimeSecret: secret,
        keychainProblem
      }
    }
  }

  async setEnabled(input: CallInput<'keys.setEnabled'>): Promise<KeyRow> {
    const account = this.deps.accounts.get(input.accountId)
    const cached = this.cachedKey(input.accountId, input.keyId)
    if (!input.enabled) this.refuseIfAccountCredential(input.accountId, cached, 'disable')
    const client = await this.deps.clients.forAccount(account)
    const action = input.enabled ? 'key.enable' : 'key.disable'
    try {
      await client.setApiKeyEnabled(input.keyId, input.enabled)
    } catch (error) {
      this.audit(input.accountId, action, 'error', input.keyId, codeOf(error))
      throw error
    }
    this.deps.keyCache.setEnabled(input.accountId, input.keyId, input.enabled)
    this.audit(input.accountId, action, 'ok', input.keyId)
    this.deps.propagation.start({
      account,
      keyId: input.keyId,
      kind: cached.kind,
      corpora: cached.corpora,
      action: input.enabled ? 'enable' : 'disable',
      secret: await this.storedSecret(input.accountId, input.keyId)
    })
    this.changed(input.accountId)
    return this.row(input.accountId, { ...cached, enabled: input.enabled })
  }

  async delete(input: CallInput<'keys.delete'>): Promise<CallOutput<'keys.delete'>> {
    const account = this.deps.accounts.get(input.accountId)
    const cached = this.deps.keyCache.get(input.accountId, input.keyId)
    if (cached) this.refuseIfAccountCredential(input.accountId, cached, 'delete')
    const client = await this.deps.clients.forAccount(account)
    try {
      await client.deleteApiKey(input.keyId)
    } catch (error) {
      // Already gone at Vectara: finish the job here rather than leave a ghost row.
      if (!(isVectaraError(error) && error.code === 'API_NOT_FOUND')) {
        this.audit(input.accountId, 'key.delete', 'error', input.keyId, codeOf(error))
        throw error
      }
    }
    this.deps.keyCache.markDeleted(input.accountId, input.keyId, this.now())
    this.deps.propagation.cancel(input.accountId, input.keyId)
    try {
      await this.deps.secrets.delete(keySecretEntry(input.accountId, input.keyId))
    } catch (error) {
      this.deps.logger.warn(
        `key ${input.keyId} deleted but its keychain entry could not be removed`,
        error
      )
    }
    this.audit(input.accountId, 'key.delete', 'ok', input.keyId)
    this.changed(input.accountId)
    return { keyId: input.keyId }
  }

  /**
   * Tells every view of the account's keys (the Keys table, the Playground's picker, another
   * window) that the cached list or a key's secret changed, so each reads it again.
   */
  changed(accountId: string): void {
    this.deps.events.emit('keys.changed', { accountId })
  }

  /**
   * Which listed key is the account's own admin credential (when the API returns secrets, the
   * comparison happens here in main; neither secret is kept).
   */
  private async rememberCredentialKey(account: StoredAccount, apiKeys: ApiKey[]): Promise<void> {
    let credential: string | null = null
    try {
      credential = await this.deps.clients.adminSecretOf(account)
    } catch {
      credential = null
    }
    const match = credential ? apiKeys.find((k) => k.secret_key === credential && k.id) : undefined
    if (match?.id) this.deps.settings.set(credentialKey(account.id), match.id)
    else this.deps.settings.delete(credentialKey(account.id))
  }

  /**
   * The account now signs in with this key (a rotation switched its credential): it is the one
   * the list marks as the app's key and that may not be disabled or deleted by accident.
   */
  noteAccountCredential(accountId: string, keyId: string): void {
    this.deps.settings.set(credentialKey(accountId), keyId)
  }

  /** The key the account's credential is, when the last listing could tell. */
  accountCredentialKeyId(accountId: string): string | undefined {
    return this.deps.settings.get(credentialKey(accountId))
  }

  private refuseIfAccountCredential(
    accountId: string,
    key: CachedKey,
    action: 'disable' | 'delete'
  ): void {
    if (this.deps.settings.get(credentialKey(accountId)) !== key.keyId) return
    const accountName = this.deps.accounts.get(accountId).name
    throw new AppError(
      'BAD_INPUT',
      `"${key.name}" is the key this app uses to manage "${accountName}". To ${action} it would lock the app out of the account. Give the account another credential first (Accounts → Edit), or use the Vectara console.`
    )
  }

  private async storedSecret(accountId: string, keyId: string): Promise<string | null> {
    try {
      return await this.deps.secrets.get(keySecretEntry(accountId, keyId))
    } catch {
      return null
    }
  }

  /** The cached key, or a clear error when it has left the list. */
  cachedKey(accountId: string, keyId: string): CachedKey {
    const cached = this.deps.keyCache.get(accountId, keyId)
    if (!cached)
      throw new AppError('NOT_FOUND', 'That key is not in the list any more. Refresh the list.')
    return cached
  }

  private toCached(accountId: string, apiKey: ApiKey & { id: string }, at: number): CachedKey {
    return {
      accountId,
      keyId: apiKey.id,
      name: apiKey.name ?? apiKey.id,
      kind: keyKindOf(apiKey),
      role: apiKey.api_key_role ?? null,
      enabled: apiKey.enabled !== false,
      corpora: corpusKeysOf(apiKey),
      maskedSecret: apiKey.secret_key ? maskSecret(apiKey.secret_key) : null,
      firstSeenAt: this.deps.keyCache.firstSeenAt(accountId, apiKey.id) ?? at,
      lastSyncedAt: at
    }
  }

  private async rows(accountId: string, keys: CachedKey[]): Promise<KeyList> {
    const stored = await this.storedKeyIds(accountId)
    const lastUsed = this.deps.usage.lastUsedByKey(accountId)
    const synced = this.deps.settings.get(syncedKey(accountId))
    const credentialKeyId = this.deps.settings.get(credentialKey(accountId))
    const expiries = this.deps.keyExpiry?.forAccount(accountId)
    const found = this.deps.foundInFiles?.(accountId)
    return {
      accountId,
      // In the renderer's default order, so it can show 10,000 rows without sorting them.
      keys: sortByName(
        keys.map((k) =>
          withFiles(
            this.toRow(accountId, k, stored, lastUsed, credentialKeyId, expiries?.get(k.keyId)),
            found
          )
        )
      ),
      syncedAt: synced ? Number(synced) : null
    }
  }

  /** One row as the list shows it, e.g. after an action changed the key. */
  async row(accountId: string, key: CachedKey): Promise<KeyRow> {
    const row = this.toRow(
      accountId,
      key,
      await this.storedKeyIds(accountId),
      this.deps.usage.lastUsedByKey(accountId),
      undefined,
      this.deps.keyExpiry?.get(accountId, key.keyId)
    )
    return withFiles(row, this.deps.foundInFiles?.(accountId))
  }

  /** One keychain call for the whole list; an unavailable keychain just means "not stored". */
  private async storedKeyIds(accountId: string): Promise<Set<string>> {
    const prefix = keySecretEntryPrefix(accountId)
    try {
      return new Set(
        (await this.deps.secrets.list())
          .filter((a) => a.startsWith(prefix))
          .map((a) => a.slice(prefix.length))
      )
    } catch {
      return new Set()
    }
  }

  private toRow(
    accountId: string,
    key: CachedKey,
    stored: Set<string>,
    lastUsed: Map<string, number>,
    credentialKeyId?: string,
    expiry?: KeyExpiry
  ): KeyRow {
    const propagation = this.deps.propagation.get(accountId, key.keyId)
    return {
      id: key.keyId,
      name: key.name,
      kind: key.kind,
      maskedSecret: key.maskedSecret,
      secretStored: stored.has(key.keyId),
      enabled: key.enabled,
      corpora: key.corpora,
      firstSeenAt: key.firstSeenAt,
      lastUsedAt: lastUsed.get(key.keyId) ?? null,
      ...(propagation ? { propagation } : {}),
      ...(credentialKeyId === key.keyId ? { accountCredential: true } : {}),
      ...(expiry ? { expiry } : {})
    }
  }
}

function withFiles(row: KeyRow, found: ReadonlyMap<string, number> | undefined): KeyRow {
  const files = found?.get(row.id)
  return files ? { ...row, foundInFiles: files } : row
}

function syncedKey(accountId: string): string {
  return `keys.syncedAt:${accountId}`
}

function credentialKey(accountId: string): string {
  return `keys.credentialKeyId:${accountId}`
}

/** The id of the key the app itself signs in with for the account, when the list showed it. */
export function accountCredentialKeyId(
  settings: Pick<SettingsTable, 'get'>,
  accountId: string
): string | undefined {
  return settings.get(credentialKey(accountId))
}

function codeOf(error: unknown): string {
  if (isVectaraError(error) || error instanceof AppError) return error.code
  return 'INTERNAL'
}

/**
 * Vectara creates a Personal key for the user whose credential asks, with that user's rights; a
 * 403 means this credential may not (an app client, or roles that only read). Say so in words.
 */
function explainPersonalRefusal(error: unknown): unknown {
  if (!(isVectaraError(error) && error.code === 'API_FORBIDDEN'))
    return withContractFieldNames(error)
  return new AppError(
    'API_FORBIDDEN',
    "Vectara refused to create a Personal key with this account's credential (403). A Personal key is made for the user whose key asks and gets exactly that user's permissions; a credential whose roles only allow reading, or an app client without a user, cannot make one. Sign in with your own Personal key (Accounts → Edit), or create the key in the Vectara console.",
    { status: error.status, requestId: error.requestId }
  )
}

/** The API says `corpus_keys[i]`; the create form's field is `corpusKeys`. */
function withContractFieldNames(error: unknown): unknown {
  const mapped = toAppError(error)
  if (!mapped?.fieldErrors) return error
  const renamed: Record<string, string> = {}
  for (const [field, message] of Object.entries(mapped.fieldErrors)) {
    // `corpus_keys` or `corpus_keys[2]`: both belong beside the Corpora picker.
    const name = /^corpus_keys\b/.test(field) ? 'corpusKeys' : field
    renamed[name] ??= message
  }
  return new AppError(mapped.code, mapped.message, {
    status: mapped.status,
    requestId: mapped.requestId,
    fieldErrors: renamed
  })
}
