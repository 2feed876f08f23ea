import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import { AppError } from '@shared/errors'
import AccountSwitcher from '@renderer/components/AccountSwitcher.vue'
import AccountForm from '@renderer/components/accounts/AccountForm.vue'
import AccountsView from '@renderer/views/AccountsView.vue'
import { routes } from '@renderer/router'
import { useToastsStore } from '@renderer/stores/toasts'
import type { MockHandlers } from './mockBridge'
import { accessibleName, byRole, production, sandbox, setup, staging } from './fixtures'

enableAutoUnmount(afterEach)
afterEach(() => {
  delete (globalThis as { api?: unknown }).api
})

const state = { accounts: [sandbox, production, staging], currentId: 'acc_1' }

function type(el: HTMLInputElement, value: string): void {
  el.value = value
  el.dispatchEvent(new Event('input', { bubbles: true }))
}

function button(root: ParentNode, name: string): HTMLButtonElement {
  const found = [...root.querySelectorAll<HTMLButtonElement>('button')].find(
    (b) => accessibleName(b) === name
  )
  if (!found) throw new Error(`no button named ${name}`)
  return found
}

function field(root: ParentNode, id: string): HTMLInputElement {
  return root.querySelector<HTMLInputElement>(`#${id}`)!
}

describe('AccountForm', () => {
  async function mountForm(handlers: MockHandlers, props = {}) {
    const ctx = setup({ 'accounts.list': () => state, ...handlers })
    await ctx.accounts.load()
    const wrapper = mount(AccountForm, { props, attachTo: document.body })
    return { ...ctx, wrapper, root: (wrapper.element as HTMLElement).parentElement! }
  }

  it('starts with the Vectara defaults and a hidden secret field', async () => {
    const { root } = await mountForm({})
    expect(field(root, 'acc-base-url').value).toBe('https://api.vectara.io')
    expect(accessibleName(field(root, 'acc-api-key'))).toBe('Personal API key')
    expect(field(root, 'acc-api-key').type).toBe('password')
    button(root, 'Show value').click()
    await flushPromises()
    expect(field(root, 'acc-api-key').type).toBe('text')
    const radios = [...root.querySelectorAll<HTMLElement>('[role="radio"]')]
    expect(radios.map(accessibleName)).toEqual(['Personal API key', 'OAuth app client'])
    radios[1]!.click()
    await flushPromises()
    expect(field(root, 'acc-token-url').value).toBe('https://auth.vectara.io/oauth2/token')
    expect(field(root, 'acc-client-secret').type).toBe('password')
  })

  it('checks fields against the contract before calling main', async () => {
    const { root, invoke } = await mountForm({})
    type(field(root, 'acc-base-url'), 'http://api.example.com')
    button(root, 'Check and save').click()
    await flushPromises()
    expect(root.querySelector('#acc-name-error')!.textContent).toBe('Enter a name')
    expect(root.querySelector('#acc-api-key-error')!.textContent).toBe('Paste the Personal API key')
    expect(root.querySelector('#acc-base-url-error')!.textContent).toMatch(/Use https/)
    expect(invoke.mock.calls.map((c) => c[0])).not.toContain('accounts.add')
  })

  it('says plainly when Vectara rejects the key, keeps the form, and drops the secret', async () => {
    const { root, wrapper, invoke } = await mountForm({
      'accounts.add': () => {
        throw new AppError('API_UNAUTHORIZED', 'Vectara answered 401 Unauthorized.', {
          status: 401
        })
      }
    })
    type(field(root, 'acc-name'), 'Research')
    type(field(root, 'acc-api-key'), 'zqt_not_a_personal_key')
    button(root, 'Check and save').click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('accounts.add', {
      name: 'Research',
      baseUrl: 'https://api.vectara.io',
      credential: { type: 'api_key', apiKey: 'zqt_not_a_personal_key' }
    })
    const alert = root.querySelector('[role="alert"]')!
    expect(alert.textContent).toContain(
      'Vectara rejected this key: it is unknown, disabled or lacks permission to list API keys'
    )
    expect(field(root, 'acc-name').value).toBe('Research')
    expect(field(root, 'acc-api-key').value).toBe('')
    expect(document.activeElement).toBe(field(root, 'acc-api-key'))
    expect(wrapper.emitted('saved')).toBeUndefined()
  })

  it('shows progress while main checks the credential, then reports the saved account', async () => {
    let finish!: () => void
    const added = { ...production, id: 'acc_9', name: 'Research' }
    const { root, wrapper } = await mountForm({
      'accounts.add': () => new Promise((resolve) => (finish = () => resolve(added)))
    })
    type(field(root, 'acc-name'), 'Research')
    type(field(root, 'acc-api-key'), 'zut_personal_key_123')
    button(root, 'Check and save').click()
    await flushPromises()
    expect(root.querySelector('[role="status"]')!.textContent).toContain('Checking with Vectara')
    expect(button(root, 'Check and save').disabled).toBe(true)
    finish()
    await flushPromises()
    expect(wrapper.emitted('saved')).toEqual([[added]])
    expect(field(root, 'acc-api-key').value).toBe('')
  })

  it('edits name and URL without a credential unless asked to replace it', async () => {
    const { root, invoke } = await mountForm(
      { 'accounts.update': () => ({ ...staging, name: 'Staging EU' }) },
      { account: staging }
    )
    expect(root.querySelector('#acc-client-id')).toBeNull()
    type(field(root, 'acc-name'), 'Staging EU')
    button(root, 'Save').click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('accounts.update', { id: 'acc_2', name: 'Staging EU' })
  })
})

describe('AccountSwitcher', () => {
  async function mountSwitcher(handlers: MockHandlers = {}) {
    const ctx = setup({
      'accounts.list': () => state,
      'accounts.switch': ({ id }) => ({ ...state, currentId: id }),
      ...handlers
    })
    await ctx.accounts.load()
    const router = createRouter({ history: createMemoryHistory(), routes })
    await router.push('/keys')
    const wrapper = mount(AccountSwitcher, {
      global: { plugins: [router] },
      attachTo: document.body
    })
    return { ...ctx, wrapper, router }
  }

  async function openMenu() {
    const trigger = document.querySelector<HTMLElement>('button[aria-haspopup="menu"]')!
    trigger.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))
    await flushPromises()
    return trigger
  }

  it('names the current account and lists every account with the current one checked', async () => {
    await mountSwitcher()
    const trigger = await openMenu()
    expect(accessibleName(trigger)).toBe('Account: Production. Switch account')
    const items = byRole('menuitemradio')
    expect(items.map(accessibleName)).toEqual(['Sandbox', 'Production', 'Staging'])
    expect(items.map((i) => i.getAttribute('aria-checked'))).toEqual(['false', 'true', 'false'])
    expect(byRole('menuitem').map(accessibleName)).toEqual(['Add account…', 'Manage accounts'])
  })

  it('switches to the chosen account', async () => {
    const { invoke, accounts } = await mountSwitcher()
    await openMenu()
    byRole('menuitemradio', 'Staging')[0]!.click()
    await flushPromises()
    expect(invoke).toHaveBeenLastCalledWith('accounts.switch', { id: 'acc_2' })
    expect(accounts.current?.name).toBe('Staging')
  })

  it('says why a switch failed', async () => {
    await mountSwitcher({
      'accounts.switch': () => {
        throw new AppError('KEYCHAIN_UNAVAILABLE', 'The keychain is locked.')
      }
    })
    await openMenu()
    byRole('menuitemradio', 'Sandbox')[0]!.click()
    await flushPromises()
    expect(useToastsStore().toasts.at(-1)).toMatchObject({
      tone: 'error',
      detail: 'The keychain is locked.'
    })
  })

  it('opens the add form from "Add account…"', async () => {
    const { router } = await mountSwitcher()
    await openMenu()
    byRole('menuitem', 'Add account…')[0]!.click()
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/accounts?add=1'))
  })
})

describe('AccountsView', () => {
  async function mountView(path = '/accounts', handlers: MockHandlers = {}) {
    const ctx = setup({ 'accounts.list': () => state, ...handlers })
    const router = createRouter({ history: createMemoryHistory(), routes })
    await router.push(path)
    const wrapper = mount(AccountsView, { global: { plugins: [router] }, attachTo: document.body })
    await flushPromises()
    return { ...ctx, wrapper, router }
  }

  it('lists accounts with URL, credential kind and the current marker', async () => {
    const { wrapper } = await mountView()
    const items = wrapper.findAll('ul[aria-label="Accounts"] > li')
    expect(items.map((li) => li.find('.account-name').text())).toEqual([
      'Sandbox',
      'Production',
      'Staging'
    ])
    expect(items[0]!.text()).toContain('Sandbox (built-in)')
    expect(items[1]!.text()).toContain('Personal key')
    expect(items[1]!.text()).toContain('Current')
    expect(items[2]!.text()).toContain('OAuth client')
    expect(items[2]!.text()).toContain('https://api.vectara.io')
  })

  it('does not let the built-in Sandbox be edited or removed', async () => {
    const { wrapper } = await mountView()
    const edit = wrapper.get('button[aria-label="Edit Sandbox"]')
    const remove = wrapper.get('button[aria-label="Remove Sandbox"]')
    expect(edit.attributes('aria-disabled')).toBe('true')
    expect(remove.attributes('aria-disabled')).toBe('true')
    await edit.trigger('click')
    await remove.trigger('click')
    expect(byRole('dialog')).toHaveLength(0)
    expect(byRole('alertdialog')).toHaveLength(0)
  })

  it('removes an account after confirming what goes with it', async () => {
    let list = state
    const { wrapper, invoke } = await mountView('/accounts', {
      'accounts.list': () => list,
      'accounts.remove': () => {
        list = { accounts: [sandbox, production], currentId: 'acc_1' }
        return { removedSecrets: 2 }
      }
    })
    await wrapper.get('button[aria-label="Remove Staging"]').trigger('click')
    await flushPromises()
    const dialog = byRole('alertdialog')[0]!
    expect(dialog.textContent).toContain('Remove Staging?')
    expect(dialog.textContent).toContain('keychain')
    button(dialog, 'Remove account').click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('accounts.remove', { id: 'acc_2' })
    expect(wrapper.findAll('ul[aria-label="Accounts"] > li')).toHaveLength(2)
    expect(useToastsStore().toasts.at(-1)).toMatchObject({
      title: 'Removed Staging',
      detail: '2 secrets were deleted from your keychain.'
    })
  })

  it('opens the credential form for ?edit=<id>, as the Keys view asks', async () => {
    const { router } = await mountView('/accounts?edit=acc_1')
    const dialog = byRole('dialog')[0]!
    expect(dialog.textContent).toContain('Edit Production')
    expect(dialog.querySelector('#acc-api-key')).not.toBeNull()
    await vi.waitFor(() => expect(router.currentRoute.value.fullPath).toBe('/accounts'))
  })

  it('opens the add form for ?add', async () => {
    await mountView('/accounts?add=1')
    expect(byRole('dialog')[0]!.textContent).toContain('Add account')
  })
})
