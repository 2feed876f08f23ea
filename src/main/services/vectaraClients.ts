import { AppError } from '@shared/errors'
import type { CredentialInput } from '@shared/contract/accounts'
import type { StoredAccount } from '../db/tables/accountsTable'
import { credentialEntry, type SecretStore } from '../secrets/secretStore'
import { VectaraClient, type VectaraClientOptions } from '../vectara'
import type { UsageRecorder } from './usageRecorder'

/** The running embedded Sandbox, as the app sees it. */
export interface SandboxEndpoint {
  url: string
  personalKey: string
}

export interface VectaraClientsDeps {
  secrets: SecretStore
  usage: UsageRecorder
  sandbox: () => SandboxEndpoint | undefined
  /** Test seams (timeouts, retry policy, fetch). */
  clientOptions?: Partial<Omit<VectaraClientOptions, 'baseUrl' | 'auth' | 'onRequest'>>
}

/**
 * Builds API clients: one admin client per account (cached, so an OAuth token is reused), and
 * short-lived clients that authenticate with one key's own secret (probes, the playground).
 */
export class VectaraClients {
  private readonly admin = new Map<string, { version: number; client: VectaraClient }>()

  constructor(private readonly deps: VectaraClientsDeps) {}

  async forAccount(account: StoredAccount): Promise<VectaraClient> {
    const cached = this.admin.get(account.id)
    if (cached && cached.version === account.updatedAt) return cached.client
    const client = await this.build(account)
    this.admin.set(account.id, { version: account.updatedAt, client })
    return client
  }

  /** An uncached admin client, e.g. to try the stored credential against a new base URL. */
  async build(account: StoredAccount): Promise<VectaraClient> {
    return new VectaraClient({
      ...this.deps.clientOptions,
      baseUrl: this.baseUrlOf(account),
      auth: await this.authOf(account),
      onRequest: this.deps.usage.observer({ accountId: account.id })
    })
  }

  /**
   * A client that sends one key's secret in x-api-key; its requests count as that key's use.
   * `overrides` lets the playground see the raw exchange and turn retries off.
   */
  forKey(
    account: StoredAccount,
    keyId: string | undefined,
    secret: string,
    action?: string,
    overrides: Partial<Omit<VectaraClientOptions, 'baseUrl' | 'auth' | 'onRequest'>> = {}
  ): VectaraClient {
    return new VectaraClient({
      ...this.deps.clientOptions,
      ...overrides,
      baseUrl: this.baseUrlOf(account),
      auth: { type: 'api_key', apiKey: secret },
      onRequest: this.deps.usage.observer({ accountId: account.id, keyId, action })
    })
  }

  /** The fetch clients use (a test seam when set), for wrappers that observe it. */
  get fetch(): typeof fetch {
    return this.deps.clientOptions?.fetch ?? globalThis.fetch
  }

  /** For checking a credential before anything is saved; nothing is recorded. */
  fromCredential(baseUrl: string, credential: CredentialInput): VectaraClient {
    return new VectaraClient({
      ...this.deps.clientOptions,
      baseUrl,
      auth:
        credential.type === 'api_key'
          ? { type: 'api_key', apiKey: credential.apiKey }
          : {
              type: 'oauth',
              clientId: credential.clientId,
              clientSecret: credential.clientSecret,
              tokenUrl: credential.tokenUrl
            }
    })
  }

  /** The account's own admin secret (API key or OAuth client secret), for comparisons in main. */
  async adminSecretOf(account: StoredAccount): Promise<string | null> {
    if (account.authKind === 'sandbox') return this.deps.sandbox()?.personalKey ?? null
    if (account.authKind === 'oauth') return null
    return this.deps.secrets.get(credentialEntry(account.id))
  }

  forget(accountId: string): void {
    this.admin.delete(accountId)
  }

  baseUrlOf(account: StoredAccount): string {
    if (account.authKind !== 'sandbox') return account.baseUrl
    return this.runningSandbox().url
  }

  private async authOf(account: StoredAccount): Promise<VectaraClientOptions['auth']> {
    if (account.authKind === 'sandbox')
      return { type: 'api_key', apiKey: this.runningSandbox().personalKey }
    const secret = await this.deps.secrets.get(credentialEntry(account.id))
    if (!secret) {
      throw new AppError(
        'SECRET_UNKNOWN',
        `The credential of "${account.name}" is not in the keychain. Edit the account to enter it again.`
      )
    }
    if (account.authKind === 'api_key') return { type: 'api_key', apiKey: secret }
    return {
      type: 'oauth',
      clientId: account.oauthClientId ?? '',
      clientSecret: secret,
      tokenUrl: account.oauthTokenUrl
    }
  }

  private runningSandbox(): SandboxEndpoint {
    const sandbox = this.deps.sandbox()
    if (!sandbox) throw new AppError('NETWORK_ERROR', 'The built-in Sandbox is not running.')
    return sandbox
  }
}
