import type { Migration } from '../../main/db/migrations'
import { MetaTable } from './metaTable'
import { CorporaTable } from './corporaTable'
import { ApiKeysTable } from './apiKeysTable'
import { DocumentsTable } from './documentsTable'
import { QueryHistoryTable } from './queryHistoryTable'
import { OAuthTable } from './oauthTable'

/** Append-only, like the app's own migrations: a persisted Sandbox must open with a newer build. */
export const sandboxMigrations: Migration[] = [
  {
    version: 1,
    description: 'sandbox: corpora, keys, documents with FTS5, query history, OAuth clients',
    up(db) {
      db.exec(MetaTable.createSql)
      db.exec(CorporaTable.createSql)
      db.exec(ApiKeysTable.createSql)
      db.exec(DocumentsTable.createSql)
      db.exec(QueryHistoryTable.createSql)
      db.exec(OAuthTable.createSql)
    }
  }
]
