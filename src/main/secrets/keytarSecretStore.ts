import { AppError } from '@shared/errors'
import type { SecretStore } from './secretStore'

/** The subset of @github/keytar we use; injected so tests can simulate a hung keychain. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>
  setPassword(service: string, account: string, password: string): Promise<void>
  deletePassword(service: string, account: string): Promise<boolean>
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>
}

export const DEFAULT_KEYCHAIN_TIMEOUT_MS = 5000

const SETUP_HINT =
  process.platform === 'linux'
    ? 'Install and unlock a Secret Service provider (GNOME Keyring or KWallet), then restart the app.'
    : 'Make sure the system keychain is unlocked, then try again.'

export interface KeytarSecretStoreOptions {
  service: string
  timeoutMs?: number
  loadKeytar?: () => Promise<KeytarLike>
}

/**
 * The OS keychain through keytar. Every call is bounded by a timeout: a locked or absent
 * Secret Service can otherwise hang forever (libsecret waits for a prompt nobody answers).
 */
export class KeytarSecretStore implements SecretStore {
  readonly backend: string
  private readonly service: string
  private readonly timeoutMs: number
  private readonly loadKeytar: () => Promise<KeytarLike>
  private keytar?: Promise<KeytarLike>

  constructor(options: KeytarSecretStoreOptions) {
    this.service = options.service
    this.timeoutMs = options.timeoutMs ?? DEFAULT_KEYCHAIN_TIMEOUT_MS
    this.loadKeytar = options.loadKeytar ?? loadNativeKeytar
    this.backend = keychainBackendName(process.platform)
  }

  get(account: string): Promise<string | null> {
    return this.call('reading a secret', (k) => k.getPassword(this.service, account))
  }

  set(account: string, secret: string): Promise<void> {
    return this.call('storing a secret', (k) => k.setPassword(this.service, account, secret))
  }

  delete(account: string): Promise<boolean> {
    return this.call('deleting a secret', (k) => k.deletePassword(this.service, account))
  }

  async list(): Promise<string[]> {
    const found = await this.call('listing secrets', (k) => k.findCredentials(this.service))
    // findCredentials returns the passwords too; drop them at once.
    return found.map((c) => c.account).sort()
  }

  async checkAvailable(): Promise<string | null> {
    try {
      await this.call('checking access', (k) => k.findCredentials(this.service))
      return null
    } catch (error) {
      return error instanceof AppError ? error.message : 'The keychain did not answer.'
    }
  }

  async isAvailable(): Promise<boolean> {
    return (await this.checkAvailable()) === null
  }

  private async call<T>(what: string, fn: (keytar: KeytarLike) => Promise<T>): Promise<T> {
    let keytar: KeytarLike
    try {
      this.keytar ??= this.loadKeytar()
      keytar = await this.keytar
    } catch {
      this.keytar = undefined
      throw new AppError(
        'KEYCHAIN_UNAVAILABLE',
        `The keychain module could not be loaded (while ${what}). ${SETUP_HINT}`
      )
    }
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new AppError(
              'KEYCHAIN_TIMEOUT',
              `The keychain did not answer within ${Math.round(this.timeoutMs / 1000)} s while ${what}. ${SETUP_HINT}`
            )
          ),
        this.timeoutMs
      )
    })
    try {
      return await Promise.race([fn(keytar), timeout])
    } catch (error) {
      if (error instanceof AppError) throw error
      // keytar's own messages name the D-Bus problem but never the secret; keep a short form.
      const reason =
        error instanceof Error ? error.message.split('\n')[0].slice(0, 200) : 'unknown error'
      throw new AppError(
        'KEYCHAIN_UNAVAILABLE',
        `The keychain failed while ${what} (${reason}). ${SETUP_HINT}`
      )
    } finally {
      clearTimeout(timer)
    }
  }
}

async function loadNativeKeytar(): Promise<KeytarLike> {
  const mod = (await import('@github/keytar')) as unknown as KeytarLike & { default?: KeytarLike }
  return mod.default ?? mod
}

function keychainBackendName(platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'macOS Keychain'
  if (platform === 'win32') return 'Windows Credential Manager'
  return 'Secret Service'
}
