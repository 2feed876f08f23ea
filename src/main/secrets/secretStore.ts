/**
 * Where secrets live. Entries are named `profile:<accountId>` (an account's admin credential)
 * and `key:<accountId>:<keyId>` (a key secret the user chose to keep); the keychain calls an
 * entry's name its "account". Nothing else stores secrets: there is deliberately no plaintext
 * fallback anywhere.
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

/**
 * `profile:` is what accounts were called when the first users stored credentials: existing
 * keychain entries carry it, so it stays, or those users would lose their credentials.
 */
export const credentialEntry = (accountId: string): string => `profile:${accountId}`
export const keySecretEntryPrefix = (accountId: string): string => `key:${accountId}:`
export const keySecretEntry = (accountId: string, keyId: string): string =>
  `${keySecretEntryPrefix(accountId)}${keyId}`
