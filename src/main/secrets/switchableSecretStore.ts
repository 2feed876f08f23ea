import { AppError } from '@shared/errors'
import type { SecretStore } from './secretStore'

/**
 * Wraps a real store and can be switched off, for the web harness's fault injection: the UI's
 * "keychain unavailable" paths are exercised against the real keychain otherwise.
 */
export class SwitchableSecretStore implements SecretStore {
  available = true

  constructor(private readonly inner: SecretStore) {}

  get backend(): string {
    return this.inner.backend
  }

  private guard(): void {
    if (!this.available) {
      throw new AppError(
        'KEYCHAIN_UNAVAILABLE',
        'The keychain is not available (switched off by the test harness).'
      )
    }
  }

  async get(account: string): Promise<string | null> {
    this.guard()
    return this.inner.get(account)
  }

  async set(account: string, secret: string): Promise<void> {
    this.guard()
    return this.inner.set(account, secret)
  }

  async delete(account: string): Promise<boolean> {
    this.guard()
    return this.inner.delete(account)
  }

  async list(): Promise<string[]> {
    this.guard()
    return this.inner.list()
  }

  async checkAvailable(): Promise<string | null> {
    return this.available
      ? this.inner.checkAvailable()
      : 'The keychain is not available (switched off by the test harness).'
  }

  async isAvailable(): Promise<boolean> {
    return (await this.checkAvailable()) === null
  }
}
