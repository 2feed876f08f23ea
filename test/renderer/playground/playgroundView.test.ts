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
import { AppError } from '@shared/errors'
import { formatClock } from '@renderer/utils/time'
import { createMockBridge, type MockHandlers } from '../mockBridge'
import { accountsState, corpora, entry, keyRow, result, rows } from './fixtures'

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

  it('lists every key of the account, Ready ones first, with kind, masked value and status', async () => {
    await mountView()
    await wrapper!.get('#pg-key').trigger('click')
    await flushPromises()
    const list = document.body.querySelector('[role="listbox"][aria-label="API keys"]')!
    const groups = [...list.querySelectorAll('[role="group"]')]
    expect(groups.map((g) => g.querySelector('[role="presentation"], div')?.textContent)).toEqual([
      expect.stringContaining('Ready'),
      expect.stringContaining('Not in the keychain yet')
    ])
    const options = [...list.querySelectorAll('[role="option"]')].map((o) =>
      (o.textContent ?? '').replace(/\s+/g, ' ').trim()
    )
    expect(options[0]).toMatch(/Query.*website-search.*zqt_…ab12.*Enabled/)
    expect(groups[1].textContent).toContain('not stored')
    expect(options.at(-1)).toBe('Paste a key…')
  })

  it('gets the secret of a key the keychain lacks from main, never into the page, and brings its corpora', async () => {
    const fetched: string[] = []
    const notStored = rows.find((k) => k.id === 'aky_nosecret')!
    // Main's list, as the keychain makes it: the fetched key is stored from then on.
    const listed = () => ({
      accountId: 'sandbox',
      keys: rows.map((k) => (fetched.includes(k.id) ? { ...k, secretStored: true } : k)),
      syncedAt: 1
    })
    const { sent } = await mountView('/playground', {
      'keys.list': listed,
      'keys.refresh': listed,
      'keys.fetchSecret': ({ keyId }) => {
        fetched.push(keyId)
        return { ...notStored, secretStored: true }
      }
    })
    const store = usePlaygroundStore()
    store.corpusKeys = ['product-faq']
    await wrapper!.get('#pg-key').trigger('click')
    await flushPromises()
    const option = [...document.body.querySelectorAll('[role="option"]')].find((o) =>
      o.textContent?.includes('not stored')
    ) as HTMLElement
    option.click()
    await flushPromises()
    expect(fetched).toEqual(['aky_nosecret'])
    expect(store.key).toEqual({ type: 'stored', keyId: 'aky_nosecret' })
    // The key's own corpora replace the ones chosen before.
    expect(store.corpusKeys).toEqual(['employee-handbook'])
    expect(document.body.innerHTML).not.toMatch(/zqt_[A-Za-z0-9]{8,}/)
    expect(useKeysStore().rows.find((k) => k.id === 'aky_nosecret')?.secretStored).toBe(true)
    store.query = 'leave'
    await wrapper!.get('form[aria-label="Request"]').trigger('submit')
    await flushPromises()
    expect(sent[0].credential).toEqual({ type: 'stored', keyId: 'aky_nosecret' })
  })

  it('asks for the secret, saying why, only when Vectara does not return it', async () => {
    await mountView('/playground?account=sandbox&key=aky_nosecret', {
      'keys.fetchSecret': () => {
        throw new AppError(
          'SECRET_UNKNOWN',
          'The app does not hold the secret of "not stored" and Vectara did not return it. Paste it to keep it in your keychain.'
        )
      }
    })
    await flushPromises()
    const dialog = document.body.querySelector('[role="dialog"]')!
    expect(dialog.textContent).toContain('Paste a key')
    expect(dialog.textContent).toContain('Vectara did not return it')
    expect(usePlaygroundStore().key).toBeNull()
  })

  it('follows key changes made anywhere: a new key, a revealed one, a deleted one', async () => {
    let current = rows
    const mock = await mountView('/playground', {
      'keys.list': () => ({ accountId: 'sandbox', keys: current, syncedAt: 3 })
    })
    const options = async (): Promise<string[]> => {
      await wrapper!.get('#pg-key').trigger('click')
      await flushPromises()
      const found = [...document.body.querySelectorAll('[role="listbox"] [role="group"]')].map(
        (g) => (g.textContent ?? '').replace(/\s+/g, ' ')
      )
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }))
      await wrapper!.get('#pg-key').trigger('click')
      await flushPromises()
      return found
    }
    expect((await options())[0]).not.toContain('brand new')
    current = [
      ...rows.filter((k) => k.id !== 'aky_index'),
      keyRow({ id: 'aky_new', name: 'brand new' })
    ].map((k) => (k.id === 'aky_nosecret' ? { ...k, secretStored: true } : k))
    mock.emit('keys.changed', { accountId: 'sandbox' })
    await flushPromises()
    const [ready, ...rest] = await options()
    expect(ready).toContain('brand new')
    expect(ready).toContain('not stored')
    expect(ready).not.toContain('indexer')
    expect(rest).toEqual([])
  })

  it('drops the chosen key when it is deleted elsewhere', async () => {
    let current = rows
    const mock = await mountView('/playground?account=sandbox&key=aky_index', {
      'keys.list': () => ({ accountId: 'sandbox', keys: current, syncedAt: 3 })
    })
    expect(usePlaygroundStore().key).toEqual({ type: 'stored', keyId: 'aky_index' })
    current = rows.filter((k) => k.id !== 'aky_index')
    mock.emit('keys.changed', { accountId: 'sandbox' })
    await flushPromises()
    expect(usePlaygroundStore().key).toBeNull()
    expect(wrapper!.get('#pg-key').text()).toContain('Choose a key')
  })

  it('marks corpora the key cannot reach, and asks before a certain 403', async () => {
    const { sent } = await mountView('/playground?account=sandbox&key=aky_query')
    const store = usePlaygroundStore()
    expect(store.corpusKeys).toEqual(['employee-handbook'])
    store.corpusKeys = ['employee-handbook', 'product-faq']
    store.query = 'leave'
    await flushPromises()
    expect(wrapper!.text()).toContain(
      '“website-search” cannot query Trailglow product FAQ: Vectara will answer 403 Forbidden.'
    )
    expect(wrapper!.get('[aria-label="Chosen corpora"]').text()).toContain(
      'not reachable with this key'
    )
    await wrapper!.get('form[aria-label="Request"]').trigger('submit')
    await flushPromises()
    const dialog = (): Element | null => document.body.querySelector('[role="alertdialog"]')
    expect(dialog()?.textContent).toContain('“website-search” cannot query Trailglow product FAQ')
    expect(sent).toHaveLength(0)
    const button = (name: string) =>
      [...dialog()!.querySelectorAll('button')].find((b) => b.textContent?.trim() === name)!
    button('Cancel').click()
    await flushPromises()
    expect(sent).toHaveLength(0)
    await wrapper!.get('form[aria-label="Request"]').trigger('submit')
    await flushPromises()
    button('Send anyway').click()
    await flushPromises()
    expect(sent).toHaveLength(1)
  })

  it('Personal keys reach every corpus: no mark, no question', async () => {
    const { sent } = await mountView('/playground?account=sandbox&key=aky_personal')
    const store = usePlaygroundStore()
    store.corpusKeys = ['employee-handbook', 'product-faq']
    store.query = 'leave'
    await flushPromises()
    expect(wrapper!.text()).not.toContain('not reachable with this key')
    await wrapper!.get('form[aria-label="Request"]').trigger('submit')
    await flushPromises()
    expect(sent).toHaveLength(1)
  })

  it('explains the propagation window of a key disabled a moment ago, before and after sending', async () => {
    const startedAt = Date.now() - 10_000
    const disabledRows = rows.map((k) =>
      k.id === 'aky_query'
        ? {
            ...k,
            enabled: false,
            propagation: {
              action: 'disable' as const,
              startedAt,
              mode: 'probing' as const,
              expectedBy: startedAt + 60_000,
              state: 'pending' as const
            }
          }
        : k
    )
    await mountView('/playground?account=sandbox&key=aky_query', {
      'keys.list': () => ({ accountId: 'sandbox', keys: disabledRows, syncedAt: 1 }),
      'keys.refresh': () => ({ accountId: 'sandbox', keys: disabledRows, syncedAt: 2 })
    })
    const expected = `disabled at ${formatClock(startedAt)}; Vectara blocks it within about a minute`
    expect(wrapper!.get('#pg-key-hint').text()).toContain(expected)
    usePlaygroundStore().query = 'leave'
    await wrapper!.get('form[aria-label="Request"]').trigger('submit')
    await flushPromises()
    expect(wrapper!.get('[role="region"][aria-label="Results"]').text()).toContain(expected)
  })

  it('"Show code" opens the Code tabs, built from the form', async () => {
    await mountView('/playground?account=sandbox&key=aky_query')
    usePlaygroundStore().query = 'parental leave'
    const show = wrapper!.findAll('button').find((b) => b.text() === 'Show code')!
    await show.trigger('click')
    await flushPromises()
    const code = wrapper!.get('[role="tablist"][aria-label="Code"]')
    expect(code.findAll('[role="tab"]').map((t) => t.text())).toEqual([
      'JavaScript',
      'Python',
      'cURL',
      'Python SDK'
    ])
    expect(wrapper!.text()).toContain('parental leave')
  })
})
