import { join } from 'node:path'
import BetterSqlite3, { type Database } from 'better-sqlite3'
import { openDatabase } from '../../main/db/database'
import { migrate } from '../../main/db/migrations'
import { sandboxMigrations } from './schema'
import { MetaTable } from './metaTable'
import { CorporaTable } from './corporaTable'
import { ApiKeysTable } from './apiKeysTable'
import { DocumentsTable } from './documentsTable'
import { QueryHistoryTable } from './queryHistoryTable'
import { OAuthTable } from './oauthTable'

export const SANDBOX_DB_FILE = 'sandbox.db'

export interface SandboxStore {
  db: Database
  /** Where the data lives; undefined for an in-memory Sandbox. */
  path?: string
  meta: MetaTable
  corpora: CorporaTable
  apiKeys: ApiKeysTable
  documents: DocumentsTable
  history: QueryHistoryTable
  oauth: OAuthTable
}

/**
 * A persisted Sandbox reuses the app's opener (WAL, busy timeout, corrupt files moved aside);
 * an in-memory one needs only foreign keys, which SQLite leaves off by default.
 */
export function openStore(dataDir?: string): SandboxStore {
  let db: Database
  let path: string | undefined
  if (dataDir) {
    path = join(dataDir, SANDBOX_DB_FILE)
    db = openDatabase(path, { migrations: sandboxMigrations }).db
  } else {
    db = new BetterSqlite3(':memory:')
    db.pragma('foreign_keys = ON')
    migrate(db, sandboxMigrations)
  }
  return {
    db,
    path,
    meta: new MetaTable(db),
    corpora: new CorporaTable(db),
    apiKeys: new ApiKeysTable(db),
    documents: new DocumentsTable(db),
    history: new QueryHistoryTable(db),
    oauth: new OAuthTable(db)
  }
}
