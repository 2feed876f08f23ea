import { createHash, timingSafeEqual } from 'node:crypto'
import type { Database, Statement } from 'better-sqlite3'

export interface AppClient {
  clientId: string
  clientSecret: string
  name: string
}

const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex')

/**
 * OAuth app clients and the access tokens issued to them. Only a hash of each token is kept:
 * the table then proves a token is valid without being a list of usable credentials.
 */
export class OAuthTable {
  static readonly createSql = `
    CREATE TABLE app_clients (
      client_id TEXT PRIMARY KEY,
      client_secret TEXT NOT NULL,
      name TEXT NOT NULL
    ) STRICT;
    CREATE TABLE oauth_tokens (
      token_hash TEXT PRIMARY KEY,
      client_id TEXT NOT NULL REFERENCES app_clients (client_id) ON DELETE CASCADE,
      expires_at INTEGER NOT NULL
    ) STRICT;`

  private readonly insertClientStmt: Statement<[string, string, string]>
  private readonly clientStmt: Statement<
    [string],
    { client_id: string; client_secret: string; name: string }
  >
  private readonly firstClientStmt: Statement<
    [],
    { client_id: string; client_secret: string; name: string }
  >
  private readonly insertTokenStmt: Statement<[string, string, number]>
  private readonly tokenStmt: Statement<[string], { client_id: string; expires_at: number }>
  private readonly pruneStmt: Statement<[number]>

  constructor(db: Database) {
    this.insertClientStmt = db.prepare(
      'INSERT INTO app_clients (client_id, client_secret, name) VALUES (?, ?, ?)'
    )
    this.clientStmt = db.prepare('SELECT * FROM app_clients WHERE client_id = ?')
    this.firstClientStmt = db.prepare('SELECT * FROM app_clients ORDER BY rowid LIMIT 1')
    this.insertTokenStmt = db.prepare(
      'INSERT INTO oauth_tokens (token_hash, client_id, expires_at) VALUES (?, ?, ?)'
    )
    this.tokenStmt = db.prepare(
      'SELECT client_id, expires_at FROM oauth_tokens WHERE token_hash = ?'
    )
    this.pruneStmt = db.prepare('DELETE FROM oauth_tokens WHERE expires_at <= ?')
  }

  addClient(client: AppClient): void {
    this.insertClientStmt.run(client.clientId, client.clientSecret, client.name)
  }

  firstClient(): AppClient | undefined {
    const row = this.firstClientStmt.get()
    return row && { clientId: row.client_id, clientSecret: row.client_secret, name: row.name }
  }

  /** Constant-time comparison, so response timing says nothing about the secret. */
  verifyClient(clientId: string, clientSecret: string): boolean {
    const row = this.clientStmt.get(clientId)
    if (!row) return false
    const expected = Buffer.from(row.client_secret)
    const given = Buffer.from(clientSecret)
    return expected.length === given.length && timingSafeEqual(expected, given)
  }

  issueToken(token: string, clientId: string, expiresAt: number, now: number): void {
    this.pruneStmt.run(now)
    this.insertTokenStmt.run(hashToken(token), clientId, expiresAt)
  }

  /** The client a token belongs to, if it exists and has not expired at `now`. */
  tokenClient(token: string, now: number): string | undefined {
    const row = this.tokenStmt.get(hashToken(token))
    return row && row.expires_at > now ? row.client_id : undefined
  }
}
