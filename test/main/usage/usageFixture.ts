import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Database } from 'better-sqlite3'
import { openDatabase } from '../../../src/main/db/database'
import { KeyCacheTable } from '../../../src/main/db/tables/keyCacheTable'
import { PlaygroundHistoryTable } from '../../../src/main/db/tables/playgroundHistoryTable'
import { AccountsTable } from '../../../src/main/db/tables/accountsTable'
import { RemoteQueriesTable } from '../../../src/main/db/tables/remoteQueriesTable'
import { SettingsTable } from '../../../src/main/db/tables/settingsTable'
import { UsageEventsTable, type UsageEvent } from '../../../src/main/db/tables/usageEventsTable'
import { silentLogger } from '../../../src/main/log'
import type { AccountsService } from '../../../src/main/services/accountsService'
import { UsageService } from '../../../src/main/services/usageService'
import type { VectaraClients } from '../../../src/main/services/vectaraClients'
import { UsageRetention } from '../../../src/main/usage/retention'

export interface UsageFixture {
  db: Database
  dir: string
  usage: UsageEventsTable
  keyCache: KeyCacheTable
  accountsTable: AccountsTable
  remote: RemoteQueriesTable
  playground: PlaygroundHistoryTable
  retention: UsageRetention
  service: UsageService
  clock: { now: number }
}

/** The usage tables and service on a real SQLite file, with a clock the test moves. */
export function usageFixture(
  options: { maxEvents?: number; batchSize?: number; now?: number } = {}
): UsageFixture {
  const dir = mkdtempSync(join(tmpdir(), 'vkm-usage-'))
  const { db } = openDatabase(join(dir, 'vkm.db'))
  const clock = { now: options.now ?? Date.parse('2026-11-26T15:00:00') }
  const now = (): number => clock.now
  const usage = new UsageEventsTable(db)
  const keyCache = new KeyCacheTable(db)
  const accountsTable = new AccountsTable(db)
  const remote = new RemoteQueriesTable(db)
  const playground = new PlaygroundHistoryTable(db)
  for (const [id, name] of [
    ['acc-a', 'Alpha'],
    ['acc-b', 'Beta']
  ]) {
    accountsTable.upsert({
      id,
      name,
      baseUrl: 'https://api.vectara.io',
      authKind: 'api_key',
      builtin: false,
      createdAt: 0,
      updatedAt: 0
    })
  }
  const retention = new UsageRetention({
    usage,
    remote,
    playground,
    logger: silentLogger,
    now,
    maxEvents: options.maxEvents,
    batchSize: options.batchSize
  })
  const accounts: Pick<AccountsService, 'get' | 'find' | 'all'> = {
    get: (id) => {
      const found = accountsTable.get(id)
      if (!found) throw new Error(`no account ${id}`)
      return found
    },
    find: (id) => accountsTable.get(id),
    all: () => accountsTable.all()
  }
  const service = new UsageService({
    usage,
    remote,
    keyCache,
    settings: new SettingsTable(db),
    accounts: accounts as AccountsService,
    clients: {} as VectaraClients,
    retention,
    now
  })
  return { db, dir, usage, keyCache, accountsTable, remote, playground, retention, service, clock }
}

export function event(partial: Partial<UsageEvent> & { at: number }): UsageEvent {
  return {
    accountId: 'acc-a',
    kind: 'query',
    action: 'query',
    method: 'POST',
    path: '/v2/query',
    status: 200,
    latencyMs: 10,
    resultCount: 5,
    ...partial
  }
}

export function cacheKey(
  fixture: UsageFixture,
  accountId: string,
  keyId: string,
  name: string,
  firstSeenAt = 0
): void {
  fixture.keyCache.upsert({
    accountId,
    keyId,
    name,
    kind: 'query',
    role: 'serving',
    enabled: true,
    corpora: ['c'],
    maskedSecret: 'zqt_…abcd',
    firstSeenAt,
    lastSyncedAt: 0
  })
}
