import { defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { KeyRow } from '@shared/contract/keys'
import type { StaleKey, UsageCharts, UsageFilters, UsageRow } from '@shared/contract/usage'
import { isAppError } from '@shared/errors'
import { createUsageClient, type UsageClient } from '../api/usageClient'

const PAGE = 100

export interface Retention {
  events: number
  oldestAt: number | null
  maxEvents: number
  maxDays: number
  lastPrunedAt: number | null
}

/** The Usage view: filters, charts, the "Usage history" table, stale keys and the Vectara sync. */
export const useUsageStore = defineStore('usage', () => {
  let client: UsageClient | undefined
  const filters = ref<UsageFilters>({ accountId: null, keyId: null, kind: 'all', range: '7d' })
  const charts = shallowRef<UsageCharts | null>(null)
  const rows = shallowRef<UsageRow[]>([])
  const next = ref<{ at: number; id: string } | null>(null)
  const stale = shallowRef<StaleKey[]>([])
  const staleDays = ref(30)
  const retention = ref<Retention | null>(null)
  const keys = shallowRef<KeyRow[]>([])
  const remote = ref<{ syncedAt: number | null; total: number } | null>(null)
  const loading = ref(false)
  const loadingMore = ref(false)
  const syncing = ref(false)
  const error = ref<string | null>(null)
  let generation = 0

  function useClient(nextClient: UsageClient): void {
    client = nextClient
  }

  function api(): UsageClient {
    client ??= createUsageClient()
    return client
  }

  /** Everything the view shows, for the current filters; a newer load wins over an older one. */
  async function load(): Promise<void> {
    const mine = ++generation
    const current = { ...filters.value }
    loading.value = true
    try {
      const [c, page, s, r, k, rs] = await Promise.all([
        api().charts(current),
        api().events({ ...current, limit: PAGE }),
        api().staleKeys(current.accountId),
        api().retention(),
        current.accountId ? api().keys(current.accountId) : Promise.resolve([]),
        current.accountId ? api().remoteStatus(current.accountId) : Promise.resolve(null)
      ])
      if (mine !== generation) return
      charts.value = c
      rows.value = page.rows
      next.value = page.next
      stale.value = s.keys
      staleDays.value = s.days
      retention.value = r
      keys.value = k
      remote.value = rs
      error.value = null
    } catch (e) {
      if (mine === generation) error.value = isAppError(e) ? e.message : 'Usage could not be read.'
    } finally {
      if (mine === generation) loading.value = false
    }
  }

  async function loadMore(): Promise<void> {
    if (!next.value || loadingMore.value) return
    const mine = generation
    loadingMore.value = true
    try {
      const page = await api().events({ ...filters.value, limit: PAGE, before: next.value })
      if (mine !== generation) return
      rows.value = [...rows.value, ...page.rows]
      next.value = page.next
    } finally {
      loadingMore.value = false
    }
  }

  function setFilters(patch: Partial<UsageFilters>): void {
    const merged = { ...filters.value, ...patch }
    // A key belongs to one account: changing the account drops the key filter.
    if (patch.accountId !== undefined && patch.accountId !== filters.value.accountId)
      merged.keyId = null
    filters.value = merged
    void load()
  }

  /** Pulls Vectara's query history of one account; throws an AppError to explain a failure. */
  async function sync(accountId: string): Promise<{ added: number; total: number }> {
    syncing.value = true
    try {
      const result = await api().syncRemote(accountId)
      await load()
      return result
    } finally {
      syncing.value = false
    }
  }

  function exportCsv(): ReturnType<UsageClient['exportCsv']> {
    return api().exportCsv({ ...filters.value })
  }

  return {
    filters,
    charts,
    rows,
    next,
    stale,
    staleDays,
    retention,
    keys,
    remote,
    loading,
    loadingMore,
    syncing,
    error,
    useClient,
    load,
    loadMore,
    setFilters,
    sync,
    exportCsv
  }
})
