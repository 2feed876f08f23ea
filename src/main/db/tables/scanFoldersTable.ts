import type { Database, Statement } from 'better-sqlite3'

/** A folder the user chose to scan, remembered across runs. */
export interface StoredScanFolder {
  id: number
  path: string
  addedAt: number
}

interface FolderRow {
  id: number
  path: string
  added_at: number
}

export class ScanFoldersTable {
  static readonly createSql = `
    CREATE TABLE scan_folders (
      id INTEGER PRIMARY KEY,
      path TEXT NOT NULL UNIQUE,
      added_at INTEGER NOT NULL
    ) STRICT;`

  private readonly allStmt: Statement<[], FolderRow>
  private readonly getStmt: Statement<[number], FolderRow>
  private readonly byPathStmt: Statement<[string], FolderRow>
  private readonly insertStmt: Statement<[string, number]>
  private readonly deleteStmt: Statement<[number]>

  constructor(db: Database) {
    this.allStmt = db.prepare('SELECT * FROM scan_folders ORDER BY path')
    this.getStmt = db.prepare('SELECT * FROM scan_folders WHERE id = ?')
    this.byPathStmt = db.prepare('SELECT * FROM scan_folders WHERE path = ?')
    this.insertStmt = db.prepare('INSERT INTO scan_folders (path, added_at) VALUES (?, ?)')
    this.deleteStmt = db.prepare('DELETE FROM scan_folders WHERE id = ?')
  }

  all(): StoredScanFolder[] {
    return this.allStmt.all().map(toFolder)
  }

  get(id: number): StoredScanFolder | undefined {
    const row = this.getStmt.get(id)
    return row && toFolder(row)
  }

  byPath(path: string): StoredScanFolder | undefined {
    const row = this.byPathStmt.get(path)
    return row && toFolder(row)
  }

  add(path: string, at: number): StoredScanFolder {
    const id = Number(this.insertStmt.run(path, at).lastInsertRowid)
    return { id, path, addedAt: at }
  }

  /** Its files and findings go with it (foreign keys cascade). */
  remove(id: number): boolean {
    return this.deleteStmt.run(id).changes > 0
  }
}

function toFolder(row: FolderRow): StoredScanFolder {
  return { id: row.id, path: row.path, addedAt: row.added_at }
}
