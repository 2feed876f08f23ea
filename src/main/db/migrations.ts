import type { Database } from 'better-sqlite3'
import { SettingsTable } from './tables/settingsTable'
import { ProfilesTable } from './tables/profilesTable'
import { UsageEventsTable } from './tables/usageEventsTable'
import { KeyCacheTable } from './tables/keyCacheTable'
import { CorpusCacheTable } from './tables/corpusCacheTable'
import { AuditTable } from './tables/auditTable'

export interface Migration {
  /** Becomes `PRAGMA user_version` once applied; strictly increasing, never reused. */
  version: number
  description: string
  up(db: Database): void
}

/**
 * Append-only. Each table class owns its SQL; a migration only says which statements run when.
 * Version 2 is reserved for the keys feature (key and corpus caches, audit), 3 for the
 * playground and usage feature.
 */
export const migrations: Migration[] = [
  {
    version: 1,
    description: 'settings, profiles and usage events',
    up(db) {
      db.exec(SettingsTable.createSql)
      db.exec(ProfilesTable.createSql)
      db.exec(UsageEventsTable.createSql)
    }
  },
  {
    version: 2,
    description: 'key and corpus caches, audit events',
    up(db) {
      db.exec(KeyCacheTable.createSql)
      db.exec(CorpusCacheTable.createSql)
      db.exec(AuditTable.createSql)
    }
  }
]

export const latestSchemaVersion = (list: Migration[] = migrations): number =>
  list.reduce((max, m) => Math.max(max, m.version), 0)

/** Applies every migration newer than the file's `user_version`, each in its own transaction. */
export function migrate(db: Database, list: Migration[] = migrations): number {
  const current = db.pragma('user_version', { simple: true }) as number
  const latest = latestSchemaVersion(list)
  if (current > latest) {
    throw new Error(
      `The database was written by a newer version of the app (schema ${current}, this app knows ${latest}).`
    )
  }
  const pending = list.filter((m) => m.version > current).sort((a, b) => a.version - b.version)
  for (const migration of pending) {
    db.transaction(() => {
      migration.up(db)
      db.pragma(`user_version = ${migration.version}`)
    })()
  }
  return db.pragma('user_version', { simple: true }) as number
}
