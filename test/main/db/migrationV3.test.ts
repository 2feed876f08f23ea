import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/main/db/database'
import { migrations } from '../../../src/main/db/migrations'
import { UsageEventsTable } from '../../../src/main/db/tables/usageEventsTable'
import { localDay } from '../../../src/main/usage/days'

describe('migration 3', () => {
  it('converts version-2 usage events to compact rows and backfills the daily rollups', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vkm-mig-')), 'vkm.db')
    const v2 = openDatabase(path, { migrations: migrations.filter((m) => m.version <= 2) })
    expect(v2.schemaVersion).toBe(2)
    const insert = v2.db.prepare(`INSERT INTO usage_events
      (at, profile_id, key_id, kind, action, method, path, status, latency_ms, result_count, error_code)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    const at = Date.parse('2026-11-20T12:00:00')
    insert.run(at, 'p1', 'aky_1', 'query', 'query', 'POST', '/v2/query', 200, 12.5, 3, null)
    insert.run(
      at + 1,
      'p1',
      'aky_1',
      'query',
      'query',
      'POST',
      '/v2/query',
      401,
      4,
      null,
      'API_UNAUTHORIZED'
    )
    insert.run(at + 2, 'p1', null, 'admin', 'apiKeys.list', 'GET', '/v2/api_keys', 200, 20, 7, null)
    v2.db.prepare('INSERT INTO key_last_used VALUES (?, ?, ?)').run('p1', 'aky_1', at)
    v2.db.close()

    // Up to 3 only: later versions are other features' and have tests of their own.
    const v3 = openDatabase(path, { migrations: migrations.filter((m) => m.version <= 3) })
    expect(v3.schemaVersion).toBe(3)
    const usage = new UsageEventsTable(v3.db)
    expect(usage.recent(10)).toEqual([
      {
        at: at + 2,
        accountId: 'p1',
        kind: 'admin',
        action: 'apiKeys.list',
        method: 'GET',
        path: '/v2/api_keys',
        status: 200,
        latencyMs: 20,
        resultCount: 7
      },
      {
        at: at + 1,
        accountId: 'p1',
        keyId: 'aky_1',
        kind: 'query',
        action: 'query',
        method: 'POST',
        path: '/v2/query',
        status: 401,
        latencyMs: 4,
        errorCode: 'API_UNAUTHORIZED'
      },
      {
        at,
        accountId: 'p1',
        keyId: 'aky_1',
        kind: 'query',
        action: 'query',
        method: 'POST',
        path: '/v2/query',
        status: 200,
        latencyMs: 12.5,
        resultCount: 3
      }
    ])
    const day = localDay(at)
    const filter = { fromDay: day, toDay: day, accountId: 'p1', keyId: null, kind: null }
    expect(usage.daily.totals(filter)).toEqual([
      { index: day, requests: 3, errors: 1, latencyHist: expect.any(Buffer) }
    ])
    expect(usage.daily.topKeys(filter, 10).map((k) => [k.keyId, k.total])).toEqual([
      ['aky_1', 2],
      ['', 1]
    ])
    expect(usage.lastUsedByKey('p1')).toEqual(new Map([['aky_1', at]]))
    const indexes = v3.db
      .prepare<[], { name: string }>(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'usage_events'"
      )
      .all()
      .map((r) => r.name)
    expect(indexes).toEqual(['usage_events_by_time'])
    // New events keep using the same dictionaries.
    usage.insert({
      at: at + 3,
      accountId: 'p1',
      keyId: 'aky_1',
      kind: 'query',
      action: 'query',
      method: 'POST',
      path: '/v2/query'
    })
    expect(v3.db.prepare('SELECT COUNT(*) AS n FROM usage_refs').get()).toEqual({ n: 2 })
    v3.db.close()
  })
})
