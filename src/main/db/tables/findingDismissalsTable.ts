import type { Database, Statement } from 'better-sqlite3'

export interface Dismissal {
  findingId: string
  /** The facts the finding stood on when dismissed: a change brings the finding back. */
  fingerprint: string
  reason: string
  at: number
}

interface Row {
  profile_id: string
  finding_id: string
  fingerprint: string
  reason: string
  dismissed_at: number
}

/** Health findings the user dismissed, with why. Never a secret: ids, a hash and their words. */
export class FindingDismissalsTable {
  static readonly createSql = `
    CREATE TABLE finding_dismissals (
      profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
      finding_id TEXT NOT NULL,
      fingerprint TEXT NOT NULL,
      reason TEXT NOT NULL,
      dismissed_at INTEGER NOT NULL,
      PRIMARY KEY (profile_id, finding_id)
    ) STRICT;`

  private readonly forAccountStmt: Statement<[string], Row>
  private readonly setStmt: Statement<[Row]>
  private readonly deleteStmt: Statement<[string, string]>

  constructor(db: Database) {
    this.forAccountStmt = db.prepare('SELECT * FROM finding_dismissals WHERE profile_id = ?')
    this.setStmt = db.prepare(`
      INSERT INTO finding_dismissals (profile_id, finding_id, fingerprint, reason, dismissed_at)
      VALUES (@profile_id, @finding_id, @fingerprint, @reason, @dismissed_at)
      ON CONFLICT (profile_id, finding_id) DO UPDATE SET fingerprint = excluded.fingerprint,
        reason = excluded.reason, dismissed_at = excluded.dismissed_at`)
    this.deleteStmt = db.prepare(
      'DELETE FROM finding_dismissals WHERE profile_id = ? AND finding_id = ?'
    )
  }

  /** finding id → dismissal. */
  forAccount(accountId: string): Map<string, Dismissal> {
    return new Map(
      this.forAccountStmt.all(accountId).map((r) => [
        r.finding_id,
        {
          findingId: r.finding_id,
          fingerprint: r.fingerprint,
          reason: r.reason,
          at: r.dismissed_at
        }
      ])
    )
  }

  set(accountId: string, dismissal: Dismissal): void {
    this.setStmt.run({
      profile_id: accountId,
      finding_id: dismissal.findingId,
      fingerprint: dismissal.fingerprint,
      reason: dismissal.reason,
      dismissed_at: dismissal.at
    })
  }

  delete(accountId: string, findingId: string): boolean {
    return this.deleteStmt.run(accountId, findingId).changes > 0
  }
}
