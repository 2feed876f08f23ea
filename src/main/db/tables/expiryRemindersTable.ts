import type { Database, Statement } from 'better-sqlite3'

/** A reminder stage of one expiry date; `disabled` marks that "Disable at expiry" has acted. */
export type ReminderStage = '14d' | '1d' | 'expired' | 'disabled' | 'disableFailed'

/**
 * Which reminders went out for which expiry date, so each goes out at most once, across
 * restarts. The date is part of the key: a new date starts its reminders afresh.
 */
export class ExpiryRemindersTable {
  static readonly createSql = `
    CREATE TABLE expiry_reminders (
      profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
      key_id TEXT NOT NULL,
      expires_at INTEGER NOT NULL,
      stage TEXT NOT NULL,
      sent_at INTEGER NOT NULL,
      PRIMARY KEY (profile_id, key_id, expires_at, stage)
    ) STRICT;`

  private readonly sentStmt: Statement<[string, string, number], { stage: ReminderStage }>
  private readonly markStmt: Statement<[string, string, number, string, number]>
  private readonly forgetStmt: Statement<[string, string]>

  constructor(db: Database) {
    this.sentStmt = db.prepare(
      'SELECT stage FROM expiry_reminders WHERE profile_id = ? AND key_id = ? AND expires_at = ?'
    )
    this.markStmt = db.prepare(
      'INSERT INTO expiry_reminders (profile_id, key_id, expires_at, stage, sent_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING'
    )
    this.forgetStmt = db.prepare('DELETE FROM expiry_reminders WHERE profile_id = ? AND key_id = ?')
  }

  sent(accountId: string, keyId: string, expiresAt: number): Set<ReminderStage> {
    return new Set(this.sentStmt.all(accountId, keyId, expiresAt).map((r) => r.stage))
  }

  mark(
    accountId: string,
    keyId: string,
    expiresAt: number,
    stages: Iterable<ReminderStage>,
    now: number
  ): void {
    for (const stage of stages) this.markStmt.run(accountId, keyId, expiresAt, stage, now)
  }

  /** A key's date changed or went: its old reminders mean nothing any more. */
  forget(accountId: string, keyId: string): void {
    this.forgetStmt.run(accountId, keyId)
  }
}
