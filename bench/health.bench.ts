/**
 * Key health at scale, through the app's own table classes and HealthService on a real SQLite
 * file: one account with 10,000 keys, 1,000 corpora and 1,000,000 usage events.
 * - health_10k_keys_1m_events_ms: `health.findings` for the account, all rules, from the tables
 *   (facts gathered, rules run, dismissals applied, sorted).
 * - coverage_1k_corpora_10k_keys_ms: `health.coverage` for it, to data (the compact map).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Database } from 'better-sqlite3'
import type { BenchResult } from './run'
import { openDatabase } from '../src/main/db/database'
import { AccountsTable } from '../src/main/db/tables/accountsTable'
import { AuditTable } from '../src/main/db/tables/auditTable'
import { CorpusCacheTable } from '../src/main/db/tables/corpusCacheTable'
import { FindingDismissalsTable } from '../src/main/db/tables/findingDismissalsTable'
import { KeyCacheTable, type CachedKey } from '../src/main/db/tables/keyCacheTable'
import { KeyDisabledSinceTable } from '../src/main/db/tables/keyDisabledSinceTable'
import { KeyExpiryTable } from '../src/main/db/tables/keyExpiryTable'
import { PlaygroundHistoryTable } from '../src/main/db/tables/playgroundHistoryTable'
import { SettingsTable } from '../src/main/db/tables/settingsTable'
import { UsageEventsTable, type UsageEvent } from '../src/main/db/tables/usageEventsTable'
import type { KeyKind } from '../src/shared/contract/keys'
import { HealthService } from '../src/main/services/healthService'
import { runRules } from '../src/main/health/rules'

export const name = 'health'

const DAY = 86_400_000
const NOW = Date.now()
const ACCOUNT = '3f1c2b9e-0d4a-4e6b-9a51-7c2d8e4f1a01'
const KEYS = 10_000
const CORPORA = 1_000
const EVENTS = 1_000_000

/** A deterministic generator, so every run measures the same data. */
function lcg(seed: number): () => number {
  let state = seed
  return () => ((state = (state * 48271) % 2147483647) - 1) / 2147483646
}

const keyId = (k: number): string => `aky_${k.toString(36).padStart(6, '0')}`
const corpusKey = (c: number): string => `corpus-${String(c).padStart(4, '0')}`

/**
 * 10,000 keys: 1 in 50 Personal, 1 in 4 Index, the rest Query; 1 in 10 disabled; each on one to
 * three corpora; known for 30 to 120 days, so many are stale.
 */
function keys(): CachedKey[] {
  const random = lcg(3)
  return Array.from({ length: KEYS }, (_, k) => {
    const kind: KeyKind = k % 50 === 0 ? 'personal' : k % 4 === 3 ? 'index' : 'query'
    const count = 1 + Math.floor(random() * 3)
    const corpora =
      kind === 'personal'
        ? []
        : Array.from({ length: count }, () => corpusKey(Math.floor(random() * CORPORA * 0.9)))
    return {
      accountId: ACCOUNT,
      keyId: keyId(k),
      name: `key-${k}`,
      kind,
      role: null,
      enabled: k % 10 !== 9,
      corpora: [...new Set(corpora)],
      maskedSecret: null,
      firstSeenAt: NOW - (30 + Math.floor(random() * 90)) * DAY,
      lastSyncedAt: NOW
    }
  })
}

/** 1,000,000 events over 90 days up to now from the keys (Zipf-like shares), 1 in 10 admin. */
function events(): UsageEvent[] {
  const random = lcg(7)
  const step = (90 * DAY) / EVENTS
  const out = new Array<UsageEvent>(EVENTS)
  for (let i = 0; i < EVENTS; i++) {
    const admin = random() < 0.1
    const key = Math.floor(KEYS * random() ** 2)
    out[i] = {
      at: Math.floor(NOW - 90 * DAY + i * step),
      accountId: ACCOUNT,
      ...(admin ? {} : { keyId: keyId(key) }),
      kind: admin ? 'admin' : 'query',
      action: admin ? 'apiKeys.list' : 'query',
      method: admin ? 'GET' : 'POST',
      path: admin ? '/v2/api_keys' : '/v2/query',
      status: 200,
      latencyMs: 40,
      ...(admin ? {} : { resultCount: 10 })
    }
  }
  return out
}

/** In its own function so the million event objects are garbage before anything is timed. */
function fill(usage: UsageEventsTable): void {
  const all = events()
  for (let i = 0; i < all.length; i += 100_000) usage.insertAll(all.slice(i, i + 100_000))
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

function time(fn: () => void): number {
  const started = performance.now()
  fn()
  return performance.now() - started
}

const round = (ms: number): number => Math.round(ms * 100) / 100

export async function run(): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'vkm-bench-health-'))
  const { db } = openDatabase(join(dir, 'vkm.db'))
  try {
    new AccountsTable(db).upsert({
      id: ACCOUNT,
      name: 'Production',
      baseUrl: 'https://api.vectara.io',
      authKind: 'api_key',
      builtin: false,
      createdAt: 0,
      updatedAt: 0
    })
    const keyCache = new KeyCacheTable(db)
    const cached = keys()
    keyCache.replaceAll(ACCOUNT, cached, NOW)
    const corpusCache = new CorpusCacheTable(db)
    corpusCache.replace(
      ACCOUNT,
      Array.from({ length: CORPORA }, (_, c) => ({ key: corpusKey(c), name: `Corpus ${c}` })),
      NOW
    )
    const usage = new UsageEventsTable(db)
    fill(usage)
    const keyExpiry = new KeyExpiryTable(db)
    // A few hundred keys with dates: some passed, some within the warning window.
    for (let k = 0; k < KEYS; k += 25)
      keyExpiry.set(
        ACCOUNT,
        keyId(k),
        { at: NOW + ((k % 60) - 20) * DAY, disableAtExpiry: k % 2 === 0 },
        NOW
      )
    const dismissals = new FindingDismissalsTable(db)
    for (let k = 1; k < KEYS; k += 100)
      dismissals.set(ACCOUNT, {
        findingId: `stale:${keyId(k)}`,
        fingerprint: 'x',
        reason: 'bench',
        at: NOW
      })
    const accounts = new AccountsTable(db)
    const service = new HealthService({
      accounts: {
        get: (id) => accounts.get(id)!,
        all: () => accounts.all()
      },
      keyCache,
      corpusCache,
      usage,
      playgroundHistory: new PlaygroundHistoryTable(db),
      settings: new SettingsTable(db),
      keyExpiry,
      disabledSince: new KeyDisabledSinceTable(db),
      dismissals,
      audit: new AuditTable(db),
      now: () => NOW
    })

    if (process.env.VKM_BENCH_PROFILE) profile(db, service, ACCOUNT, NOW)
    let findings = 0
    // The first run also gives the disabled keys their time and drops lapsed dismissals.
    const first = time(() => (findings = service.findings(ACCOUNT).findings.length))
    const healthTimes = Array.from({ length: 15 }, () => time(() => service.findings(ACCOUNT)))
    let columns = 0
    const coverageTimes = Array.from({ length: 15 }, () =>
      time(() => {
        columns = service.coverage({ accountId: ACCOUNT, includeDisabled: false }).keys.length
      })
    )
    const exportTimes = Array.from({ length: 5 }, () =>
      time(() => service.exportInventory({ accountId: ACCOUNT, format: 'csv' }))
    )
    return {
      figures: {
        health_10k_keys_1m_events_ms: round(median(healthTimes)),
        health_first_run_ms: round(first),
        findings,
        coverage_1k_corpora_10k_keys_ms: round(median(coverageTimes)),
        coverage_key_columns: columns,
        inventory_csv_10k_keys_ms: round(median(exportTimes))
      },
      targets: {
        health_10k_keys_1m_events_ms: { max: 50 },
        coverage_1k_corpora_10k_keys_ms: { max: 100 }
      }
    }
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Where the time goes (developer aid, VKM_BENCH_PROFILE=1): CPU time per step, median of 15. */
function profile(db: Database, service: HealthService, account: string, now: number): void {
  const cpu = (): number => {
    const u = process.cpuUsage()
    return (u.user + u.system) / 1000
  }
  const step = (label: string, fn: () => unknown): void => {
    const times = Array.from({ length: 15 }, () => {
      const t = cpu()
      fn()
      return cpu() - t
    })
    process.stderr.write(`${label}: ${round(median(times))} ms cpu\n`)
  }
  const keyCache = new KeyCacheTable(db)
  const usage = new UsageEventsTable(db)
  step('keyCache.liveBrief', () => keyCache.liveBrief(account))
  step('usage.lastUsedByKey', () => usage.lastUsedByKey(account))
  const keyExpiry = new KeyExpiryTable(db)
  const since = new KeyDisabledSinceTable(db)
  const corpora = new CorpusCacheTable(db)
  const history = new PlaygroundHistoryTable(db)
  step('keyExpiry.forAccount', () => keyExpiry.forAccount(account))
  step('disabledSince.forAccount', () => since.forAccount(account))
  step('corpusCache.list', () => corpora.list(account))
  step('otherUse', () => usage.daily.keysWithOtherUse(account))
  step('playground corporaByKey', () => history.corporaByKey(account))
  step('facts', () => service.facts({ id: account, name: 'P' }, now))
  const facts = service.facts({ id: account, name: 'P' }, now)
  step('rules', () => runRules(facts, now))
  step('findings', () => service.findings(account))
}
