import { AppError } from '@shared/errors'
import type { SecretStore } from './secretStore'

/** For unit tests: behaves like the keychain, including being switched off. */
export class MemorySecretStore implements SecretStore {
  readonly backend = 'memory'
  private readonly secrets = new Map<string, string>()
  /** When set, every call fails the way an unavailable keychain does. */
  unavailable = false

  private guard(): void {
    if (this.unavailable) {
      throw new AppError('KEYCHAIN_UNAVAILABLE', 'The keychain is not available (test switch).')
    }
  }

  async get(account: string): Promise<string | null> {
    this.guard()
    return this.secrets.get(account) ?? null
  }

  async set(account: string, secret: string): Promise<void> {
    this.guard()
    this.secrets.set(account, secret)
  }

  async delete(account: string): Promise<boolean> {
    this.guard()
    return this.secrets.delete(account)
  }

  async list(): Promise<string[]> {
    this.guard()
    return [...this.secrets.keys()]
  }

  async checkAvailable(): Promise<string | null> {
    return this.unavailable ? 'The keychain is not available (test switch).' : null
  }

  async isAvailable(): Promise<boolean> {
    return (await this.checkAvailable()) === null
  }
}
