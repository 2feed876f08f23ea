import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { KeyRow } from '@shared/contract/keys'
import { AppError } from '@shared/errors'
import KeysView from '@renderer/views/KeysView.vue'
import { routes } from '@renderer/router'
import { useToastsStore } from '@renderer/stores/toasts'
import type { MockHandlers } from './mockBridge'
import {
  accessibleName,
  byRole,
  callNames,
  useViewTestEnvironment,
  makeList,
  makeRow,
  production,
  sandbox,
  setup
} from './fixtures'

useViewTestEnvironment()

const accountsState = { accounts: [sandbox, production], currentId: 'acc_1' }

async function mountView(rows: KeyRow[], handlers: MockHandlers = {}) {
  const ctx = setup({
    'accounts.list': () => accountsState,
    'keys.list': () => makeList(rows),
    'keys.refresh': () => makeList(rows),
    ...handlers
  })
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/keys')
  const wrapper = mount(KeysView, { global: { plugins: [router] }, attachTo: document.body })
  // The refresh goes out once the cached rows had their frame (see the keys store).
  await vi.waitFor(() => expect(callNames(ctx.invoke)).toContain('keys.refresh'))
  await flushPromises()
  return { ...ctx, wrapper, router }
}

async function choose(keyName: string, item: string) {
  const trigger = document.querySelector<HTMLElement>(
    `button[aria-label="Actions for ${keyName}"]`
  )!
  trigger.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))
  await flushPromises()
  byRole('menuitem', item)[0]!.click()
  await flushPromises()
}

describe('KeysView', () => {
  it('loads the cached list, refreshes it, and says how many keys there are', async () => {
    const rows = [makeRow({ name: 'a' }), makeRow({ name: 'b', kind: 'index' })]
    const { wrapper, invoke } = await mountView(rows)
    expect(invoke.mock.calls.map((c) => c[0])).toEqual(
      expect.arrayContaining(['accounts.list', 'keys.list', 'keys.refresh'])
    )
    expect(wrapper.get('[data-testid="key-count"]').text()).toBe('2 keys')
    expect(wrapper.get('[data-testid="synced-at"]').text()).toMatch(/^updated /)
    expect(byRole('table', 'API keys')).toHaveLength(1)
    const buttonNames = wrapper.findAll('button').map((b) => accessibleName(b.element))
    expect(buttonNames.filter((n) => n === 'Create key')).toHaveLength(1)
    expect(buttonNames).toContain('Refresh')
    const search = wrapper.get('input[aria-label="Search keys"]')
    await search.setValue('index-that-does-not-exist')
    expect(wrapper.text()).toContain('No keys match these filters')
    await search.setValue('b')
    expect(wrapper.get('[data-testid="key-count"]').text()).toBe('1 of 2 keys')
  })

  it('offers Clear filters when nothing matches', async () => {
    const { wrapper, keys } = await mountView([makeRow({ name: 'a' })])
    keys.filters = { ...keys.filters, kinds: ['personal'] }
    await flushPromises()
    const clear = wrapper.findAll('button').filter((b) => b.text() === 'Clear filters')
    expect(clear.length).toBeGreaterThan(0)
    await clear.at(-1)!.trigger('click')
    expect(byRole('table', 'API keys')).toHaveLength(1)
  })

  it('explains an empty account and offers to create the first key', async () => {
    const { wrapper } = await mountView([])
    expect(wrapper.text()).toContain('No API keys yet')
    expect(wrapper.findAll('button').some((b) => b.text() === 'Create your first key')).toBe(true)
  })

  it('while the first list loads, the table and search are in place; typing is kept', async () => {
    let answer: (list: ReturnType<typeof makeList>) => void = () => {}
    const rows = [makeRow({ name: 'alpha' }), makeRow({ name: 'beta', corpora: ['docs'] })]
    const { wrapper } = await mountView([], {
      'keys.list': () => makeList([], 'acc_1', null),
      'keys.refresh': () => new Promise((resolve) => (answer = resolve))
    })
    const table = byRole('table', 'API keys')[0]!
    expect(table.getAttribute('aria-busy')).toBe('true')
    expect(wrapper.text()).toContain('Loading keys…')
    const menus = ['Filter by kind', 'Filter by status', 'Filter by corpus'].map((name) =>
      wrapper.findAll('button').find((b) => accessibleName(b.element) === name)!
    )
    for (const menu of menus) expect(menu.attributes('disabled')).toBeDefined()
    const search = wrapper.get('input[aria-label="Search keys"]')
    await search.setValue('bet')

    answer(makeList(rows))
    await flushPromises()
    // The same table, now filled, and the search typed during the wait applied to it.
    expect(byRole('table', 'API keys')[0]).toBe(table)
    expect(table.getAttribute('aria-busy')).toBeNull()
    expect(table.textContent).toContain('beta')
    expect(table.textContent).not.toContain('alpha')
    expect(wrapper.get('[data-testid="key-count"]').text()).toBe('1 of 2 keys')
    for (const menu of menus) expect(menu.attributes('disabled')).toBeUndefined()
  })

  it('keeps the cached rows when Vectara cannot be reached, with Retry', async () => {
    let offline = true
    const rows = [makeRow({ name: 'cached' })]
    const { wrapper } = await mountView(rows, {
      'keys.list': () => makeList(rows, 'acc_1', new Date(2025, 0, 1, 10, 42).getTime()),
      'keys.refresh': () => {
        if (offline) throw new AppError('NETWORK_ERROR', 'ENOTFOUND api.vectara.io')
        return makeList(rows)
      }
    })
    const alert = wrapper.get('[role="alert"]')
    expect(alert.text()).toMatch(
      /Vectara could not be reached\. Showing the list from Jan 1, 10:42/
    )
    expect(byRole('table', 'API keys')).toHaveLength(1)
    offline = false
    await alert
      .findAll('button')
      .find((b) => b.text() === 'Retry')!
      .trigger('click')
    await flushPromises()
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
  })

  it('sends a rejected credential to the account form', async () => {
    const { wrapper, router } = await mountView([], {
      'keys.refresh': () => {
        throw new AppError('API_UNAUTHORIZED', 'Vectara answered 401.', { status: 401 })
      }
    })
    expect(wrapper.text()).toContain("Vectara rejected this account's credential.")
    await wrapper
      .findAll('button')
      .find((b) => b.text() === 'Update credential')!
      .trigger('click')
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/accounts?edit=acc_1'))
  })

  it('copies through main and says when the clipboard clears', async () => {
    const { invoke } = await mountView([makeRow({ id: 'aky_1', name: 'site' })], {
      'keys.copySecret': () => ({ clearsAfterMs: 30_000 })
    })
    await choose('site', 'Copy key')
    expect(invoke).toHaveBeenCalledWith('keys.copySecret', { accountId: 'acc_1', keyId: 'aky_1' })
    expect(useToastsStore().toasts.at(-1)?.title).toBe('Copied. The clipboard clears in 30 s.')
  })

  it('asks for the secret when main does not have it, and stores the pasted one', async () => {
    const row = makeRow({ id: 'aky_1', name: 'site', secretStored: false, maskedSecret: null })
    const { invoke, keys } = await mountView([row], {
      'keys.copySecret': () => {
        throw new AppError('SECRET_UNKNOWN', 'The app does not hold this secret.')
      },
      'keys.storeSecret': ({ secret }) => ({
        ...row,
        secretStored: true,
        maskedSecret: `${secret.slice(0, 4)}…${secret.slice(-4)}`
      })
    })
    await choose('site', 'Copy key')
    const dialog = byRole('dialog')[0]!
    expect(dialog.textContent).toContain('Paste the secret of site')
    expect(dialog.textContent).toContain('Vectara does not return this key')
    const input = dialog.querySelector<HTMLInputElement>('#paste-secret')!
    expect(input.type).toBe('password')
    input.value = 'zqt_pasted_secret_1234'
    input.dispatchEvent(new Event('input'))
    await flushPromises()
    ;[...dialog.querySelectorAll('button')]
      .find((b) => b.textContent?.includes('Save to keychain'))!
      .click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('keys.storeSecret', {
      accountId: 'acc_1',
      keyId: 'aky_1',
      secret: 'zqt_pasted_secret_1234'
    })
    expect(keys.rows[0]).toMatchObject({ secretStored: true, maskedSecret: 'zqt_…1234' })
    expect(byRole('dialog')).toHaveLength(0)
    expect(useToastsStore().toasts.at(-1)?.title).toBe('Secret saved in your keychain')
  })

  it('rolls back a refused Disable and says why', async () => {
    const row = makeRow({ id: 'aky_1', name: 'site', enabled: true })
    const { keys } = await mountView([row], {
      'keys.setEnabled': () => {
        throw new AppError('API_FORBIDDEN', 'Vectara answered 403 Forbidden.', { status: 403 })
      }
    })
    await choose('site', 'Disable')
    expect(keys.rows[0]).toEqual(row)
    expect(useToastsStore().toasts.at(-1)).toMatchObject({
      tone: 'error',
      title: 'site could not be disabled',
      detail: 'Vectara answered 403 Forbidden.'
    })
  })

  it('opens the playground with the account and key', async () => {
    const { router } = await mountView([makeRow({ id: 'aky_1', name: 'site' })])
    await choose('site', 'Use in playground')
    // The playground view is a lazy chunk: compiling it can take seconds on a busy machine.
    await vi.waitFor(
      () => expect(router.currentRoute.value.fullPath).toBe('/playground?account=acc_1&key=aky_1'),
      { timeout: 15_000 }
    )
  })

  it('focuses search on "/" and refreshes on "r", but not while typing', async () => {
    const { wrapper, invoke } = await mountView([makeRow({ name: 'a' })])
    const refreshes = () => invoke.mock.calls.filter((c) => c[0] === 'keys.refresh').length
    const before = refreshes()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: '/' }))
    const search = wrapper.get('input[aria-label="Search keys"]').element
    expect(document.activeElement).toBe(search)
    search.dispatchEvent(new KeyboardEvent('keydown', { key: 'r', bubbles: true }))
    await flushPromises()
    expect(refreshes()).toBe(before)
    ;(search as HTMLInputElement).blur()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'r' }))
    await vi.waitFor(() => expect(refreshes()).toBe(before + 1))
  })

  it('shows each row name on its menu button', async () => {
    await mountView([makeRow({ name: 'alpha' }), makeRow({ name: 'beta' })])
    const names = [
      ...document.querySelectorAll<HTMLElement>('[role="table"] button[aria-haspopup]')
    ].map(accessibleName)
    expect(names).toEqual(['Actions for alpha', 'Actions for beta'])
  })
})
