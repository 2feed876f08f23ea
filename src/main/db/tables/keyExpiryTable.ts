import type { Database, Statement } from 'better-sqlite3'
import type { KeyExpiry } from '@shared/contract/keys'

export interface StoredExpiry extends KeyExpiry {
  accountId: string
  keyId: string
}

interface Row {
  profile_id: string
  key_id: string
  expires_at: number
  disable_at_expiry: number
  set_at: number
}

/**
 * Expiry dates the user gave keys. Vectara keys never expire, so this is the app's promise:
 * reminders before the date and, when asked, disabling the key once it passes.
 */
export class KeyExpiryTable {
  static readonly createSql = `
    CREATE TABLE key_expiry (
      profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
      key_id TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      disable_at_expiry INTEGER NOT NULL DEFAULT 0,
      set_at INTEGER NOT NULL,
      PRIMARY KEY (profile_id, key_id)
    ) STRICT;`

  private readonly forAccountStmt: Statement<[string], Row>
  private readonly getStmt: Statement<[string, string], Row>
  private readonly allStmt: Statement<[], Row>
  private readonly setStmt: Statement<[Row]>
  private readonly clearStmt: Statement<[string, string]>

  constructor(db: Database) {
    this.forAccountStmt = db.prepare('SELECT * FROM key_expiry WHERE profile_id = ?')
    this.getStmt = db.prepare('SELECT * FROM key_expiry WHERE profile_id = ? AND key_id = ?')
    this.allStmt = db.prepare('SELECT * FROM key_expiry ORDER BY expires_at')
    this.setStmt = db.prepare(`
      INSERT INTO key_expiry (profile_id, key_id, expires_at, disable_at_expiry, set_at)
      VALUES (@profile_id, @key_id, @expires_at, @disable_at_expiry, @set_at)
      ON CONFLICT (profile_id, key_id) DO UPDATE SET expires_at = excluded.expires_at,
        disable_at_expiry = excluded.disable_at_expiry, set_at = excluded.set_at`)
    this.clearStmt = db.prepare('DELETE FROM key_expiry WHERE profile_id = ? AND key_id = ?')
  }

  /** key id → expiry, for one account's list. */
  forAccount(accountId: string): Map<string, KeyExpiry> {
    return new Map(this.forAccountStmt.all(accountId).map((r) => [r.key_id, toExpiry(r)]))
  }

  get(accountId: string, keyId: string): KeyExpiry | undefined {
    const row = this.getStmt.get(accountId, keyId)
    return row && toExpiry(row)
  }

  /** Every expiry of every account, soonest first (the watcher's work list). */
  all(): StoredExpiry[] {
    return this.allStmt
      .all()
      .map((r) => ({ accountId: r.profile_id, keyId: r.key_id, ...toExpiry(r) }))
  }

  set(accountId: string, keyId: string, expiry: KeyExpiry, now: number): void {
    this.setStmt.run({
      profile_id: accountId,
      key_id: keyId,
      expires_at: expiry.at,
      disable_at_expiry: expiry.disableAtExpiry ? 1 : 0,
      set_at: now
    })
  }

  clear(accountId: string, keyId: string): void {
    this.clearStmt.run(accountId, keyId)
  }
}

function toExpiry(row: Row): KeyExpiry {
  return { at: row.expires_at, disableAtExpiry: row.disable_at_expiry === 1 }
}
