import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import App from '@renderer/App.vue'
import StatusBar from '@renderer/components/StatusBar.vue'
import { routes } from '@renderer/router'
import { useAppStatusStore } from '@renderer/stores/appStatus'
import { createAppClient } from '@renderer/api/appClient'
import { AppError } from '@shared/errors'
import type { AppStatus } from '@shared/contract/app'
import { createMockBridge } from './mockBridge'

const status: AppStatus = {
  appVersion: '0.1.0',
  platform: 'linux',
  runtime: 'harness',
  keychain: { available: true, backend: 'Secret Service' },
  database: { path: '/data/vkm.db', schemaVersion: 1 }
}

beforeEach(() => setActivePinia(createPinia()))

describe('app status store', () => {
  it('loads app.status through the client', async () => {
    const { bridge, invoke } = createMockBridge({ 'app.status': () => status })
    const store = useAppStatusStore()
    store.useClient(createAppClient(bridge))
    await store.refresh()
    expect(invoke).toHaveBeenCalledWith('app.status', undefined)
    expect(store.status).toEqual(status)
    expect(store.problem).toBeNull()
  })

  it('keeps the problem, code and message, when main fails', async () => {
    const { bridge } = createMockBridge({
      'app.status': () => {
        throw new AppError('DB_ERROR', 'The database is locked.')
      }
    })
    const store = useAppStatusStore()
    store.useClient(createAppClient(bridge))
    await store.refresh()
    expect(store.status).toBeNull()
    expect(store.problem).toEqual({ code: 'DB_ERROR', message: 'The database is locked.' })
  })
})

describe('StatusBar', () => {
  async function mountWith(value: AppStatus) {
    const { bridge } = createMockBridge({ 'app.status': () => value })
    const store = useAppStatusStore()
    store.useClient(createAppClient(bridge))
    await store.refresh()
    return mount(StatusBar)
  }

  it('shows the keychain backend, schema version and app version', async () => {
    const wrapper = await mountWith(status)
    expect(wrapper.get('[data-testid="status-keychain"]').text()).toBe('Keychain: Secret Service')
    expect(wrapper.get('[data-testid="status-database"]').text()).toContain('Database schema v1')
    expect(wrapper.get('[data-testid="status-version"]').text()).toContain(
      'v0.1.0 · linux · harness'
    )
  })

  it('says plainly when the keychain is unavailable, with the reason on hover', async () => {
    const wrapper = await mountWith({
      ...status,
      keychain: { available: false, backend: 'Secret Service', problem: 'Install GNOME Keyring' }
    })
    const item = wrapper.get('[data-testid="status-keychain"]')
    expect(item.text()).toBe('Keychain unavailable')
    expect(item.attributes('title')).toBe('Install GNOME Keyring')
  })
})

describe('App shell', () => {
  it('renders the navigation entries and the routed view', async () => {
    const { bridge } = createMockBridge({ 'app.status': () => status })
    ;(globalThis as { api?: unknown }).api = bridge
    const router = createRouter({ history: createMemoryHistory(), routes })
    await router.push('/usage')
    const wrapper = mount(App, { global: { plugins: [router] } })
    await flushPromises()
    const nav = wrapper.get('nav[aria-label="Main"]')
    expect(nav.findAll('a').map((a) => a.text())).toEqual([
      'Keys',
      'Playground',
      'Usage',
      'Scan',
      'Health',
      'Accounts'
    ])
    expect(nav.get('a.nav-item-active').text()).toBe('Usage')
    expect(wrapper.get('h1').text()).toBe('Usage')
    expect(wrapper.get('[data-testid="status-version"]').text()).toContain('v0.1.0')
    delete (globalThis as { api?: unknown }).api
  })
})
