import type { Database } from 'better-sqlite3'
import { SettingsTable } from '../tables/settingsTable'
import { AccountsTable } from '../tables/accountsTable'
import { KeyCacheTable } from '../tables/keyCacheTable'
import { CorpusCacheTable } from '../tables/corpusCacheTable'
import { AuditTable } from '../tables/auditTable'
import { UsageDailyTable } from '../tables/usageDailyTable'
import { PlaygroundHistoryTable } from '../tables/playgroundHistoryTable'
import { RemoteQueriesTable } from '../tables/remoteQueriesTable'
import { ScanFindingsTable } from '../tables/scanFindingsTable'
import { ScanFoldersTable } from '../tables/scanFoldersTable'
import { ScanStampsTable } from '../tables/scanStampsTable'
import { RotationsTable } from '../tables/rotationsTable'
import { KeyExpiryTable } from '../tables/keyExpiryTable'
import { ExpiryRemindersTable } from '../tables/expiryRemindersTable'
import { FindingDismissalsTable } from '../tables/findingDismissalsTable'
import { KeyDisabledSinceTable } from '../tables/keyDisabledSinceTable'
import { backfillUsageDaily } from './backfillUsageDaily'
import { COMPACT_USAGE_EVENTS_V3_SQL, USAGE_EVENTS_V1_SQL } from './usageEvents'

export interface Migration {
  /** Becomes `PRAGMA user_version` once applied; strictly increasing, never reused. */
  version: number
  description: string
  up(db: Database): void
}

/**
 * Append-only. Each table class owns its current SQL; a migration only says which statements
 * run when. A table whose shape has changed since (usage events) keeps its old shapes here.
 * Version 2 is reserved for the keys feature (key and corpus caches, audit), 3 for the
 * playground and usage feature, 4 for the folder scanner, 5 for key rotation, 6 for key health.
 */
export const migrations: Migration[] = [
  {
    version: 1,
    description: 'settings, profiles and usage events',
    up(db) {
      db.exec(SettingsTable.createSql)
      db.exec(AccountsTable.createSql)
      db.exec(USAGE_EVENTS_V1_SQL)
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
  },
  {
    version: 3,
    description:
      'compact usage events with daily rollups, playground history, cached Vectara query history',
    up(db) {
      db.exec(UsageDailyTable.createSql)
      // Events recorded before rollups existed still belong in the charts (read in v1 layout).
      backfillUsageDaily(db)
      db.exec(COMPACT_USAGE_EVENTS_V3_SQL)
      db.exec(PlaygroundHistoryTable.createSql)
      db.exec(RemoteQueriesTable.createSql)
    }
  },
  {
    version: 4,
    description: 'folder scanner: chosen folders, file stamps for rescans, findings (no secrets)',
    up(db) {
      db.exec(ScanFoldersTable.createSql)
      db.exec(ScanStampsTable.createSql)
      db.exec(ScanFindingsTable.createSql)
    }
  },
  {
    version: 5,
    description: 'key rotations (plan and step states, never a secret); keys found by name',
    up(db) {
      db.exec(RotationsTable.createSql)
      // A rotation retried after a lost answer looks its new key up by the planned name.
      db.exec('CREATE INDEX key_cache_by_name ON key_cache (profile_id, name)')
    }
  },
  {
    version: 6,
    description:
      'key health: expiry dates and their reminders, dismissed findings, when keys were disabled',
    up(db) {
      db.exec(KeyExpiryTable.createSql)
      db.exec(ExpiryRemindersTable.createSql)
      db.exec(FindingDismissalsTable.createSql)
      db.exec(KeyDisabledSinceTable.createSql)
      db.exec(UsageDailyTable.otherUseIndexSql)
      db.exec(AuditTable.byKeyIndexSql)
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
