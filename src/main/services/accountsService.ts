import { randomUUID } from 'node:crypto'
import type { CallInput, CallOutput } from '@shared/contract'
import type { Account, AccountsState, CredentialInput } from '@shared/contract/accounts'
import { AppError } from '@shared/errors'
import type { AuditTable } from '../db/tables/auditTable'
import type { StoredAccount, AccountsTable } from '../db/tables/accountsTable'
import type { SettingsTable } from '../db/tables/settingsTable'
import type { EventBus } from '../router'
import { credentialEntry, keySecretEntryPrefix, type SecretStore } from '../secrets/secretStore'
import { isVectaraError } from '../vectara'
import { checkServiceUrl } from '../vectara/urlPolicy'
import type { VectaraClients } from './vectaraClients'

export const SANDBOX_ACCOUNT_ID = 'sandbox'
/** The setting's name predates the word "account"; renaming it would forget the user's choice. */
const CURRENT_KEY = 'currentProfileId'

export interface AccountsServiceDeps {
  accounts: AccountsTable
  settings: SettingsTable
  secrets: SecretStore
  clients: VectaraClients
  audit: AuditTable
  events: EventBus
  /** Where the built-in Sandbox account's credential lives (the Sandbox's admin key). */
  sandbox?: { adoptPersonalKey(secret: string): void }
  now?: () => number
}

export class AccountsService {
  private readonly now: () => number

  constructor(private readonly deps: AccountsServiceDeps) {
    this.now = deps.now ?? Date.now
  }

  /** The built-in Sandbox account exists on first run and is opened when nothing else is. */
  ensureSandboxAccount(sandboxUrl: string): void {
    const existing = this.deps.accounts.get(SANDBOX_ACCOUNT_ID)
    // The Sandbox listens on a new port each start; the row shows where it is now.
    if (!existing || existing.baseUrl !== sandboxUrl) {
      const at = this.now()
      this.deps.accounts.upsert({
        id: SANDBOX_ACCOUNT_ID,
        name: 'Sandbox',
        baseUrl: sandboxUrl,
        authKind: 'sandbox',
        builtin: true,
        createdAt: existing?.createdAt ?? at,
        updatedAt: Math.max(at, (existing?.updatedAt ?? 0) + 1)
      })
    }
    if (!this.currentId()) this.deps.settings.set(CURRENT_KEY, SANDBOX_ACCOUNT_ID)
  }

  list(): AccountsState {
    return { accounts: this.deps.accounts.all().map(toAccount), currentId: this.currentId() }
  }

  /** Every stored account, the built-in Sandbox first. */
  all(): StoredAccount[] {
    return this.deps.accounts.all()
  }

  /** The stored account, or undefined when there is none (e.g. removed since). */
  find(id: string): StoredAccount | undefined {
    return this.deps.accounts.get(id)
  }

  /** The stored account, or a clear error when it has been removed meanwhile. */
  get(id: string): StoredAccount {
    const account = this.deps.accounts.get(id)
    if (!account) throw new AppError('NOT_FOUND', 'That account no longer exists.')
    return account
  }

  async add(input: CallInput<'accounts.add'>): Promise<Account> {
    const baseUrl = normalizeBaseUrl(input.baseUrl)
    await this.checkCredential(baseUrl, input.credential)
    const at = this.now()
    const account: StoredAccount = {
      id: randomUUID(),
      name: input.name,
      baseUrl,
      authKind: input.credential.type,
      ...oauthFields(input.credential),
      builtin: false,
      createdAt: at,
      updatedAt: at
    }
    // Keychain first: an account whose credential could not be stored must not appear.
    await this.deps.secrets.set(credentialEntry(account.id), secretOf(input.credential))
    this.deps.accounts.upsert(account)
    this.audit(account.id, 'account.add', 'ok', input.name)
    if (!this.currentId()) this.deps.settings.set(CURRENT_KEY, account.id)
    this.changed()
    return toAccount(account)
  }

  async update(input: CallInput<'accounts.update'>): Promise<Account> {
    const existing = this.get(input.id)
    if (existing.builtin)
      throw new AppError('BAD_INPUT', 'The built-in Sandbox account cannot be edited.')
    const baseUrl = input.baseUrl === undefined ? existing.baseUrl : normalizeBaseUrl(input.baseUrl)
    if (input.credential) {
      await this.checkCredential(baseUrl, input.credential)
    } else if (baseUrl !== existing.baseUrl) {
      // The stored credential must work against the new address before we switch to it.
      const client = await this.deps.clients.build({ ...existing, baseUrl })
      await firstPage(client.listApiKeys()).catch((error: unknown) => {
        throw explainRejection(error)
      })
    }
    const updated: StoredAccount = {
      ...existing,
      name: input.name ?? existing.name,
      baseUrl,
      ...(input.credential
        ? { authKind: input.credential.type, ...oauthFields(input.credential) }
        : {}),
      updatedAt: Math.max(this.now(), existing.updatedAt + 1)
    }
    if (input.credential) {
      await this.deps.secrets.set(credentialEntry(existing.id), secretOf(input.credential))
    }
    this.deps.accounts.upsert(updated)
    this.deps.clients.forget(existing.id)
    this.audit(existing.id, 'account.update', 'ok', updated.name)
    this.changed()
    return toAccount(updated)
  }

  /**
   * The account signs in with another API key from now on (rotation of the app's own key). The
   * caller has checked that the key lists keys. Keychain first: if that fails, nothing changed
   * and the old credential keeps working.
   */
  async switchCredential(id: string, secret: string): Promise<void> {
    const account = this.get(id)
    if (account.authKind === 'oauth')
      throw new AppError('BAD_INPUT', `"${account.name}" signs in with an OAuth client, not a key.`)
    if (account.authKind === 'sandbox') {
      if (!this.deps.sandbox)
        throw new AppError('INTERNAL', 'The built-in Sandbox cannot change its credential here.')
      this.deps.sandbox.adoptPersonalKey(secret)
    } else {
      await this.deps.secrets.set(credentialEntry(account.id), secret)
    }
    this.deps.accounts.upsert({
      ...account,
      updatedAt: Math.max(this.now(), account.updatedAt + 1)
    })
    this.deps.clients.forget(account.id)
    this.audit(account.id, 'account.update', 'ok', 'credential switched to a rotated key')
    this.changed()
  }

  /** Removes the account, every keychain entry it owns, and its caches (by cascade). */
  async remove(id: string): Promise<CallOutput<'accounts.remove'>> {
    const account = this.get(id)
    if (account.builtin)
      throw new AppError('BAD_INPUT', 'The built-in Sandbox account cannot be removed.')
    const owned = (await this.deps.secrets.list()).filter(
      (entry) => entry === credentialEntry(id) || entry.startsWith(keySecretEntryPrefix(id))
    )
    let removedSecrets = 0
    for (const entry of owned) if (await this.deps.secrets.delete(entry)) removedSecrets++
    this.deps.accounts.delete(id)
    this.deps.clients.forget(id)
    if (this.currentId() === id) this.deps.settings.set(CURRENT_KEY, SANDBOX_ACCOUNT_ID)
    this.audit(id, 'account.remove', 'ok', account.name)
    this.changed()
    return { removedSecrets }
  }

  switch(id: string): AccountsState {
    this.get(id)
    this.deps.settings.set(CURRENT_KEY, id)
    const state = this.list()
    this.deps.events.emit('accounts.changed', state)
    return state
  }

  async check(id: string): Promise<CallOutput<'accounts.check'>> {
    const client = await this.deps.clients.forAccount(this.get(id))
    await firstPage(client.listApiKeys()).catch((error: unknown) => {
      throw explainRejection(error)
    })
    return { ok: true }
  }

  private currentId(): string | null {
    const id = this.deps.settings.get(CURRENT_KEY)
    return id && this.deps.accounts.get(id) ? id : null
  }

  private async checkCredential(baseUrl: string, credential: CredentialInput): Promise<void> {
    let client
    try {
      client = this.deps.clients.fromCredential(baseUrl, credential)
    } catch (error) {
      throw new AppError(
        'BAD_INPUT',
        isVectaraError(error) ? error.message : 'Invalid account settings.',
        {
          fieldErrors: { baseUrl: isVectaraError(error) ? error.message : 'Invalid URL' }
        }
      )
    }
    await firstPage(client.listApiKeys()).catch((error: unknown) => {
      throw explainRejection(error)
    })
  }

  private audit(
    accountId: string,
    action: 'account.add' | 'account.update' | 'account.remove',
    outcome: 'ok' | 'error',
    detail?: string
  ): void {
    this.deps.audit.record({ at: this.now(), accountId, action, outcome, detail })
  }

  private changed(): void {
    this.deps.events.emit('accounts.changed', this.list())
  }
}

async function firstPage<T>(pages: AsyncGenerator<T>): Promise<void> {
  try {
    await pages.next()
  } finally {
    await pages.return(undefined)
  }
}

/** 401/403 while checking a credential get a sentence that says what to do. */
function explainRejection(error: unknown): unknown {
  if (!isVectaraError(error)) return error
  if (error.code === 'API_UNAUTHORIZED') {
    return new AppError(
      'API_UNAUTHORIZED',
      'Vectara rejected this credential: the key is unknown, disabled or deleted (or the OAuth client is wrong). Check it and try again.',
      { status: error.status, requestId: error.requestId }
    )
  }
  if (error.code === 'API_FORBIDDEN') {
    return new AppError(
      'API_FORBIDDEN',
      'Vectara accepted this credential but it may not list API keys. Use a Personal API key (zut_…) or an OAuth client with key-management rights.',
      { status: error.status, requestId: error.requestId }
    )
  }
  return error
}

function normalizeBaseUrl(raw: string): string {
  let url: URL
  try {
    url = checkServiceUrl(raw.trim(), 'API base URL')
  } catch (error) {
    const message = isVectaraError(error) ? error.message : 'The API base URL is not valid.'
    throw new AppError('BAD_INPUT', message, { fieldErrors: { baseUrl: message } })
  }
  return url.toString().replace(/\/+$/, '')
}

function secretOf(credential: CredentialInput): string {
  return credential.type === 'api_key' ? credential.apiKey : credential.clientSecret
}

function oauthFields(
  credential: CredentialInput
): Pick<StoredAccount, 'oauthClientId' | 'oauthTokenUrl'> {
  return credential.type === 'oauth'
    ? { oauthClientId: credential.clientId, oauthTokenUrl: credential.tokenUrl }
    : { oauthClientId: undefined, oauthTokenUrl: undefined }
}

function toAccount(account: StoredAccount): Account {
  return {
    id: account.id,
    name: account.name,
    baseUrl: account.baseUrl,
    authKind: account.authKind,
    ...(account.oauthClientId ? { oauthClientId: account.oauthClientId } : {}),
    ...(account.oauthTokenUrl ? { oauthTokenUrl: account.oauthTokenUrl } : {}),
    builtin: account.builtin,
    createdAt: account.createdAt
  }
}
