import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { KeyRow } from '@shared/contract/keys'
import type { StaleKey, UsageCharts, UsageFilters, UsageRow } from '@shared/contract/usage'
import { createKeysClient, type KeysClient } from '../api/keysClient'
import { createUsageClient, type UsageClient } from '../api/usageClient'
import { useLatestCall } from '../composables/useLatestCall'

const PAGE = 100
/** The most rows one call returns (`usage.events`' limit). */
const MAX_PAGE = 1000

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
  let keysClient: KeysClient | undefined
  const filters = ref<UsageFilters>({ accountId: null, keyId: null, kind: 'all', range: '7d' })
  const charts = shallowRef<UsageCharts | null>(null)
  const rows = shallowRef<UsageRow[]>([])
  const next = ref<{ at: number; id: string } | null>(null)
  const stale = shallowRef<StaleKey[]>([])
  const staleDays = ref(30)
  const retention = ref<Retention | null>(null)
  const keys = shallowRef<KeyRow[]>([])
  const remote = ref<{ syncedAt: number | null; total: number } | null>(null)
  const syncing = ref(false)
  // A newer load wins over an older one, and drops the next page of the old one (`load`).
  const loads = useLatestCall('Usage could not be read.')
  const pages = useLatestCall('More usage could not be read.')
  const problem = computed(() => loads.problem.value ?? pages.problem.value)

  /** Tests pass clients built on a mocked bridge; the app uses window.api. */
  function useClient(nextClient: UsageClient, nextKeysClient: KeysClient): void {
    client = nextClient
    keysClient = nextKeysClient
  }

  function api(): UsageClient {
    client ??= createUsageClient()
    return client
  }

  /** The key filter offers the account's cached keys (no network). */
  async function cachedKeys(accountId: string | null): Promise<KeyRow[]> {
    if (!accountId) return []
    keysClient ??= createKeysClient()
    return (await keysClient.list(accountId)).keys
  }

  /** Everything the view shows, for the current filters. */
  async function load(limit = PAGE): Promise<void> {
    const current = { ...filters.value }
    pages.reset()
    await loads.run(
      () =>
        Promise.all([
          api().charts(current),
          api().events({ ...current, limit }),
          api().staleKeys(current.accountId),
          api().retention(),
          cachedKeys(current.accountId),
          current.accountId ? api().remoteStatus(current.accountId) : Promise.resolve(null)
        ]),
      ([c, page, s, r, k, rs]) => {
        charts.value = c
        rows.value = page.rows
        next.value = page.next
        stale.value = s.keys
        staleDays.value = s.days
        retention.value = r
        keys.value = k
        remote.value = rs
      }
    )
  }

  async function loadMore(): Promise<void> {
    const before = next.value
    if (!before || pages.busy.value) return
    await pages.run(
      () => api().events({ ...filters.value, limit: PAGE, before }),
      (page) => {
        rows.value = [...rows.value, ...page.rows]
        next.value = page.next
      }
    )
  }

  /**
   * While the Usage view is open it follows new usage: each `usage.recorded` of an account it
   * shows reads it all again, as many rows as are on screen, so a request appears as it lands.
   * Returns the function that stops following.
   */
  function follow(): () => void {
    return api().onRecorded(({ accountId }) => {
      const shown = filters.value.accountId
      if (shown !== null && shown !== accountId) return
      void load(Math.min(MAX_PAGE, Math.max(PAGE, rows.value.length)))
    })
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
    loading: loads.busy,
    loadingMore: pages.busy,
    syncing,
    problem,
    useClient,
    load,
    loadMore,
    follow,
    setFilters,
    sync,
    exportCsv
  }
})
