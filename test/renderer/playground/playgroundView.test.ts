import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { createAccountsClient } from '@renderer/api/accountsClient'
import { createCorporaClient } from '@renderer/api/corporaClient'
import { createKeysClient } from '@renderer/api/keysClient'
import { createPlaygroundClient } from '@renderer/api/playgroundClient'
import { routes } from '@renderer/router'
import PlaygroundView from '@renderer/views/PlaygroundView.vue'
import { useAccountsStore } from '@renderer/stores/accounts'
import { useCorporaStore } from '@renderer/stores/corpora'
import { useKeysStore } from '@renderer/stores/keys'
import { usePlaygroundStore } from '@renderer/stores/playground'
import { usePlaygroundHistoryStore } from '@renderer/stores/playgroundHistory'
import type { CallInput } from '@shared/contract'
import { createMockBridge, type MockHandlers } from '../mockBridge'
import { accountsState, corpora, entry, result, rows } from './fixtures'

let wrapper: ReturnType<typeof mount> | undefined

beforeEach(() => {
  setActivePinia(createPinia())
  localStorage.clear()
})
afterEach(() => wrapper?.unmount())

async function mountView(path = '/playground', extra: MockHandlers = {}) {
  const sent: CallInput<'playground.run'>[] = []
  const mock = createMockBridge({
    'accounts.list': () => accountsState,
    'keys.list': () => ({ accountId: 'sandbox', keys: rows, syncedAt: 1 }),
    'keys.refresh': () => ({ accountId: 'sandbox', keys: rows, syncedAt: 2 }),
    'corpora.list': () => ({ corpora }),
    'playground.history': () => ({ saved: [], recent: [entry({ id: 3 })] }),
    'playground.run': (input) => {
      sent.push(input)
      return result({ runId: input.runId })
    },
    ...extra
  })
  useAccountsStore().useClient(createAccountsClient(mock.bridge))
  useKeysStore().useClient(createKeysClient(mock.bridge))
  useCorporaStore().useClient(createCorporaClient(mock.bridge))
  usePlaygroundStore().useClient(createPlaygroundClient(mock.bridge))
  usePlaygroundHistoryStore().useClient(createPlaygroundClient(mock.bridge))
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push(path)
  wrapper = mount(PlaygroundView, { global: { plugins: [router] }, attachTo: document.body })
  await flushPromises()
  return { ...mock, sent, router }
}

describe('PlaygroundView', () => {
  it('names its controls for assistive technology', async () => {
    await mountView()
    const w = wrapper!
    expect(w.get('label[for="pg-key"]').text()).toBe('API key')
    expect(w.get('label[for="pg-corpora"]').text()).toBe('Corpora')
    expect(w.get('label[for="pg-query"]').text()).toBe('Query')
    expect(w.find('textarea#pg-query').exists()).toBe(true)
    expect(w.get('button[type="submit"]').text()).toBe('Send')
    expect(w.find('[role="region"][aria-label="Results"]').exists()).toBe(true)
  })

  it('opens with the key asked for by "Use in playground" and clears the route query', async () => {
    const { router } = await mountView('/playground?account=sandbox&key=aky_index')
    expect(usePlaygroundStore().key).toEqual({ type: 'stored', keyId: 'aky_index' })
    expect(wrapper!.get('#pg-key').text()).toContain('indexer')
    expect(router.currentRoute.value.query).toEqual({})
  })

  it('warns that a Personal key is not for browsers', async () => {
    await mountView('/playground?account=sandbox&key=aky_personal')
    expect(wrapper!.get('[role="note"]').text()).toContain('This is a Personal key')
  })

  it('sends with Ctrl+Enter from the query box and refreshes the history', async () => {
    const { sent, invoke } = await mountView('/playground?account=sandbox&key=aky_query')
    const store = usePlaygroundStore()
    store.corpusKeys = ['employee-handbook']
    const textarea = wrapper!.get('textarea#pg-query')
    await textarea.setValue('parental leave')
    const historyCalls = invoke.mock.calls.filter(([name]) => name === 'playground.history').length
    await textarea.trigger('keydown', { key: 'Enter', ctrlKey: true })
    await flushPromises()
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({
      query: 'parental leave',
      credential: { type: 'stored', keyId: 'aky_query' }
    })
    expect(invoke.mock.calls.filter(([name]) => name === 'playground.history').length).toBe(
      historyCalls + 1
    )
    expect(wrapper!.get('[data-testid="summary-text"]').text()).toContain('Parents get 20 weeks')
  })

  it('lists only keys whose secret is in the keychain, grouped by kind, plus Paste a key…', async () => {
    await mountView()
    await wrapper!.get('#pg-key').trigger('click')
    await flushPromises()
    const list = document.body.querySelector('[role="listbox"][aria-label="API keys"]')!
    const groups = [...list.querySelectorAll('[role="group"]')].map((g) => g.textContent ?? '')
    expect(groups.map((g) => g.split(/keys/)[0] + 'keys')).toEqual([
      'Query keys',
      'Index keys',
      'Personal keys'
    ])
    const options = [...list.querySelectorAll('[role="option"]')].map((o) => o.textContent?.trim())
    expect(options.some((o) => o?.includes('not stored'))).toBe(false)
    expect(options.at(-1)).toBe('Paste a key…')
  })
})
