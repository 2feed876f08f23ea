import { AppError } from '@shared/errors'
import type { CredentialInput } from '@shared/contract/accounts'
import type { Profile } from '../db/tables/profilesTable'
import { profileAccount, type SecretStore } from '../secrets/secretStore'
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

  async forAccount(profile: Profile): Promise<VectaraClient> {
    const cached = this.admin.get(profile.id)
    if (cached && cached.version === profile.updatedAt) return cached.client
    const client = await this.build(profile)
    this.admin.set(profile.id, { version: profile.updatedAt, client })
    return client
  }

  /** An uncached admin client, e.g. to try the stored credential against a new base URL. */
  async build(profile: Profile): Promise<VectaraClient> {
    return new VectaraClient({
      ...this.deps.clientOptions,
      baseUrl: this.baseUrlOf(profile),
      auth: await this.authOf(profile),
      onRequest: this.deps.usage.observer({ profileId: profile.id })
    })
  }

  /**
   * A client that sends one key's secret in x-api-key; its requests count as that key's use.
   * `overrides` lets the playground see the raw exchange and turn retries off.
   */
  forKey(
    profile: Profile,
    keyId: string | undefined,
    secret: string,
    action?: string,
    overrides: Partial<Omit<VectaraClientOptions, 'baseUrl' | 'auth' | 'onRequest'>> = {}
  ): VectaraClient {
    return new VectaraClient({
      ...this.deps.clientOptions,
      ...overrides,
      baseUrl: this.baseUrlOf(profile),
      auth: { type: 'api_key', apiKey: secret },
      onRequest: this.deps.usage.observer({ profileId: profile.id, keyId, action })
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
  async adminSecretOf(profile: Profile): Promise<string | null> {
    if (profile.authKind === 'sandbox') return this.deps.sandbox()?.personalKey ?? null
    if (profile.authKind === 'oauth') return null
    return this.deps.secrets.get(profileAccount(profile.id))
  }

  forget(profileId: string): void {
    this.admin.delete(profileId)
  }

  baseUrlOf(profile: Profile): string {
    if (profile.authKind !== 'sandbox') return profile.baseUrl
    return this.runningSandbox().url
  }

  private async authOf(profile: Profile): Promise<VectaraClientOptions['auth']> {
    if (profile.authKind === 'sandbox')
      return { type: 'api_key', apiKey: this.runningSandbox().personalKey }
    const secret = await this.deps.secrets.get(profileAccount(profile.id))
    if (!secret) {
      throw new AppError(
        'SECRET_UNKNOWN',
        `The credential of "${profile.name}" is not in the keychain. Edit the account to enter it again.`
      )
    }
    if (profile.authKind === 'api_key') return { type: 'api_key', apiKey: secret }
    return {
      type: 'oauth',
      clientId: profile.oauthClientId ?? '',
      clientSecret: secret,
      tokenUrl: profile.oauthTokenUrl
    }
  }

  private runningSandbox(): SandboxEndpoint {
    const sandbox = this.deps.sandbox()
    if (!sandbox) throw new AppError('NETWORK_ERROR', 'The built-in Sandbox is not running.')
    return sandbox
  }
}
