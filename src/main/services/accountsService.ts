import { randomUUID } from 'node:crypto'
import type { Account, AccountsState, CredentialInput } from '@shared/contract/accounts'
import { AppError } from '@shared/errors'
import type { AuditTable } from '../db/tables/auditTable'
import type { Profile, ProfilesTable } from '../db/tables/profilesTable'
import type { SettingsTable } from '../db/tables/settingsTable'
import type { EventBus } from '../router'
import { profileAccount, type SecretStore } from '../secrets/secretStore'
import { isVectaraError } from '../vectara'
import { checkServiceUrl } from '../vectara/urlPolicy'
import type { VectaraClients } from './vectaraClients'

export const SANDBOX_PROFILE_ID = 'sandbox'
const CURRENT_KEY = 'currentProfileId'

export interface AccountsServiceDeps {
  profiles: ProfilesTable
  settings: SettingsTable
  secrets: SecretStore
  clients: VectaraClients
  audit: AuditTable
  events: EventBus
  now?: () => number
}

export class AccountsService {
  private readonly now: () => number

  constructor(private readonly deps: AccountsServiceDeps) {
    this.now = deps.now ?? Date.now
  }

  /** The built-in Sandbox account exists on first run and is opened when nothing else is. */
  ensureSandboxAccount(sandboxUrl: string): void {
    const existing = this.deps.profiles.get(SANDBOX_PROFILE_ID)
    // The Sandbox listens on a new port each start; the row shows where it is now.
    if (!existing || existing.baseUrl !== sandboxUrl) {
      const at = this.now()
      this.deps.profiles.upsert({
        id: SANDBOX_PROFILE_ID,
        name: 'Sandbox',
        baseUrl: sandboxUrl,
        authKind: 'sandbox',
        builtin: true,
        createdAt: existing?.createdAt ?? at,
        updatedAt: Math.max(at, (existing?.updatedAt ?? 0) + 1)
      })
    }
    if (!this.currentId()) this.deps.settings.set(CURRENT_KEY, SANDBOX_PROFILE_ID)
  }

  list(): AccountsState {
    return { accounts: this.deps.profiles.all().map(toAccount), currentId: this.currentId() }
  }

  profile(id: string): Profile {
    const profile = this.deps.profiles.get(id)
    if (!profile) throw new AppError('NOT_FOUND', 'That account no longer exists.')
    return profile
  }

  async add(input: {
    name: string
    baseUrl: string
    credential: CredentialInput
  }): Promise<Account> {
    const baseUrl = normalizeBaseUrl(input.baseUrl)
    await this.checkCredential(baseUrl, input.credential)
    const at = this.now()
    const profile: Profile = {
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
    await this.deps.secrets.set(profileAccount(profile.id), secretOf(input.credential))
    this.deps.profiles.upsert(profile)
    this.audit(profile.id, 'account.add', 'ok', input.name)
    if (!this.currentId()) this.deps.settings.set(CURRENT_KEY, profile.id)
    this.changed()
    return toAccount(profile)
  }

  async update(input: {
    id: string
    name?: string
    baseUrl?: string
    credential?: CredentialInput
  }): Promise<Account> {
    const existing = this.profile(input.id)
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
    const updated: Profile = {
      ...existing,
      name: input.name ?? existing.name,
      baseUrl,
      ...(input.credential
        ? { authKind: input.credential.type, ...oauthFields(input.credential) }
        : {}),
      updatedAt: Math.max(this.now(), existing.updatedAt + 1)
    }
    if (input.credential) {
      await this.deps.secrets.set(profileAccount(existing.id), secretOf(input.credential))
    }
    this.deps.profiles.upsert(updated)
    this.deps.clients.forget(existing.id)
    this.audit(existing.id, 'account.update', 'ok', updated.name)
    this.changed()
    return toAccount(updated)
  }

  /** Removes the account, every keychain entry it owns, and its caches (by cascade). */
  async remove(id: string): Promise<{ removedSecrets: number }> {
    const profile = this.profile(id)
    if (profile.builtin)
      throw new AppError('BAD_INPUT', 'The built-in Sandbox account cannot be removed.')
    const owned = (await this.deps.secrets.list()).filter(
      (account) => account === profileAccount(id) || account.startsWith(`key:${id}:`)
    )
    let removedSecrets = 0
    for (const account of owned) if (await this.deps.secrets.delete(account)) removedSecrets++
    this.deps.profiles.delete(id)
    this.deps.clients.forget(id)
    if (this.currentId() === id) this.deps.settings.set(CURRENT_KEY, SANDBOX_PROFILE_ID)
    this.audit(id, 'account.remove', 'ok', profile.name)
    this.changed()
    return { removedSecrets }
  }

  switchTo(id: string): AccountsState {
    this.profile(id)
    this.deps.settings.set(CURRENT_KEY, id)
    const state = this.list()
    this.deps.events.emit('accounts.changed', state)
    return state
  }

  async check(id: string): Promise<{ ok: true }> {
    const client = await this.deps.clients.forAccount(this.profile(id))
    await firstPage(client.listApiKeys()).catch((error: unknown) => {
      throw explainRejection(error)
    })
    return { ok: true }
  }

  private currentId(): string | null {
    const id = this.deps.settings.get(CURRENT_KEY)
    return id && this.deps.profiles.get(id) ? id : null
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
    profileId: string,
    action: 'account.add' | 'account.update' | 'account.remove',
    outcome: 'ok' | 'error',
    detail?: string
  ): void {
    this.deps.audit.record({ at: this.now(), profileId, action, outcome, detail })
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
): Pick<Profile, 'oauthClientId' | 'oauthTokenUrl'> {
  return credential.type === 'oauth'
    ? { oauthClientId: credential.clientId, oauthTokenUrl: credential.tokenUrl }
    : { oauthClientId: undefined, oauthTokenUrl: undefined }
}

function toAccount(profile: Profile): Account {
  return {
    id: profile.id,
    name: profile.name,
    baseUrl: profile.baseUrl,
    authKind: profile.authKind,
    ...(profile.oauthClientId ? { oauthClientId: profile.oauthClientId } : {}),
    ...(profile.oauthTokenUrl ? { oauthTokenUrl: profile.oauthTokenUrl } : {}),
    builtin: profile.builtin,
    createdAt: profile.createdAt
  }
}
