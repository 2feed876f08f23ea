import type { Database, Statement } from 'better-sqlite3'
import type { KeyKind } from '@shared/contract/keys'

/** One live key with what the app knows of it beside the API's fields, in one row. */
export interface KeyFactRow {
  keyId: string
  name: string
  kind: KeyKind
  enabled: boolean
  corpora: string[]
  firstSeenAt: number
  /** Last query sent with the key through the app; null: never. */
  lastUsedAt: number | null
  expiresAt: number | null
  disableAtExpiry: boolean
  /** When it was first known disabled; null when enabled or not yet recorded. */
  disabledSince: number | null
}

interface Row {
  key_id: string
  name: string
  kind: KeyKind
  enabled: number
  corpora: string
  first_seen_at: number
  last_used_at: number | null
  expires_at: number | null
  disable_at_expiry: number | null
  since: number | null
}

/**
 * Health's read of every key of an account: the key cache joined with "last used" (kept by the
 * usage history), expiry dates and disabled-since times, by primary key, in one statement. At
 * 10,000 keys, turning SQLite values into JS values is most of the cost, so one pass over the
 * keys beats one per table. Read-only; each table's owner writes it.
 */
export class KeyFactsQuery {
  private readonly stmt: Statement<[string], Row>

  constructor(db: Database) {
    this.stmt = db.prepare(`
      SELECT k.key_id, k.name, k.kind, k.enabled, k.corpora, k.first_seen_at,
        u.last_used_at, e.expires_at, e.disable_at_expiry, d.since
      FROM key_cache k
      LEFT JOIN key_last_used u ON u.profile_id = k.profile_id AND u.key_id = k.key_id
      LEFT JOIN key_expiry e ON e.profile_id = k.profile_id AND e.key_id = k.key_id
      LEFT JOIN key_disabled_since d ON d.profile_id = k.profile_id AND d.key_id = k.key_id
      WHERE k.profile_id = ? AND k.deleted_at IS NULL`)
  }

  /** Call after the usage write queue is flushed, so "last used" includes pending events. */
  forAccount(accountId: string): KeyFactRow[] {
    return this.stmt.all(accountId).map((r) => ({
      keyId: r.key_id,
      name: r.name,
      kind: r.kind,
      enabled: r.enabled === 1,
      corpora: JSON.parse(r.corpora) as string[],
      firstSeenAt: r.first_seen_at,
      lastUsedAt: r.last_used_at,
      expiresAt: r.expires_at,
      disableAtExpiry: r.disable_at_expiry === 1,
      disabledSince: r.since
    }))
  }
}
