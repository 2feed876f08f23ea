import type { Database, Statement } from 'better-sqlite3'

export type AuthKind = 'api_key' | 'oauth' | 'sandbox'

/** An account as stored. Its credential lives in the keychain under `profile:<id>`, never here. */
export interface StoredAccount {
  id: string
  name: string
  baseUrl: string
  authKind: AuthKind
  oauthClientId?: string
  oauthTokenUrl?: string
  builtin: boolean
  createdAt: number
  updatedAt: number
}

interface AccountRow {
  id: string
  name: string
  base_url: string
  auth_kind: AuthKind
  oauth_client_id: string | null
  oauth_token_url: string | null
  builtin: number
  created_at: number
  updated_at: number
}

/**
 * The table is still called `profiles`, and other tables point at it through `profile_id`:
 * the columns keep the name they shipped with (renaming them would cost a migration and buy
 * nothing); in TypeScript they are accounts, mapped here and in each table class.
 */
export class AccountsTable {
  static readonly createSql = `
    CREATE TABLE profiles (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      base_url TEXT NOT NULL,
      auth_kind TEXT NOT NULL CHECK (auth_kind IN ('api_key', 'oauth', 'sandbox')),
      oauth_client_id TEXT,
      oauth_token_url TEXT,
      builtin INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) STRICT;`

  private readonly allStmt: Statement<[], AccountRow>
  private readonly getStmt: Statement<[string], AccountRow>
  private readonly upsertStmt: Statement<[AccountRow]>
  private readonly deleteStmt: Statement<[string]>

  constructor(db: Database) {
    this.allStmt = db.prepare('SELECT * FROM profiles ORDER BY builtin DESC, name COLLATE NOCASE')
    this.getStmt = db.prepare('SELECT * FROM profiles WHERE id = ?')
    this.upsertStmt = db.prepare(`
      INSERT INTO profiles (id, name, base_url, auth_kind, oauth_client_id, oauth_token_url, builtin, created_at, updated_at)
      VALUES (@id, @name, @base_url, @auth_kind, @oauth_client_id, @oauth_token_url, @builtin, @created_at, @updated_at)
      ON CONFLICT(id) DO UPDATE SET name = excluded.name, base_url = excluded.base_url,
        auth_kind = excluded.auth_kind, oauth_client_id = excluded.oauth_client_id,
        oauth_token_url = excluded.oauth_token_url, updated_at = excluded.updated_at`)
    this.deleteStmt = db.prepare('DELETE FROM profiles WHERE id = ?')
  }

  all(): StoredAccount[] {
    return this.allStmt.all().map(toStoredAccount)
  }

  get(id: string): StoredAccount | undefined {
    const row = this.getStmt.get(id)
    return row ? toStoredAccount(row) : undefined
  }

  upsert(account: StoredAccount): void {
    this.upsertStmt.run({
      id: account.id,
      name: account.name,
      base_url: account.baseUrl,
      auth_kind: account.authKind,
      oauth_client_id: account.oauthClientId ?? null,
      oauth_token_url: account.oauthTokenUrl ?? null,
      builtin: account.builtin ? 1 : 0,
      created_at: account.createdAt,
      updated_at: account.updatedAt
    })
  }

  delete(id: string): boolean {
    return this.deleteStmt.run(id).changes > 0
  }
}

function toStoredAccount(row: AccountRow): StoredAccount {
  return {
    id: row.id,
    name: row.name,
    baseUrl: row.base_url,
    authKind: row.auth_kind,
    oauthClientId: row.oauth_client_id ?? undefined,
    oauthTokenUrl: row.oauth_token_url ?? undefined,
    builtin: row.builtin === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at
  }
}
