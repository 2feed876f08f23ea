import type { Database, Statement } from 'better-sqlite3'

/** A file the last scans read: its size and modification time decide whether a rescan reads it. */
export interface ScannedFile {
  path: string
  folderId: number
  size: number
  mtimeMs: number
}

interface FileRow {
  path: string
  folder_id: number
  size: number
  mtime_ms: number
}

/** Stamps only (path, size, modification time): never a byte of the file. */
export class ScanFilesTable {
  static readonly createSql = `
    CREATE TABLE scan_files (
      path TEXT PRIMARY KEY,
      folder_id INTEGER NOT NULL REFERENCES scan_folders(id) ON DELETE CASCADE,
      size INTEGER NOT NULL,
      mtime_ms REAL NOT NULL
    ) STRICT;
    CREATE INDEX scan_files_by_folder ON scan_files (folder_id);`

  private readonly allStmt: Statement<[], FileRow>
  private readonly upsertStmt: Statement<[FileRow]>
  private readonly deleteStmt: Statement<[string]>

  constructor(db: Database) {
    this.allStmt = db.prepare('SELECT * FROM scan_files')
    this.upsertStmt = db.prepare(`
      INSERT INTO scan_files (path, folder_id, size, mtime_ms) VALUES (@path, @folder_id, @size, @mtime_ms)
      ON CONFLICT(path) DO UPDATE SET folder_id = excluded.folder_id, size = excluded.size,
        mtime_ms = excluded.mtime_ms`)
    this.deleteStmt = db.prepare('DELETE FROM scan_files WHERE path = ?')
  }

  all(): ScannedFile[] {
    return this.allStmt.all().map((row) => ({
      path: row.path,
      folderId: row.folder_id,
      size: row.size,
      mtimeMs: row.mtime_ms
    }))
  }

  /** Call inside the caller's transaction: a scan's changes land together. */
  upsert(file: ScannedFile): void {
    this.upsertStmt.run({
      path: file.path,
      folder_id: file.folderId,
      size: file.size,
      mtime_ms: file.mtimeMs
    })
  }

  delete(path: string): void {
    this.deleteStmt.run(path)
  }
}
