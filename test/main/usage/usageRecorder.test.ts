import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3, { type Database } from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../../src/main/db/database'
import { UsageEventsTable } from '../../../src/main/db/tables/usageEventsTable'
import { silentLogger } from '../../../src/main/log'
import { UsageRecorder } from '../../../src/main/services/usageRecorder'
import type { VectaraRequestInfo } from '../../../src/main/vectara'

let dir: string
let db: Database
/** A second connection, as another process (or the app after a crash) would read the file. */
let reader: Database
let usage: UsageEventsTable

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vkm-recorder-'))
  db = openDatabase(join(dir, 'vkm.db')).db
  reader = new BetterSqlite3(join(dir, 'vkm.db'), { readonly: true })
  usage = new UsageEventsTable(db)
})

afterEach(() => {
  vi.useRealTimers()
  reader.close()
  db.close()
  rmSync(dir, { recursive: true, force: true })
})

const committed = (): number =>
  (reader.prepare('SELECT COUNT(*) AS n FROM usage_events').get() as { n: number }).n

function info(operation: string, path = '/v2/query'): VectaraRequestInfo {
  return { operation, method: 'POST', path, ok: true, status: 200, latencyMs: 12.34, attempts: 1 }
}

describe('UsageRecorder', () => {
  it('commits a query, a probe or an admin action before the caller goes on', () => {
    const recorder = new UsageRecorder({ usage, logger: silentLogger })
    recorder.observer({ accountId: 'a', keyId: 'k1' })(info('query'))
    expect(committed()).toBe(1)
    recorder.observer({ accountId: 'a', keyId: 'k1', action: 'probe' })(info('queryCorpus'))
    recorder.observer({ accountId: 'a' })(info('apiKeys.setEnabled', '/v2/api_keys/k1'))
    expect(committed()).toBe(3)
    expect(usage.recent(3).map((e) => `${e.kind}:${e.action}`)).toEqual([
      'admin:apiKeys.setEnabled',
      'query:probe',
      'query:query'
    ])
  })

  it('batches paged reads on the next turn, and a read of the history writes them first', async () => {
    const recorder = new UsageRecorder({ usage, logger: silentLogger })
    const observe = recorder.observer({ accountId: 'a' })
    for (let page = 0; page < 5; page++) observe(info('apiKeys.list', '/v2/api_keys'))
    expect(committed()).toBe(0)
    await new Promise((done) => setImmediate(done))
    expect(committed()).toBe(5)
    observe(info('corpora.list', '/v2/corpora'))
    expect(usage.stats().events).toBe(6)
  })

  it('announces new usage once per account per burst, after the burst', () => {
    vi.useFakeTimers()
    const announced: string[] = []
    const recorder = new UsageRecorder({
      usage,
      logger: silentLogger,
      notifyAfterMs: 250,
      onRecorded: (accountId) => announced.push(accountId)
    })
    for (let i = 0; i < 20; i++) recorder.observer({ accountId: 'a', keyId: 'k' })(info('query'))
    recorder.observer({ accountId: 'b' })(info('apiKeys.list', '/v2/api_keys'))
    expect(announced).toEqual([])
    vi.advanceTimersByTime(249)
    expect(announced).toEqual([])
    vi.advanceTimersByTime(1)
    expect(announced).toEqual(['a', 'b'])
    recorder.observer({ accountId: 'a', keyId: 'k' })(info('query'))
    vi.advanceTimersByTime(250)
    expect(announced).toEqual(['a', 'b', 'a'])
  })

  it('never fails the request it observes, and announces nothing it could not record', () => {
    vi.useFakeTimers()
    const warnings: string[] = []
    const announced: string[] = []
    db.close()
    const recorder = new UsageRecorder({
      usage,
      logger: { ...silentLogger, warn: (message) => warnings.push(message) },
      onRecorded: (accountId) => announced.push(accountId)
    })
    expect(() => recorder.observer({ accountId: 'a', keyId: 'k' })(info('query'))).not.toThrow()
    expect(warnings).toEqual(['could not record a usage event'])
    vi.advanceTimersByTime(1000)
    expect(announced).toEqual([])
    db = openDatabase(join(dir, 'vkm.db')).db
  })

  it('drops a pending announcement when stopped', () => {
    vi.useFakeTimers()
    const announced: string[] = []
    const recorder = new UsageRecorder({
      usage,
      logger: silentLogger,
      onRecorded: (accountId) => announced.push(accountId)
    })
    recorder.observer({ accountId: 'a', keyId: 'k' })(info('query'))
    recorder.stop()
    vi.advanceTimersByTime(1000)
    expect(announced).toEqual([])
  })
})
