import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { KeyList, KeyRow } from '@shared/contract/keys'
import { AppError } from '@shared/errors'
import {
  createKeysClient,
  type CreateKeyInput,
  type CreateKeyResult,
  type KeysClient,
  type PropagationUpdate
} from '../api/keysClient'
import { useLatestCall } from '../composables/useLatestCall'
import {
  createNarrowingFilter,
  emptyFilters,
  hasActiveFilters,
  sortKeys,
  type KeyFilters,
  type KeySort,
  type PendingToggles
} from '../keys/filterKeys'
import { nextPaint } from '../utils/nextPaint'

/**
 * The key list of the current account. Secrets never live here: reveal and create hand theirs
 * straight back to the component that shows them, and nothing below keeps a reference.
 */
export const useKeysStore = defineStore('keys', () => {
  let client: KeysClient | undefined
  let unsubscribers: Array<() => void> = []

  const accountId = ref<string | null>(null)
  // 10,000 rows: shallowRef keeps Vue from making each row deeply reactive; rows are replaced.
  const rows = shallowRef<KeyRow[]>([])
  const syncedAt = ref<number | null>(null)
  // Three lines of requests, each reset when the account changes: the cached list, the list
  // from Vectara (one at a time), and the quiet reload when main says the cache changed.
  const lists = useLatestCall('Something went wrong while loading the keys.')
  const refreshes = useLatestCall('Something went wrong while loading the keys.')
  // Its problem is shown nowhere: the next refresh reports it, a background reload has no one
  // to tell.
  const reloads = useLatestCall('The key list could not be reloaded.')
  const pending = ref<PendingToggles>({})
  const filters = ref<KeyFilters>(emptyFilters())
  const sort = ref<KeySort>({ column: 'name', direction: 'asc' })

  // Sorting only reruns when rows or the sort change; typing in the search box only filters.
  // True while `rows` is exactly the order main sent (name order); a pushed row breaks it.
  let rowsInNameOrder = false
  const sortedRows = computed(() =>
    sortKeys(
      rows.value,
      sort.value,
      sort.value.column === 'status' ? pending.value : {},
      rowsInNameOrder
    )
  )
  const narrowingFilter = createNarrowingFilter()
  const visibleRows = computed(() =>
    narrowingFilter(sortedRows.value, filters.value, pending.value)
  )
  const filtering = computed(() => hasActiveFilters(filters.value))

  function useClient(next: KeysClient): void {
    for (const off of unsubscribers) off()
    client = next
    unsubscribers = [client.onPropagation(onPropagation), client.onChanged(onChanged)]
  }

  function api(): KeysClient {
    if (!client) useClient(createKeysClient())
    return client!
  }

  // The search texts of 10,000 rows take milliseconds to build: not while the list is being
  // drawn, and not on the first keystroke either, but when the renderer is idle in between.
  let warmHandle: number | undefined
  function warmSearchWhenIdle(): void {
    if (typeof requestIdleCallback !== 'function') return
    if (warmHandle !== undefined) cancelIdleCallback(warmHandle)
    warmHandle = requestIdleCallback(
      () => {
        warmHandle = undefined
        narrowingFilter.warm(sortedRows.value)
      },
      { timeout: 2_000 }
    )
  }

  function applyList(list: KeyList): void {
    rowsInNameOrder = true
    rows.value = list.keys
    syncedAt.value = list.syncedAt
    warmSearchWhenIdle()
    // For bench/keysList.bench.ts: "data arrived" is this moment. An event, not a performance
    // mark, so nothing accumulates in a long session; it costs nothing without a listener.
    globalThis.dispatchEvent?.(new CustomEvent('vkm:keys-applied', { detail: list.keys.length }))
  }

  function replaceRow(next: KeyRow): void {
    const index = rows.value.findIndex((r) => r.id === next.id)
    if (index === -1 || rows.value[index].name !== next.name) rowsInNameOrder = false
    const copy = rows.value.slice()
    if (index === -1) copy.push(next)
    else copy[index] = next
    rows.value = copy
  }

  function findRow(keyId: string): KeyRow | undefined {
    return rows.value.find((r) => r.id === keyId)
  }

  function requireAccount(): string {
    if (!accountId.value) throw new AppError('NOT_FOUND', 'No account is selected.')
    return accountId.value
  }

  /** Shows the cached list at once, then asks Vectara for the current one. */
  async function open(id: string): Promise<void> {
    if (accountId.value !== id) {
      accountId.value = id
      rows.value = []
      syncedAt.value = null
      pending.value = {}
      for (const line of [lists, refreshes, reloads]) line.reset()
      filters.value = { ...filters.value, corpus: null }
    }
    // A new look at the cache: an old failure to read it no longer stands.
    lists.reset()
    await lists.run(() => api().list(id), applyList)
    // The cached rows go on screen first: sending the request costs this thread a few ms, and
    // 10,000 freshly applied rows are still waiting for their first frame.
    if (accountId.value === id) await startRefresh({ afterPaint: true })
  }

  /** Asks Vectara for the current list (every page); one request at a time per account. */
  async function refresh(): Promise<void> {
    await startRefresh({ afterPaint: false })
  }

  function startRefresh({ afterPaint }: { afterPaint: boolean }): Promise<boolean> {
    const id = accountId.value
    if (!id) return Promise.resolve(false)
    return refreshes.join(
      async () => {
        if (afterPaint) await nextPaint()
        // Switched away while waiting for the frame: ask nothing for the old account.
        return accountId.value === id ? api().refresh(id) : null
      },
      (list) => {
        if (!list) return
        applyList(list)
        lists.reset()
      }
    )
  }

  /**
   * Shows "Disabling…" at once; on failure the row goes back exactly as it was and the
   * AppError is rethrown for the caller to explain.
   */
  async function setEnabled(keyId: string, enabled: boolean): Promise<KeyRow> {
    const id = requireAccount()
    const before = findRow(keyId)
    if (!before) throw new AppError('NOT_FOUND', 'That key is no longer in the list.')
    pending.value = { ...pending.value, [keyId]: enabled ? 'enable' : 'disable' }
    replaceRow({ ...before, enabled, propagation: undefined })
    try {
      const row = await api().setEnabled(id, keyId, enabled)
      if (accountId.value === id) replaceRow(row)
      return row
    } catch (e) {
      if (accountId.value === id) replaceRow(before)
      throw e
    } finally {
      const { [keyId]: _done, ...rest } = pending.value
      pending.value = rest
    }
  }

  async function deleteKey(keyId: string): Promise<void> {
    const id = requireAccount()
    await api().delete(id, keyId)
    if (accountId.value === id) rows.value = rows.value.filter((r) => r.id !== keyId)
  }

  /** The result may carry a one-time secret: it goes to the dialog, never into state. */
  async function create(input: Omit<CreateKeyInput, 'accountId'>): Promise<CreateKeyResult> {
    const id = requireAccount()
    const result = await api().create({ ...input, accountId: id })
    if (accountId.value === id) replaceRow(result.key)
    return result
  }

  /** A row main changed through another call (an expiry date, a fix from Health). */
  function updateRow(row: KeyRow): void {
    if (findRow(row.id)) replaceRow(row)
  }

  async function copySecret(keyId: string): Promise<number> {
    return (await api().copySecret(requireAccount(), keyId)).clearsAfterMs
  }

  function revealSecret(keyId: string): Promise<{ secret: string; hideAfterMs: number }> {
    return api().revealSecret(requireAccount(), keyId)
  }

  async function storeSecret(keyId: string, secret: string): Promise<KeyRow> {
    const id = requireAccount()
    const row = await api().storeSecret(id, keyId, secret)
    if (accountId.value === id) replaceRow(row)
    return row
  }

  /**
   * Gets a key's secret into the keychain as Reveal does, without it ever reaching the renderer
   * (the Playground then uses the key by id). Throws SECRET_UNKNOWN when Vectara keeps it.
   */
  async function fetchSecret(keyId: string): Promise<KeyRow> {
    const id = requireAccount()
    const row = await api().fetchSecret(id, keyId)
    if (accountId.value === id) replaceRow(row)
    return row
  }

  function onPropagation(update: PropagationUpdate): void {
    if (update.accountId !== accountId.value) return
    const row = findRow(update.keyId)
    if (row) replaceRow({ ...row, propagation: update.propagation })
  }

  function onChanged(event: { accountId: string }): void {
    const id = accountId.value
    if (event.accountId !== id) return
    void reloads.run(() => api().list(id), applyList)
  }

  function setSort(column: KeySort['column']): void {
    sort.value =
      sort.value.column === column
        ? { column, direction: sort.value.direction === 'asc' ? 'desc' : 'asc' }
        : { column, direction: column === 'lastUsed' || column === 'firstSeen' ? 'desc' : 'asc' }
  }

  function clearFilters(): void {
    filters.value = emptyFilters()
  }

  return {
    accountId,
    rows,
    syncedAt,
    loading: lists.busy,
    loadProblem: lists.problem,
    refreshing: refreshes.busy,
    refreshProblem: refreshes.problem,
    pending,
    filters,
    sort,
    visibleRows,
    filtering,
    useClient,
    open,
    refresh,
    setEnabled,
    delete: deleteKey,
    create,
    updateRow,
    copySecret,
    revealSecret,
    storeSecret,
    fetchSecret,
    setSort,
    clearFilters
  }
})
