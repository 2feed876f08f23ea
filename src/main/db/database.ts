import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3, { type Database } from 'better-sqlite3'
import { migrate, migrations as defaultMigrations, type Migration } from './migrations'

export const DB_FILE_NAME = 'vkm.db'
const BUSY_TIMEOUT_MS = 5000
/** Error codes that mean "this file is not a usable database", as opposed to "cannot open". */
const UNREADABLE_CODES = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT'])

export interface OpenedDatabase {
  db: Database
  path: string
  schemaVersion: number
  /**
   * How the file was checked on opening: `size` (O(1): the header's page count against the
   * file's length) after a clean exit, `full` (PRAGMA quick_check, every page) after an unclean
   * one, when a torn write is possible.
   */
  integrityCheck: IntegrityCheck
  /** Where the unreadable previous file was moved, when it was. */
  recoveredFrom?: string
}

export type IntegrityCheck = 'size' | 'full'

export interface OpenDatabaseOptions {
  migrations?: Migration[]
  now?: () => Date
}

/**
 * Opens (or creates) the app database. A file that is not a database or is corrupt holds
 * nothing irreplaceable (no secrets; caches re-sync), so it is moved aside with a timestamp and
 * a fresh one is created, rather than leaving the user with an app that will not start.
 */
export function openDatabase(path: string, options: OpenDatabaseOptions = {}): OpenedDatabase {
  const list = options.migrations ?? defaultMigrations
  mkdirSync(dirname(path), { recursive: true })
  // A file without SQLite's magic header is set aside before SQLite touches it (or its -wal).
  if (!hasSqliteHeader(path)) {
    const movedTo = moveAside(path, options.now?.() ?? new Date())
    return { ...openAndMigrate(path, list), path, recoveredFrom: movedTo }
  }
  try {
    return { ...openAndMigrate(path, list), path }
  } catch (error) {
    if (!isUnreadable(error)) throw error
    const movedTo = moveAside(path, options.now?.() ?? new Date())
    return { ...openAndMigrate(path, list), path, recoveredFrom: movedTo }
  }
}

function openAndMigrate(
  path: string,
  list: Migration[]
): { db: Database; schemaVersion: number; integrityCheck: IntegrityCheck } {
  // A clean exit leaves no -wal file: the last connection checkpoints it and removes it. Look
  // before opening, which creates one.
  const integrityCheck: IntegrityCheck = existsSync(`${path}-wal`) ? 'full' : 'size'
  const db = new BetterSqlite3(path, { timeout: BUSY_TIMEOUT_MS })
  try {
    // journal_mode reads the header, so a garbage file fails here with SQLITE_NOTADB.
    db.pragma('journal_mode = WAL')
    // WAL's default is FULL; NORMAL is durable across app crashes and much faster.
    db.pragma('synchronous = NORMAL')
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
    db.pragma('foreign_keys = ON')
    if (integrityCheck === 'full') {
      // quick_check walks every page: 0.1 to 0.2 s at the 1,000,000-event cap (npm run bench --
      // usage), worth it only when the last run may have died mid-write.
      const check = db.pragma('quick_check(1)', { simple: true })
      if (check !== 'ok') throw corrupt(`quick_check: ${String(check)}`)
    } else {
      // A truncated file keeps a header that counts the pages it lost.
      const pageSize = db.pragma('page_size', { simple: true }) as number
      const pages = db.pragma('page_count', { simple: true }) as number
      const size = statSync(path).size
      if (size < pageSize * pages) throw corrupt(`${size} bytes hold less than ${pages} pages`)
    }
    const schemaVersion = migrate(db, list)
    return { db, schemaVersion, integrityCheck }
  } catch (error) {
    db.close()
    throw error
  }
}

function corrupt(message: string): Error {
  return Object.assign(new Error(message), { code: 'SQLITE_CORRUPT' })
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1')

/** True for a missing or empty file (SQLite creates those) or one that starts like a database. */
function hasSqliteHeader(path: string): boolean {
  if (!existsSync(path)) return true
  const fd = openSync(path, 'r')
  try {
    const head = Buffer.alloc(SQLITE_MAGIC.length)
    const read = readSync(fd, head, 0, head.length, 0)
    return read === 0 || (read === head.length && head.equals(SQLITE_MAGIC))
  } finally {
    closeSync(fd)
  }
}

function isUnreadable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code !== 'string') return false
  // Extended codes (e.g. SQLITE_CORRUPT_INDEX) mean the same thing for us.
  return [...UNREADABLE_CODES].some((base) => code === base || code.startsWith(`${base}_`))
}

/** Moves the file and its own WAL / shared-memory companions; nothing else in the folder. */
function moveAside(path: string, now: Date): string {
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  const target = `${path}.unreadable-${stamp}`
  renameSync(path, target)
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(path + suffix)) renameSync(path + suffix, target + suffix)
  }
  return target
}
