import type { Database, Statement } from 'better-sqlite3'

/** Small facts about the Sandbox itself, such as whether the demo data was seeded. */
export class MetaTable {
  static readonly createSql = `
    CREATE TABLE meta (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    ) STRICT;`

  private readonly getStmt: Statement<[string], { value: string }>
  private readonly setStmt: Statement<[string, string]>

  constructor(db: Database) {
    this.getStmt = db.prepare('SELECT value FROM meta WHERE key = ?')
    this.setStmt = db.prepare(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'
    )
  }

  get(key: string): string | undefined {
    return this.getStmt.get(key)?.value
  }

  set(key: string, value: string): void {
    this.setStmt.run(key, value)
  }
}
