import type { CallInput, CallOutput } from '@shared/contract'
import type { StaleKey, UsageCharts, UsageFilters, UsageRow } from '@shared/contract/usage'
import { isStale, STALE_AFTER_DAYS } from '@shared/keyKinds'
import { redactSecrets } from '@shared/redact'
import type { QueryHistorySummary } from '@shared/vectara'
import type { KeyCacheTable } from '../db/tables/keyCacheTable'
import type { RemoteQueriesTable, RemoteQuery } from '../db/tables/remoteQueriesTable'
import type { SettingsTable } from '../db/tables/settingsTable'
import type {
  StoredUsageEvent,
  UsageEventFilter,
  UsageEventsTable
} from '../db/tables/usageEventsTable'
import { TOP_KEYS, buildCharts, planBuckets } from '../usage/charts'
import { toCsv } from '../usage/csv'
import { DAY_MS } from '../usage/days'
import type { UsageRetention } from '../usage/retention'
import type { AccountsService } from './accountsService'
import type { VectaraClients } from './vectaraClients'

export interface UsageServiceDeps {
  usage: UsageEventsTable
  remote: RemoteQueriesTable
  keyCache: KeyCacheTable
  settings: SettingsTable
  accounts: AccountsService
  clients: VectaraClients
  retention: UsageRetention
  now?: () => number
}

const PAGE = 200
/** A first sync looks back as far as the history is kept, no further. */
const FIRST_SYNC_DAYS = 365
/** One sync stops after this many entries; the next continues from there. */
const MAX_SYNC_ENTRIES = 20_000

interface Cursor {
  at: number
  id: string
}

/**
 * The Usage view: charts from the local rollups, the "Usage history" table merging this app's
 * requests with Vectara's server-side query history, CSV export, and stale keys.
 */
export class UsageService {
  private readonly now: () => number

  constructor(private readonly deps: UsageServiceDeps) {
    this.now = deps.now ?? Date.now
  }

  charts(filters: UsageFilters): UsageCharts {
    const { usage } = this.deps
    const plan = planBuckets(filters.range, this.now(), usage.daily.firstDay())
    const label = this.labeller(filters)
    if (plan.unit === 'hour') {
      const filter = this.eventFilter(filters, plan.from, plan.to)
      const top = usage.hourlyTopKeys(filter, TOP_KEYS)
      return buildCharts(
        plan,
        { totals: usage.hourlyTotals(filter), top, keyCounts: usage.hourlyKeyCounts(filter, top) },
        label
      )
    }
    const filter = {
      fromDay: plan.firstDay,
      toDay: plan.firstDay + plan.starts.length - 1,
      accountId: filters.accountId,
      keyId: filters.keyId,
      kind: filters.kind === 'all' ? null : filters.kind
    }
    const top = usage.daily.topKeys(filter, TOP_KEYS)
    // Daily rows are indexed by day number; the chart counts from its first bucket.
    const fromFirst = <T extends { index: number }>(rows: T[]): T[] =>
      rows.map((row) => ({ ...row, index: row.index - plan.firstDay }))
    return buildCharts(
      plan,
      {
        totals: fromFirst(usage.daily.totals(filter)),
        top,
        keyCounts: fromFirst(usage.daily.keyCounts(filter, top))
      },
      label
    )
  }

  events(filters: CallInput<'usage.events'>): CallOutput<'usage.events'> {
    const limit = filters.limit ?? PAGE
    const { from, to } = this.window(filters)
    const before = filters.before
    const local = this.deps.usage.page(
      this.eventFilter(filters, from, to),
      limit,
      localCursor(before)
    )
    const remote = this.includesRemote(filters)
      ? this.deps.remote.page(
          { from, to, accountId: filters.accountId },
          limit,
          remoteCursor(before)
        )
      : []
    const rows = mergeNewestFirst(
      local.map((e) => this.localRow(e)),
      remote.map((q) => this.remoteRow(q))
    ).slice(0, limit)
    const last = rows[rows.length - 1]
    const more =
      local.length + remote.length > rows.length ||
      local.length === limit ||
      remote.length === limit
    return { rows, next: last && more ? { at: last.at, id: last.id } : null }
  }

  exportCsv(filters: UsageFilters): CallOutput<'usage.exportCsv'> {
    const { csv, rows } = toCsv(this.allRows(filters))
    const stamp = new Date(this.now()).toISOString().slice(0, 16).replace(/[:T]/g, '-')
    return { filename: `vectara-usage-${filters.range}-${stamp}.csv`, csv, rows }
  }

  async syncRemote(accountId: string): Promise<CallOutput<'usage.syncRemote'>> {
    const account = this.deps.accounts.get(accountId)
    const client = await this.deps.clients.forAccount(account)
    const { latest } = this.deps.remote.latest(accountId)
    // started_after is exclusive; a millisecond of overlap costs nothing (rows are upserted by id).
    const startedAfter = new Date(
      latest !== null ? latest - 1 : this.now() - FIRST_SYNC_DAYS * DAY_MS
    )
    const found: RemoteQuery[] = []
    for await (const page of client.listQueries({ startedAfter })) {
      for (const entry of page) {
        const row = toRemote(accountId, entry)
        if (row) found.push(row)
      }
      if (found.length >= MAX_SYNC_ENTRIES) break
    }
    const syncedAt = this.now()
    const added = this.deps.remote.upsertAll(found, syncedAt)
    this.deps.settings.set(syncedKey(accountId), String(syncedAt))
    return { added, total: this.deps.remote.latest(accountId).count, syncedAt }
  }

  remoteStatus(accountId: string): CallOutput<'usage.remoteStatus'> {
    this.deps.accounts.get(accountId)
    const synced = this.deps.settings.get(syncedKey(accountId))
    return {
      syncedAt: synced ? Number(synced) : null,
      total: this.deps.remote.latest(accountId).count
    }
  }

  /** Live keys that are stale (`isStale`); never-used and oldest first. */
  staleKeys(accountId: string | null): CallOutput<'usage.staleKeys'> {
    const accounts = accountId ? [this.deps.accounts.get(accountId)] : this.deps.accounts.all()
    const now = this.now()
    const keys: StaleKey[] = []
    for (const account of accounts) {
      const lastUsed = this.deps.usage.lastUsedByKey(account.id)
      for (const key of this.deps.keyCache.live(account.id)) {
        const used = lastUsed.get(key.keyId) ?? null
        if (!isStale(used, now, key.firstSeenAt)) continue
        keys.push({
          accountId: account.id,
          accountName: account.name,
          keyId: key.keyId,
          name: key.name,
          kind: key.kind,
          enabled: key.enabled,
          lastUsedAt: used,
          firstSeenAt: key.firstSeenAt
        })
      }
    }
    keys.sort((a, b) => (a.lastUsedAt ?? -1) - (b.lastUsedAt ?? -1) || a.name.localeCompare(b.name))
    return { keys, days: STALE_AFTER_DAYS }
  }

  retention(): CallOutput<'usage.retention'> {
    const { events, oldestAt } = this.deps.usage.stats()
    const { maxEvents, maxDays, lastPrunedAt } = this.deps.retention
    return { events, oldestAt, maxEvents, maxDays, lastPrunedAt }
  }

  private *allRows(filters: UsageFilters): Generator<UsageRow> {
    let before: Cursor | undefined
    for (;;) {
      const page = this.events({ ...filters, limit: 5000, before })
      yield* page.rows
      if (!page.next) return
      before = page.next
    }
  }

  private window(filters: UsageFilters): { from: number; to: number } {
    const now = this.now()
    const days = { '24h': 1, '7d': 7, '30d': 30, all: Infinity }[filters.range]
    return { from: days === Infinity ? 0 : now - days * DAY_MS, to: Number.MAX_SAFE_INTEGER }
  }

  private eventFilter(filters: UsageFilters, from: number, to: number): UsageEventFilter {
    return {
      from,
      to,
      accountId: filters.accountId,
      keyId: filters.keyId,
      kind: filters.kind === 'all' ? null : filters.kind
    }
  }

  /** Vectara's history has queries only, and no key: it shows unless a key or admin is chosen. */
  private includesRemote(filters: UsageFilters): boolean {
    return filters.keyId === null && filters.kind !== 'admin'
  }

  private labeller(filters: UsageFilters): (accountId: string, keyId: string) => string {
    const accounts = this.deps.accounts.all()
    const multipleAccounts = filters.accountId === null && accounts.length > 1
    const accountNames = new Map(accounts.map((account) => [account.id, account.name]))
    return (accountId, keyId) => {
      const key = keyId ? this.keyName(accountId, keyId) : 'Account credential / pasted key'
      return multipleAccounts ? `${accountNames.get(accountId) ?? 'Removed account'} · ${key}` : key
    }
  }

  private keyName(accountId: string, keyId: string): string {
    const known = this.deps.keyCache.nameOf(accountId, keyId)
    if (!known) return keyId
    return known.deleted ? `${known.name} (deleted)` : known.name
  }

  private localRow(event: StoredUsageEvent): UsageRow {
    return {
      id: `local:${event.id}`,
      source: 'local',
      at: event.at,
      accountId: event.accountId,
      accountName: this.accountName(event.accountId),
      keyId: event.keyId ?? null,
      keyName: event.keyId ? this.keyName(event.accountId, event.keyId) : null,
      kind: event.kind,
      action: event.action,
      method: event.method,
      path: event.path,
      status: event.status ?? null,
      latencyMs: event.latencyMs ?? null,
      resultCount: event.resultCount ?? null,
      errorCode: event.errorCode ?? null,
      query: null,
      corpusKey: null
    }
  }

  private remoteRow(query: RemoteQuery): UsageRow {
    return {
      id: `remote:${query.accountId}:${query.id}`,
      source: 'vectara',
      at: query.startedAt,
      accountId: query.accountId,
      accountName: this.accountName(query.accountId),
      keyId: null,
      keyName: null,
      kind: 'query',
      action: 'query history',
      method: null,
      path: null,
      status: null,
      latencyMs: query.latencyMs,
      resultCount: null,
      errorCode: null,
      query: query.query,
      corpusKey: query.corpusKey
    }
  }

  private accountName(accountId: string): string {
    return this.deps.accounts.find(accountId)?.name ?? 'Removed account'
  }
}

function syncedKey(accountId: string): string {
  return `usage.remoteSyncedAt:${accountId}`
}

function toRemote(accountId: string, entry: QueryHistorySummary): RemoteQuery | undefined {
  const startedAt = entry.started_at ? Date.parse(entry.started_at) : NaN
  if (!entry.id || Number.isNaN(startedAt)) return undefined
  return {
    accountId,
    id: entry.id,
    startedAt,
    corpusKey: entry.corpus_key ?? null,
    // Query text is the user's; a secret typed into it still never reaches the cache.
    query: entry.query !== undefined ? redactSecrets(entry.query).slice(0, 5000) : null,
    latencyMs: entry.latency_millis ?? null,
    factualConsistencyScore: entry.factual_consistency_score ?? null
  }
}

/**
 * Order across sources: newest first; at the same millisecond this app's rows come first. So a
 * local cursor row excludes nothing remote at its time, and a remote one excludes every local.
 */
function localCursor(before: Cursor | undefined): { at: number; id: number } | undefined {
  if (!before) return undefined
  if (before.id.startsWith('local:')) return { at: before.at, id: Number(before.id.slice(6)) }
  return { at: before.at, id: 0 }
}

function remoteCursor(before: Cursor | undefined): { at: number; id: string } | undefined {
  if (!before) return undefined
  if (before.id.startsWith('remote:')) {
    const rest = before.id.slice('remote:'.length)
    return { at: before.at, id: rest.slice(rest.indexOf(':') + 1) }
  }
  return { at: before.at, id: '\uffff' }
}

function mergeNewestFirst(local: UsageRow[], remote: UsageRow[]): UsageRow[] {
  const out: UsageRow[] = []
  let i = 0
  let j = 0
  while (i < local.length || j < remote.length) {
    if (j >= remote.length || (i < local.length && local[i].at >= remote[j].at))
      out.push(local[i++])
    else out.push(remote[j++])
  }
  return out
}
