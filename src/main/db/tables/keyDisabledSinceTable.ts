import type { Database, Statement } from 'better-sqlite3'

/**
 * When each disabled key was disabled: the API does not say. HealthService keeps it in line with
 * the key cache (`health/disabledSince.ts`): a key this app disabled takes the time of its
 * `key.disable` audit event, a key disabled elsewhere the first time the app saw it disabled.
 */
export class KeyDisabledSinceTable {
  static readonly createSql = `
    CREATE TABLE key_disabled_since (
      profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
      key_id TEXT NOT NULL,
      since INTEGER NOT NULL,
      PRIMARY KEY (profile_id, key_id)
    ) STRICT;`

  private readonly forAccountStmt: Statement<[string], { key_id: string; since: number }>
  private readonly addStmt: Statement<[string, string, number]>
  private readonly removeStmt: Statement<[string, string]>
  private readonly applyTx: (
    accountId: string,
    add: ReadonlyMap<string, number>,
    remove: readonly string[]
  ) => void

  constructor(db: Database) {
    this.forAccountStmt = db.prepare(
      'SELECT key_id, since FROM key_disabled_since WHERE profile_id = ?'
    )
    this.addStmt = db.prepare(
      'INSERT INTO key_disabled_since (profile_id, key_id, since) VALUES (?, ?, ?) ON CONFLICT DO NOTHING'
    )
    this.removeStmt = db.prepare(
      'DELETE FROM key_disabled_since WHERE profile_id = ? AND key_id = ?'
    )
    this.applyTx = db.transaction((accountId, add, remove) => {
      for (const keyId of remove) this.removeStmt.run(accountId, keyId)
      for (const [keyId, since] of add) this.addStmt.run(accountId, keyId, since)
    })
  }

  /** key id → disabled since. */
  forAccount(accountId: string): Map<string, number> {
    return new Map(this.forAccountStmt.all(accountId).map((r) => [r.key_id, r.since]))
  }

  /** Adds and removes rows in one transaction. */
  apply(accountId: string, add: ReadonlyMap<string, number>, remove: readonly string[]): void {
    if (add.size === 0 && remove.length === 0) return
    this.applyTx(accountId, add, remove)
  }
}
