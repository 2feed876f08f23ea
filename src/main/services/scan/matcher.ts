import { prefixOfKind } from '@shared/keyKinds'
import { redactSecrets } from '@shared/redact'
import type { StoredAccount } from '../../db/tables/accountsTable'
import type { MatchedBy } from '../../db/tables/scanFindingsTable'
import type { SettingsTable } from '../../db/tables/settingsTable'
import { secretFingerprint } from '../../scan'
import { keySecretEntryPrefix, type SecretStore } from '../../secrets/secretStore'
import type { Logger } from '../../log'
import { accountCredentialKeyId } from '../keysService'
import type { VectaraClients } from '../vectaraClients'

/** Whose a found secret is. */
export interface SecretOwner {
  accountId: string
  /** null: the account's credential, when the key list has not said which key it is. */
  keyId: string | null
  by: MatchedBy
}

export interface ScanMatcherDeps {
  accounts: () => StoredAccount[]
  secrets: SecretStore
  clients: VectaraClients
  settings: Pick<SettingsTable, 'get'>
  logger: Logger
  /** Per account key list; a slow API must not hold the scan's results back for long. */
  listTimeoutMs?: number
}

export interface MatchOutcome {
  owners: Map<string, SecretOwner>
  /** What could not be checked (no secret in it): shown with the scan's results. */
  problems: string[]
}

const LIST_TIMEOUT_MS = 20_000

/**
 * Finds which of the user's keys each found secret is, by fingerprint. The secrets the app knows
 * are read one at a time, hashed and dropped at once: only SHA-256 fingerprints are compared, and
 * only those of found secrets are kept (in the returned map, as owners).
 *
 * Sources, cheapest first, stopping once every fingerprint has an owner: each account's key
 * secrets in the keychain, each account's own credential, then the `secret_key` of every key in
 * the account's key list (only when the credential may list keys: the Sandbox, OAuth clients and
 * Personal keys; Query and Index keys may not).
 */
export async function matchFingerprints(
  wanted: ReadonlySet<string>,
  deps: ScanMatcherDeps
): Promise<MatchOutcome> {
  const owners = new Map<string, SecretOwner>()
  const problems: string[] = []
  if (wanted.size === 0) return { owners, problems }
  const done = (): boolean => owners.size === wanted.size
  const claim = (secret: string | null | undefined, owner: SecretOwner): void => {
    if (!secret) return
    const fingerprint = secretFingerprint(secret)
    if (!wanted.has(fingerprint)) return
    const known = owners.get(fingerprint)
    // A key id beats "the account's credential, key unknown".
    if (!known || (known.keyId === null && owner.keyId !== null)) owners.set(fingerprint, owner)
  }
  const accounts = deps.accounts()

  await fromKeychain(accounts, deps, claim, problems)
  const credentials = new Map<string, string | null>()
  for (const account of accounts) {
    if (done()) break
    const credential = await credentialOf(account, deps)
    credentials.set(account.id, credential)
    const keyId = accountCredentialKeyId(deps.settings, account.id) ?? null
    claim(credential, { accountId: account.id, keyId, by: 'credential' })
  }
  for (const account of accounts) {
    const unresolved = [...owners.values()].some((o) => o.keyId === null)
    if (done() && !unresolved) break
    const credential = credentials.has(account.id)
      ? credentials.get(account.id)!
      : await credentialOf(account, deps)
    if (!mayListKeys(account, credential)) continue
    try {
      const client = await deps.clients.forAccount(account)
      const keys = await client.listAllApiKeys(
        {},
        { timeoutMs: deps.listTimeoutMs ?? LIST_TIMEOUT_MS }
      )
      for (const key of keys) {
        if (!key.id) continue
        const by = credential && key.secret_key === credential ? 'credential' : 'key'
        claim(key.secret_key, { accountId: account.id, keyId: key.id, by })
      }
    } catch (error) {
      deps.logger.warn(`scan: could not read the key list of account ${account.id}`, error)
      problems.push(
        `The key list of "${account.name}" could not be read, so its keys were matched from the keychain only: ${messageOf(error)}`
      )
    }
  }
  return { owners, problems }
}

async function fromKeychain(
  accounts: StoredAccount[],
  deps: ScanMatcherDeps,
  claim: (secret: string | null, owner: SecretOwner) => void,
  problems: string[]
): Promise<void> {
  let entries: string[]
  try {
    entries = await deps.secrets.list()
  } catch (error) {
    problems.push(`The keychain did not answer, so no key was matched from it: ${messageOf(error)}`)
    return
  }
  for (const account of accounts) {
    const prefix = keySecretEntryPrefix(account.id)
    for (const entry of entries) {
      if (!entry.startsWith(prefix)) continue
      try {
        claim(await deps.secrets.get(entry), {
          accountId: account.id,
          keyId: entry.slice(prefix.length),
          by: 'key'
        })
      } catch (error) {
        deps.logger.warn(`scan: could not read keychain entry ${entry}`, error)
      }
    }
  }
}

async function credentialOf(account: StoredAccount, deps: ScanMatcherDeps): Promise<string | null> {
  try {
    return await deps.clients.adminSecretOf(account)
  } catch (error) {
    deps.logger.warn(`scan: could not read the credential of account ${account.id}`, error)
    return null
  }
}

/** Only a Personal key or OAuth client credentials may call `/v2/api_keys`. */
function mayListKeys(account: StoredAccount, credential: string | null): boolean {
  if (account.authKind === 'sandbox' || account.authKind === 'oauth') return true
  return credential !== null && credential.startsWith(prefixOfKind('personal')!)
}

function messageOf(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : 'unknown error')
}
