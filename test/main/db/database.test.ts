import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/main/db/database'
import { latestSchemaVersion, migrate, type Migration } from '../../../src/main/db/migrations'
import { SettingsTable } from '../../../src/main/db/tables/settingsTable'
import { UsageEventsTable } from '../../../src/main/db/tables/usageEventsTable'

const fixedNow = () => new Date('2026-11-26T10:42:00.000Z')

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'vkm-db-'))
}

/** A real database file with enough rows to span many pages, so truncation hits data. */
function writeRealDatabase(path: string): void {
  const opened = openDatabase(path)
  const usage = new UsageEventsTable(opened.db)
  usage.insertAll(
    Array.from({ length: 3000 }, (_, i) => ({
      at: i,
      accountId: 'p',
      keyId: `aky_${i}`,
      kind: 'query' as const,
      action: 'query',
      method: 'POST',
      path: '/v2/query',
      status: 200,
      latencyMs: 12.5
    }))
  )
  opened.db.pragma('wal_checkpoint(TRUNCATE)')
  opened.db.close()
}

describe('openDatabase', () => {
  it('creates the file, applies every migration and sets the pragmas explicitly', () => {
    const dir = tempDir()
    const opened = openDatabase(join(dir, 'vkm.db'))
    expect(opened.schemaVersion).toBe(latestSchemaVersion())
    expect(opened.db.pragma('user_version', { simple: true })).toBe(latestSchemaVersion())
    expect(opened.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(opened.db.pragma('synchronous', { simple: true })).toBe(1) // NORMAL
    expect(opened.db.pragma('busy_timeout', { simple: true })).toBe(5000)
    expect(opened.recoveredFrom).toBeUndefined()
    opened.db.close()
  })

  it('keeps data across reopen and does not re-run migrations', () => {
    const path = join(tempDir(), 'vkm.db')
    const first = openDatabase(path)
    new SettingsTable(first.db).set('currentAccount', 'p1')
    first.db.close()
    const second = openDatabase(path)
    expect(new SettingsTable(second.db).get('currentAccount')).toBe('p1')
    expect(second.recoveredFrom).toBeUndefined()
    second.db.close()
  })

  it('moves a garbage file aside with a timestamp, recreates it, and touches nothing else', () => {
    const dir = tempDir()
    const path = join(dir, 'vkm.db')
    writeFileSync(path, 'this is not a database, it is a shopping list. '.repeat(200))
    writeFileSync(join(dir, 'notes.txt'), 'keep me')
    writeFileSync(join(dir, 'other.db'), 'another file')
    const garbage = readFileSync(path)

    const opened = openDatabase(path, { now: fixedNow })
    expect(opened.recoveredFrom).toBe(`${path}.unreadable-2026-11-26T10-42-00-000Z`)
    expect(readFileSync(opened.recoveredFrom!)).toEqual(garbage)
    expect(opened.schemaVersion).toBe(latestSchemaVersion())
    new SettingsTable(opened.db).set('works', 'yes')
    opened.db.close()

    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('keep me')
    expect(readFileSync(join(dir, 'other.db'), 'utf8')).toBe('another file')
    const names = readdirSync(dir).filter((n) => !n.startsWith('vkm.db-')) // ignore live -wal/-shm
    expect(names.sort()).toEqual([
      'notes.txt',
      'other.db',
      'vkm.db',
      'vkm.db.unreadable-2026-11-26T10-42-00-000Z'
    ])
  })

  it('moves a truncated database aside and recreates it', () => {
    const dir = tempDir()
    const path = join(dir, 'vkm.db')
    writeRealDatabase(path)
    const fullSize = statSync(path).size
    expect(fullSize).toBeGreaterThan(40_000)
    truncateSync(path, Math.floor(fullSize / 3))

    const opened = openDatabase(path, { now: fixedNow })
    expect(opened.recoveredFrom).toMatch(/vkm\.db\.unreadable-2026-11-26T10-42-00-000Z$/)
    expect(statSync(opened.recoveredFrom!).size).toBe(Math.floor(fullSize / 3))
    expect(new UsageEventsTable(opened.db).recent(10)).toEqual([])
    opened.db.close()
  })

  it('checks only the size after a clean exit, and every page after an unclean one', () => {
    const path = join(tempDir(), 'vkm.db')
    const created = openDatabase(path)
    expect(created.integrityCheck).toBe('size')
    new SettingsTable(created.db).set('currentAccount', 'p1')
    created.db.close()
    expect(existsSync(`${path}-wal`)).toBe(false)
    const clean = openDatabase(path)
    expect(clean.integrityCheck).toBe('size')
    // Still open with a write in its WAL: to the next opener, the last run never ended cleanly.
    new SettingsTable(clean.db).set('currentAccount', 'p2')
    expect(existsSync(`${path}-wal`)).toBe(true)
    const afterCrash = openDatabase(path)
    expect(afterCrash.integrityCheck).toBe('full')
    expect(new SettingsTable(afterCrash.db).get('currentAccount')).toBe('p2')
    afterCrash.db.close()
    clean.db.close()
  })

  it('after an unclean exit, finds a damaged page inside the file and moves the file aside', () => {
    const dir = tempDir()
    const path = join(dir, 'vkm.db')
    writeRealDatabase(path)
    const bytes = readFileSync(path)
    const pageSize = bytes.readUInt16BE(16)
    // Scribble over a whole page in the middle: the length and the header stay right.
    bytes.fill(0xa5, pageSize * 4, pageSize * 5)
    writeFileSync(path, bytes)
    writeFileSync(`${path}-wal`, '')
    const opened = openDatabase(path, { now: fixedNow })
    expect(opened.recoveredFrom).toMatch(/vkm\.db\.unreadable-2026-11-26T10-42-00-000Z$/)
    expect(new UsageEventsTable(opened.db).recent(10)).toEqual([])
    opened.db.close()
  })

  it('moves a file truncated inside its header aside too', () => {
    const dir = tempDir()
    const path = join(dir, 'vkm.db')
    writeRealDatabase(path)
    truncateSync(path, 60)
    const opened = openDatabase(path, { now: fixedNow })
    expect(opened.recoveredFrom).toBeDefined()
    opened.db.close()
  })

  it('moves the WAL and shared-memory files of an unreadable database with it', () => {
    const dir = tempDir()
    const path = join(dir, 'vkm.db')
    writeFileSync(path, 'garbage '.repeat(100))
    writeFileSync(`${path}-wal`, 'old wal')
    writeFileSync(`${path}-shm`, 'old shm')
    const opened = openDatabase(path, { now: fixedNow })
    opened.db.close()
    expect(readFileSync(`${opened.recoveredFrom}-wal`, 'utf8')).toBe('old wal')
    expect(readFileSync(`${opened.recoveredFrom}-shm`, 'utf8')).toBe('old shm')
  })

  it('refuses a database written by a newer app instead of corrupting it', () => {
    const path = join(tempDir(), 'vkm.db')
    const raw = new BetterSqlite3(path)
    raw.pragma('user_version = 999')
    raw.close()
    expect(() => openDatabase(path)).toThrow(/newer version/)
    // The file is left alone: it is readable, just not ours to downgrade.
    const again = new BetterSqlite3(path)
    expect(again.pragma('user_version', { simple: true })).toBe(999)
    again.close()
  })
})

describe('migrate', () => {
  it('applies only pending migrations, in order, each atomically', () => {
    const db = new BetterSqlite3(':memory:')
    const applied: number[] = []
    const list: Migration[] = [
      { version: 2, description: 'b', up: () => void applied.push(2) },
      { version: 1, description: 'a', up: () => void applied.push(1) }
    ]
    expect(migrate(db, list)).toBe(2)
    expect(applied).toEqual([1, 2])
    expect(migrate(db, list)).toBe(2)
    expect(applied).toEqual([1, 2])
  })

  it('rolls back a failing migration and leaves user_version unchanged', () => {
    const db = new BetterSqlite3(':memory:')
    const list: Migration[] = [
      { version: 1, description: 'ok', up: (d) => d.exec('CREATE TABLE a (x INTEGER)') },
      {
        version: 2,
        description: 'fails',
        up: (d) => {
          d.exec('CREATE TABLE b (x INTEGER)')
          throw new Error('boom')
        }
      }
    ]
    expect(() => migrate(db, list)).toThrow('boom')
    expect(db.pragma('user_version', { simple: true })).toBe(1)
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined()
  })
})
