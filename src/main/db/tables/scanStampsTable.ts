import { sep } from 'node:path'
import type { Database, Statement } from 'better-sqlite3'

/** A file's size and modification time: a rescan reads the file again only when one changed. */
export interface Stamp {
  size: number
  mtimeMs: number
}

interface StampsRow {
  folder_id: number
  folder_path: string
  stamps: string
}

/** `[path below the folder, size, mtimeMs]`, one per file. */
type StoredStamp = [string, number, number]

/**
 * The stamps of every file the last scans read, one row per chosen folder, as JSON: a scan of a
 * home folder records hundreds of thousands of files, and one row per file cost main's thread
 * about 36 µs each (a second per 30,000 files) where one JSON text per folder costs
 * milliseconds. Never a byte of a file: paths, sizes and times.
 */
export class ScanStampsTable {
  static readonly createSql = `
    CREATE TABLE scan_stamps (
      folder_id INTEGER PRIMARY KEY REFERENCES scan_folders(id) ON DELETE CASCADE,
      stamps TEXT NOT NULL
    ) STRICT;`

  private readonly allStmt: Statement<[], StampsRow>
  private readonly saveStmt: Statement<[number, string]>

  constructor(db: Database) {
    this.allStmt = db.prepare(`
      SELECT s.folder_id, f.path AS folder_path, s.stamps
      FROM scan_stamps s JOIN scan_folders f ON f.id = s.folder_id`)
    this.saveStmt = db.prepare(`
      INSERT INTO scan_stamps (folder_id, stamps) VALUES (?, ?)
      ON CONFLICT(folder_id) DO UPDATE SET stamps = excluded.stamps`)
  }

  /** Every recorded file (absolute path) with its stamp. */
  all(): Map<string, Stamp> {
    const stamps = new Map<string, Stamp>()
    for (const row of this.allStmt.all()) {
      const base = withSep(row.folder_path)
      for (const [relative, size, mtimeMs] of JSON.parse(row.stamps) as StoredStamp[]) {
        stamps.set(relative === '' ? row.folder_path : base + relative, { size, mtimeMs })
      }
    }
    return stamps
  }

  /** Replaces one folder's stamps with these (absolute paths inside the folder). */
  save(folderId: number, folderPath: string, files: Iterable<[string, Stamp]>): void {
    const base = withSep(folderPath)
    const stored: StoredStamp[] = []
    for (const [path, { size, mtimeMs }] of files) {
      stored.push([path === folderPath ? '' : path.slice(base.length), size, mtimeMs])
    }
    this.saveStmt.run(folderId, JSON.stringify(stored))
  }
}

function withSep(folder: string): string {
  return folder.endsWith(sep) ? folder : folder + sep
}
