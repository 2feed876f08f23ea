import type { Database, Statement } from 'better-sqlite3'

export interface CachedCorpus {
  key: string
  name: string
  description?: string
}

/** The corpora of an account, for pickers that must work offline. */
export class CorpusCacheTable {
  static readonly createSql = `
    CREATE TABLE corpus_cache (
      profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
      corpus_key TEXT NOT NULL,
      name TEXT NOT NULL,
      description TEXT,
      last_synced_at INTEGER NOT NULL,
      PRIMARY KEY (profile_id, corpus_key)
    ) STRICT;`

  private readonly listStmt: Statement<
    [string],
    { corpus_key: string; name: string; description: string | null }
  >
  private readonly replaceTx: (accountId: string, corpora: CachedCorpus[], now: number) => void

  constructor(db: Database) {
    this.listStmt = db.prepare(
      'SELECT corpus_key, name, description FROM corpus_cache WHERE profile_id = ? ORDER BY name COLLATE NOCASE'
    )
    const clear = db.prepare<[string]>('DELETE FROM corpus_cache WHERE profile_id = ?')
    const insert = db.prepare<[string, string, string, string | null, number]>(
      'INSERT INTO corpus_cache (profile_id, corpus_key, name, description, last_synced_at) VALUES (?, ?, ?, ?, ?)'
    )
    this.replaceTx = db.transaction((accountId: string, corpora: CachedCorpus[], now: number) => {
      clear.run(accountId)
      for (const c of corpora) insert.run(accountId, c.key, c.name, c.description ?? null, now)
    })
  }

  list(accountId: string): CachedCorpus[] {
    return this.listStmt.all(accountId).map((r) => ({
      key: r.corpus_key,
      name: r.name,
      ...(r.description ? { description: r.description } : {})
    }))
  }

  replace(accountId: string, corpora: CachedCorpus[], now: number): void {
    this.replaceTx(accountId, corpora, now)
  }
}
