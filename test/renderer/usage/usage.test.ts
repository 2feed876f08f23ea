import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { createAccountsClient } from '@renderer/api/accountsClient'
import { createKeysClient } from '@renderer/api/keysClient'
import { createUsageClient } from '@renderer/api/usageClient'
import { routes } from '@renderer/router'
import UsageTable from '@renderer/components/usage/UsageTable.vue'
import UsageView from '@renderer/views/UsageView.vue'
import { useAccountsStore } from '@renderer/stores/accounts'
import { useUsageStore } from '@renderer/stores/usage'
import type { UsageCharts, UsageFilters, UsageRow } from '@shared/contract/usage'
import { createMockBridge, type MockHandlers } from '../mockBridge'
import { accountsState, keyRow } from '../playground/fixtures'

const charts: UsageCharts = {
  unit: 'day',
  buckets: [Date.parse('2026-11-25T00:00:00'), Date.parse('2026-11-26T00:00:00')],
  requestsByKey: [
    { keyId: 'aky_1', accountId: 'sandbox', label: 'website-search', counts: [3, 5] }
  ],
  requests: [3, 6],
  errors: [0, 1],
  p50: [12, 14],
  p95: [40, 90],
  errorRate: [0, 1 / 6],
  totals: { requests: 9, errors: 1, errorRate: 1 / 9, p50: 13, p95: 88 }
}

function row(partial: Partial<UsageRow> & { id: string }): UsageRow {
  return {
    source: 'local',
    at: Date.parse('2026-11-26T10:00:00'),
    accountId: 'sandbox',
    accountName: 'Sandbox',
    keyId: 'aky_1',
    keyName: 'website-search',
    kind: 'query',
    action: 'query',
    method: 'POST',
    path: '/v2/query',
    status: 200,
    latencyMs: 12,
    resultCount: 10,
    errorCode: null,
    query: null,
    corpusKey: null,
    ...partial
  }
}

const rows = [
  row({ id: 'local:2', status: 401, errorCode: 'API_UNAUTHORIZED', resultCount: null }),
  row({
    id: 'remote:sandbox:qry_1',
    source: 'vectara',
    keyId: null,
    keyName: null,
    method: null,
    path: null,
    status: null,
    query: 'parental leave',
    corpusKey: 'employee-handbook'
  }),
  row({ id: 'local:1' })
]

function handlers(seen: UsageFilters[]): MockHandlers {
  return {
    'accounts.list': () => accountsState,
    'usage.charts': (filters) => {
      seen.push(filters)
      return charts
    },
    'usage.events': ({ before }) =>
      before
        ? { rows: [row({ id: 'local:0', at: 1 })], next: null }
        : { rows, next: { at: rows[2].at, id: 'local:1' } },
    'usage.staleKeys': () => ({
      keys: [
        {
          accountId: 'sandbox',
          accountName: 'Sandbox',
          keyId: 'aky_old',
          name: 'legacy-intranet',
          kind: 'query',
          enabled: false,
          lastUsedAt: null,
          firstSeenAt: 0
        }
      ],
      days: 30
    }),
    'usage.retention': () => ({
      events: 9,
      oldestAt: 1,
      maxEvents: 1_000_000,
      maxDays: 365,
      lastPrunedAt: null
    }),
    'usage.remoteStatus': () => ({ syncedAt: null, total: 0 }),
    'keys.list': () => ({
      accountId: 'sandbox',
      keys: [keyRow({ id: 'aky_1', name: 'website-search' })],
      syncedAt: 1
    })
  }
}

beforeEach(() => setActivePinia(createPinia()))

describe('usage store', () => {
  it('loads charts, rows, stale keys and retention for the filters; pages on; drops the key with the account', async () => {
    const seen: UsageFilters[] = []
    const { bridge } = createMockBridge(handlers(seen))
    const store = useUsageStore()
    store.useClient(createUsageClient(bridge), createKeysClient(bridge))
    store.filters = { accountId: 'sandbox', keyId: 'aky_1', kind: 'query', range: '30d' }
    await store.load()
    expect(seen.at(-1)).toEqual({
      accountId: 'sandbox',
      keyId: 'aky_1',
      kind: 'query',
      range: '30d'
    })
    expect(store.rows.map((r) => r.id)).toEqual(['local:2', 'remote:sandbox:qry_1', 'local:1'])
    expect(store.stale[0].name).toBe('legacy-intranet')
    await store.loadMore()
    expect(store.rows.map((r) => r.id).at(-1)).toBe('local:0')
    expect(store.next).toBeNull()
    store.setFilters({ accountId: null })
    await flushPromises()
    expect(seen.at(-1)).toEqual({ accountId: null, keyId: null, kind: 'query', range: '30d' })
  })
})

describe('usage store following new usage', () => {
  it('reads again on usage.recorded for the account it shows, keeping as many rows', async () => {
    const seen: UsageFilters[] = []
    const mock = createMockBridge(handlers(seen))
    const store = useUsageStore()
    store.useClient(createUsageClient(mock.bridge), createKeysClient(mock.bridge))
    store.filters = { accountId: 'sandbox', keyId: null, kind: 'all', range: '7d' }
    await store.load()
    // The user has paged down to 250 rows: a refresh must not cut them back to one page.
    store.rows = Array.from({ length: 250 }, (_, i) => row({ id: `local:${i}` }))
    const stop = store.follow()
    const loads = (): number => seen.length
    const before = loads()
    mock.emit('usage.recorded', { accountId: 'other' })
    await flushPromises()
    expect(loads()).toBe(before)
    mock.emit('usage.recorded', { accountId: 'sandbox' })
    await flushPromises()
    expect(loads()).toBe(before + 1)
    const pagesAsked = mock.invoke.mock.calls.filter(([name]) => name === 'usage.events')
    expect(pagesAsked.at(-1)![1]).toMatchObject({ accountId: 'sandbox', limit: 250 })
    stop()
    mock.emit('usage.recorded', { accountId: 'sandbox' })
    await flushPromises()
    expect(loads()).toBe(before + 1)
  })

  it('follows every account when "All accounts" is shown', async () => {
    const seen: UsageFilters[] = []
    const mock = createMockBridge(handlers(seen))
    const store = useUsageStore()
    store.useClient(createUsageClient(mock.bridge), createKeysClient(mock.bridge))
    const stop = store.follow()
    mock.emit('usage.recorded', { accountId: 'anything' })
    await flushPromises()
    expect(seen).toHaveLength(1)
    stop()
  })
})

describe('UsageTable', () => {
  it('is the "Usage history" table and labels each row by its source', () => {
    const wrapper = mount(UsageTable, {
      props: {
        rows,
        showAccount: false,
        now: Date.parse('2026-11-26T12:00:00'),
        hasMore: true,
        loadingMore: false
      }
    })
    const table = wrapper.get('table[aria-label="Usage history"]')
    const lines = table.findAll('tbody tr').map((tr) => tr.text())
    expect(lines[0]).toContain('This app')
    expect(lines[0]).toContain('401')
    expect(lines[1]).toContain('Vectara')
    expect(lines[1]).toContain('“parental leave”')
    expect(lines[2]).toContain('POST/v2/query')
    expect(wrapper.get('button').text()).toBe('Show more')
  })
})

describe('UsageView', () => {
  let wrapper: ReturnType<typeof mount> | undefined
  afterEach(() => wrapper?.unmount())

  async function mountView() {
    const seen: UsageFilters[] = []
    const mock = createMockBridge({
      ...handlers(seen),
      'usage.exportCsv': () => ({ filename: 'usage.csv', csv: 'time,source\r\n', rows: 0 }),
      'usage.syncRemote': () => ({ added: 2, total: 2, syncedAt: Date.now() })
    })
    useAccountsStore().useClient(createAccountsClient(mock.bridge))
    useUsageStore().useClient(createUsageClient(mock.bridge), createKeysClient(mock.bridge))
    const router = createRouter({ history: createMemoryHistory(), routes })
    await router.push('/usage')
    wrapper = mount(UsageView, {
      global: {
        plugins: [router],
        // Canvas charts need a real browser; their data is tested through the store.
        stubs: { RequestsChart: true, LatencyChart: true, ErrorRateChart: true }
      }
    })
    await flushPromises()
    return { ...mock, seen }
  }

  it('opens on the current account with tiles, stale keys and the usage history', async () => {
    const { seen } = await mountView()
    expect(seen[0]).toMatchObject({ accountId: 'sandbox', range: '7d', kind: 'all' })
    const text = wrapper!.text()
    expect(text).toContain('Requests9')
    expect(text).toContain('Error rate11.1%')
    expect(text).toContain('legacy-intranet')
    expect(text).toContain('Never used')
    expect(wrapper!.find('table[aria-label="Usage history"]').exists()).toBe(true)
    expect(text).toContain('Kept for 365 days, at most 1,000,000 requests')
  })

  it('shows a request recorded while it is open, and stops listening when it closes', async () => {
    const mock = await mountView()
    const recorded = row({ id: 'local:3', keyName: 'handbook-assistant', status: 200 })
    const current = [recorded, ...rows]
    const handler = vi.fn(() => ({ rows: current, next: null }))
    mock.invoke.mockImplementation(async (name, input) =>
      name === 'usage.events'
        ? { ok: true as const, value: handler() }
        : createMockBridge(handlers([])).invoke(name, input)
    )
    expect(wrapper!.text()).not.toContain('handbook-assistant')
    mock.emit('usage.recorded', { accountId: 'sandbox' })
    await flushPromises()
    expect(handler).toHaveBeenCalledOnce()
    expect(wrapper!.get('table[aria-label="Usage history"]').text()).toContain('handbook-assistant')
    wrapper!.unmount()
    wrapper = undefined
    mock.emit('usage.recorded', { accountId: 'sandbox' })
    await flushPromises()
    expect(handler).toHaveBeenCalledOnce()
  })

  it('filters by range and kind', async () => {
    const { seen } = await mountView()
    await wrapper!.get('[aria-label="Range"] button:nth-child(3)').trigger('click')
    await flushPromises()
    expect(seen.at(-1)).toMatchObject({ range: '30d' })
    await wrapper!.get('[aria-label="Kind"] button:nth-child(3)').trigger('click')
    await flushPromises()
    expect(seen.at(-1)).toMatchObject({ kind: 'admin' })
  })

  it('exports the CSV main produced as a download', async () => {
    const { invoke } = await mountView()
    const created: Blob[] = []
    URL.createObjectURL = vi.fn((blob: Blob) => (created.push(blob), 'blob:usage'))
    URL.revokeObjectURL = vi.fn()
    const clicks: string[] = []
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (
      this: HTMLAnchorElement
    ) {
      clicks.push(this.download)
    })
    await wrapper!
      .findAll('button')
      .find((b) => b.text() === 'Export CSV')!
      .trigger('click')
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('usage.exportCsv', expect.objectContaining({ range: '7d' }))
    expect(clicks).toEqual(['usage.csv'])
    expect(await created[0].text()).toBe('time,source\r\n')
    click.mockRestore()
  })
})
