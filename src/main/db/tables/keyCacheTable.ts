import type { Database, Statement } from 'better-sqlite3'
import type { KeyKind } from '@shared/contract/keys'

/**
 * The last known list of an account's keys. The secret never lands here: only its masked form
 * (prefix + last 4) and whether the keychain holds it.
 */
export interface CachedKey {
  accountId: string
  keyId: string
  name: string
  kind: KeyKind
  role: string | null
  enabled: boolean
  corpora: string[]
  maskedSecret: string | null
  /** First time this app saw the key: the API has no creation time. */
  firstSeenAt: number
  lastSyncedAt: number
}

/** A key as a scan of every key needs it (Health, Coverage): no masks, roles or sync times. */
export type BriefKey = Pick<
  CachedKey,
  'keyId' | 'name' | 'kind' | 'enabled' | 'corpora' | 'firstSeenAt'
>

interface KeyRow {
  profile_id: string
  key_id: string
  name: string
  kind: KeyKind
  role: string | null
  enabled: number
  corpora: string
  masked_secret: string | null
  first_seen_at: number
  last_synced_at: number
  deleted_at: number | null
}

export class KeyCacheTable {
  static readonly createSql = `
    CREATE TABLE key_cache (
      profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
      key_id TEXT NOT NULL,
      name TEXT NOT NULL,
      kind TEXT NOT NULL,
      role TEXT,
      enabled INTEGER NOT NULL,
      corpora TEXT NOT NULL DEFAULT '[]',
      masked_secret TEXT,
      first_seen_at INTEGER NOT NULL,
      last_synced_at INTEGER NOT NULL,
      deleted_at INTEGER,
      PRIMARY KEY (profile_id, key_id)
    ) STRICT;`

  private readonly liveStmt: Statement<[string], KeyRow>
  private readonly briefStmt: Statement<
    [string],
    Pick<KeyRow, 'key_id' | 'name' | 'kind' | 'enabled' | 'corpora' | 'first_seen_at'>
  >
  private readonly getStmt: Statement<[string, string], KeyRow>
  private readonly byNameStmt: Statement<[string, string], KeyRow>
  private readonly upsertStmt: Statement<[KeyRow]>
  private readonly markDeletedStmt: Statement<[number, string, string]>
  private readonly maskStmt: Statement<[string | null, string, string]>
  private readonly enabledStmt: Statement<[number, string, string]>
  private readonly replaceAllTx: (accountId: string, keys: CachedKey[], now: number) => void

  constructor(db: Database) {
    this.liveStmt = db.prepare(
      'SELECT * FROM key_cache WHERE profile_id = ? AND deleted_at IS NULL ORDER BY name COLLATE NOCASE'
    )
    // Turning columns into JS strings is most of the cost at 10,000 keys: only what is needed.
    this.briefStmt = db.prepare(
      'SELECT key_id, name, kind, enabled, corpora, first_seen_at FROM key_cache WHERE profile_id = ? AND deleted_at IS NULL'
    )
    this.getStmt = db.prepare('SELECT * FROM key_cache WHERE profile_id = ? AND key_id = ?')
    this.byNameStmt = db.prepare(
      'SELECT * FROM key_cache WHERE profile_id = ? AND name = ? AND deleted_at IS NULL'
    )
    // first_seen_at survives re-syncs and a key coming back (e.g. a restored cache).
    this.upsertStmt = db.prepare(`
      INSERT INTO key_cache (profile_id, key_id, name, kind, role, enabled, corpora, masked_secret, first_seen_at, last_synced_at, deleted_at)
      VALUES (@profile_id, @key_id, @name, @kind, @role, @enabled, @corpora, @masked_secret, @first_seen_at, @last_synced_at, NULL)
      ON CONFLICT(profile_id, key_id) DO UPDATE SET name = excluded.name, kind = excluded.kind,
        role = excluded.role, enabled = excluded.enabled, corpora = excluded.corpora,
        masked_secret = COALESCE(excluded.masked_secret, key_cache.masked_secret),
        last_synced_at = excluded.last_synced_at, deleted_at = NULL`)
    this.markDeletedStmt = db.prepare(
      'UPDATE key_cache SET deleted_at = ? WHERE profile_id = ? AND key_id = ? AND deleted_at IS NULL'
    )
    this.maskStmt = db.prepare(
      'UPDATE key_cache SET masked_secret = ? WHERE profile_id = ? AND key_id = ?'
    )
    this.enabledStmt = db.prepare(
      'UPDATE key_cache SET enabled = ? WHERE profile_id = ? AND key_id = ?'
    )
    const liveIds = db.prepare<[string], { key_id: string }>(
      'SELECT key_id FROM key_cache WHERE profile_id = ? AND deleted_at IS NULL'
    )
    this.replaceAllTx = db.transaction((accountId: string, keys: CachedKey[], now: number) => {
      const seen = new Set<string>()
      for (const key of keys) {
        seen.add(key.keyId)
        this.upsertStmt.run(toRow(key))
      }
      for (const { key_id } of liveIds.all(accountId)) {
        if (!seen.has(key_id)) this.markDeletedStmt.run(now, accountId, key_id)
      }
    })
  }

  live(accountId: string): CachedKey[] {
    return this.liveStmt.all(accountId).map(toKey)
  }

  /** Every live key of the account, in no particular order, with only the fields scans use. */
  liveBrief(accountId: string): BriefKey[] {
    return this.briefStmt.all(accountId).map((row) => ({
      keyId: row.key_id,
      name: row.name,
      kind: row.kind,
      enabled: row.enabled === 1,
      corpora: JSON.parse(row.corpora) as string[],
      firstSeenAt: row.first_seen_at
    }))
  }

  get(accountId: string, keyId: string): CachedKey | undefined {
    const row = this.getStmt.get(accountId, keyId)
    return row && row.deleted_at === null ? toKey(row) : undefined
  }

  /** Live keys with exactly this name (Vectara does not make names unique). */
  liveByName(accountId: string, name: string): CachedKey[] {
    return this.byNameStmt.all(accountId, name).map(toKey)
  }

  /** First time a key was seen, even when it has since been deleted. */
  firstSeenAt(accountId: string, keyId: string): number | undefined {
    return this.getStmt.get(accountId, keyId)?.first_seen_at
  }

  /** Name of a key, even one deleted since (usage history outlives keys). */
  nameOf(accountId: string, keyId: string): { name: string; deleted: boolean } | undefined {
    const row = this.getStmt.get(accountId, keyId)
    return row && { name: row.name, deleted: row.deleted_at !== null }
  }

  upsert(key: CachedKey): void {
    this.upsertStmt.run(toRow(key))
  }

  /** A full listing from the API: keys not in it are marked deleted, in one transaction. */
  replaceAll(accountId: string, keys: CachedKey[], now: number): void {
    this.replaceAllTx(accountId, keys, now)
  }

  markDeleted(accountId: string, keyId: string, now: number): void {
    this.markDeletedStmt.run(now, accountId, keyId)
  }

  setMaskedSecret(accountId: string, keyId: string, masked: string | null): void {
    this.maskStmt.run(masked, accountId, keyId)
  }

  setEnabled(accountId: string, keyId: string, enabled: boolean): void {
    this.enabledStmt.run(enabled ? 1 : 0, accountId, keyId)
  }
}

function toRow(key: CachedKey): KeyRow {
  return {
    profile_id: key.accountId,
    key_id: key.keyId,
    name: key.name,
    kind: key.kind,
    role: key.role,
    enabled: key.enabled ? 1 : 0,
    corpora: JSON.stringify(key.corpora),
    masked_secret: key.maskedSecret,
    first_seen_at: key.firstSeenAt,
    last_synced_at: key.lastSyncedAt,
    deleted_at: null
  }
}

function toKey(row: KeyRow): CachedKey {
  return {
    accountId: row.profile_id,
    keyId: row.key_id,
    name: row.name,
    kind: row.kind,
    role: row.role,
    enabled: row.enabled === 1,
    corpora: JSON.parse(row.corpora) as string[],
    maskedSecret: row.masked_secret,
    firstSeenAt: row.first_seen_at,
    lastSyncedAt: row.last_synced_at
  }
}
