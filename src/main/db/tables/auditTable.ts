import type { Database, Statement } from 'better-sqlite3'

export type AuditAction =
  | 'account.add'
  | 'account.update'
  | 'account.remove'
  | 'key.create'
  | 'key.disable'
  | 'key.enable'
  | 'key.delete'
  | 'key.copy'
  | 'key.reveal'
  | 'key.fetchSecret'
  | 'key.storeSecret'
  | 'rotation.start'
  | 'rotation.create'
  | 'rotation.swap'
  | 'rotation.verify'
  | 'rotation.switchCredential'
  | 'rotation.disable'
  | 'rotation.delete'
  | 'rotation.replaceInFiles'
  | 'rotation.cancel'
  | 'rotation.finish'
  | 'key.setExpiry'
  | 'key.clearExpiry'
  | 'key.disableAtExpiry'
  | 'finding.dismiss'
  | 'finding.restore'

/** Who did what to which key, and how it went. Never a secret: ids, names and error codes. */
export interface AuditEvent {
  at: number
  accountId: string
  keyId?: string
  action: AuditAction
  outcome: 'ok' | 'error'
  /** Error code, or a short non-secret note (e.g. a key name). */
  detail?: string
}

interface AuditRow {
  id: number
  at: number
  profile_id: string
  key_id: string | null
  action: AuditAction
  outcome: 'ok' | 'error'
  detail: string | null
}

export class AuditTable {
  static readonly createSql = `
    CREATE TABLE audit_events (
      id INTEGER PRIMARY KEY,
      at INTEGER NOT NULL,
      profile_id TEXT NOT NULL,
      key_id TEXT,
      action TEXT NOT NULL,
      outcome TEXT NOT NULL CHECK (outcome IN ('ok', 'error')),
      detail TEXT
    ) STRICT;
    CREATE INDEX audit_events_by_time ON audit_events (at);`

  /** A key's own history, e.g. when it was last disabled (migration 6). */
  static readonly byKeyIndexSql = `
    CREATE INDEX audit_events_by_key ON audit_events (profile_id, key_id, action, at);`

  private readonly insertStmt: Statement<[Omit<AuditRow, 'id'>]>
  private readonly recentStmt: Statement<[number], AuditRow>
  private readonly lastDisableStmt: Statement<[string, string, string, string], { at: number }>

  constructor(db: Database) {
    this.insertStmt = db.prepare(
      'INSERT INTO audit_events (at, profile_id, key_id, action, outcome, detail) VALUES (@at, @profile_id, @key_id, @action, @outcome, @detail)'
    )
    this.recentStmt = db.prepare('SELECT * FROM audit_events ORDER BY at DESC, id DESC LIMIT ?')
    // Through audit_events_by_key (migration 6): one key's events, not the whole log.
    this.lastDisableStmt = db.prepare(`
      SELECT d.at FROM audit_events d
      WHERE d.profile_id = ? AND d.key_id = ? AND d.action = 'key.disable' AND d.outcome = 'ok'
        AND d.at > COALESCE((
          SELECT MAX(e.at) FROM audit_events e
          WHERE e.profile_id = ? AND e.key_id = ? AND e.action = 'key.enable' AND e.outcome = 'ok'), 0)
      ORDER BY d.at DESC LIMIT 1`)
  }

  record(event: AuditEvent): void {
    this.insertStmt.run({
      at: event.at,
      profile_id: event.accountId,
      key_id: event.keyId ?? null,
      action: event.action,
      outcome: event.outcome,
      detail: event.detail ?? null
    })
  }

  /** When this app last disabled the key, unless it enabled it again after. */
  lastDisabledAt(accountId: string, keyId: string): number | undefined {
    return this.lastDisableStmt.get(accountId, keyId, accountId, keyId)?.at
  }

  recent(limit: number): AuditEvent[] {
    return this.recentStmt.all(limit).map((r) => ({
      at: r.at,
      accountId: r.profile_id,
      keyId: r.key_id ?? undefined,
      action: r.action,
      outcome: r.outcome,
      detail: r.detail ?? undefined
    }))
  }
}

/** Audits one action on an account (and maybe a key), at the time the caller's clock says. */
export type RecordAudit = (
  accountId: string,
  action: AuditAction,
  outcome: 'ok' | 'error',
  keyId?: string,
  detail?: string
) => void

export function auditWith(table: AuditTable, now: () => number): RecordAudit {
  return (accountId, action, outcome, keyId, detail) =>
    table.record({ at: now(), accountId, keyId, action, outcome, detail })
}
