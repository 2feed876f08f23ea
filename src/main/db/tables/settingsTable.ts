import type { Database, Statement } from 'better-sqlite3'

/** Small app-wide values (e.g. the current account). Never a secret. */
export class SettingsTable {
  static readonly createSql = `
    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;`

  private readonly getStmt: Statement<[string], { value: string }>
  private readonly setStmt: Statement<[string, string]>
  private readonly deleteStmt: Statement<[string]>

  constructor(db: Database) {
    this.getStmt = db.prepare('SELECT value FROM settings WHERE key = ?')
    this.setStmt = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value'
    )
    this.deleteStmt = db.prepare('DELETE FROM settings WHERE key = ?')
  }

  get(key: string): string | undefined {
    return this.getStmt.get(key)?.value
  }

  set(key: string, value: string): void {
    this.setStmt.run(key, value)
  }

  delete(key: string): void {
    this.deleteStmt.run(key)
  }
}
