/**
 * Where secrets live. Accounts are `profile:<profileId>` (an account's admin credential) and
 * `key:<profileId>:<keyId>` (a key secret the user chose to keep). Nothing else stores secrets:
 * there is deliberately no plaintext fallback anywhere.
 */
export interface SecretStore {
  /** A short name for the status bar, e.g. "Secret Service" or "memory". */
  readonly backend: string
  get(account: string): Promise<string | null>
  set(account: string, secret: string): Promise<void>
  /** True when something was deleted. */
  delete(account: string): Promise<boolean>
  /** Account names only, never the secrets. */
  list(): Promise<string[]>
  /** Resolves to a problem description, or null when the keychain answers. Never throws. */
  checkAvailable(): Promise<string | null>
  isAvailable(): Promise<boolean>
}

export const profileAccount = (profileId: string): string => `profile:${profileId}`
export const keyAccount = (profileId: string, keyId: string): string => `key:${profileId}:${keyId}`
