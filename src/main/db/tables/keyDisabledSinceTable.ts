import type { Database, Statement } from 'better-sqlite3'

/**
 * When each disabled key was disabled: the API does not say. A key this app disabled takes the
 * time of its `key.disable` audit event (unless it was enabled again after); a key disabled
 * elsewhere, the first time the app saw it disabled. Rows go when the key is enabled or gone.
 */
export class KeyDisabledSinceTable {
  static readonly createSql = `
    CREATE TABLE key_disabled_since (
      profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
      key_id TEXT NOT NULL,
      since INTEGER NOT NULL,
      PRIMARY KEY (profile_id, key_id)
    ) STRICT;`

  private readonly addStmt: Statement<{ account: string; now: number }>
  private readonly dropStmt: Statement<{ account: string }>
  private readonly forAccountStmt: Statement<[string], { key_id: string; since: number }>
  private readonly reconcileTx: (accountId: string, now: number) => void

  constructor(db: Database) {
    // Audit lookups use audit_events_by_key (migration 6); only newly disabled keys pay for one.
    this.addStmt = db.prepare(`
      INSERT INTO key_disabled_since (profile_id, key_id, since)
      SELECT k.profile_id, k.key_id, COALESCE((
          SELECT d.at FROM audit_events d
          WHERE d.profile_id = k.profile_id AND d.key_id = k.key_id
            AND d.action = 'key.disable' AND d.outcome = 'ok'
            AND d.at > COALESCE((
              SELECT MAX(e.at) FROM audit_events e
              WHERE e.profile_id = k.profile_id AND e.key_id = k.key_id
                AND e.action = 'key.enable' AND e.outcome = 'ok'), 0)
          ORDER BY d.at DESC LIMIT 1), @now)
      FROM key_cache k
      WHERE k.profile_id = @account AND k.deleted_at IS NULL AND k.enabled = 0
        AND NOT EXISTS (
          SELECT 1 FROM key_disabled_since s WHERE s.profile_id = k.profile_id AND s.key_id = k.key_id)`)
    this.dropStmt = db.prepare(`
      DELETE FROM key_disabled_since WHERE profile_id = @account AND key_id NOT IN (
        SELECT key_id FROM key_cache
        WHERE profile_id = @account AND deleted_at IS NULL AND enabled = 0)`)
    this.forAccountStmt = db.prepare(
      'SELECT key_id, since FROM key_disabled_since WHERE profile_id = ?'
    )
    this.reconcileTx = db.transaction((accountId: string, now: number) => {
      this.dropStmt.run({ account: accountId })
      this.addStmt.run({ account: accountId, now })
    })
  }

  /** Brings the table in line with the key cache: new disabled keys get a time, others go. */
  reconcile(accountId: string, now: number): void {
    this.reconcileTx(accountId, now)
  }

  /** key id → disabled since. */
  forAccount(accountId: string): Map<string, number> {
    return new Map(this.forAccountStmt.all(accountId).map((r) => [r.key_id, r.since]))
  }
}
