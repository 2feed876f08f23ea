import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AppError } from '@shared/errors'
import CreateKeyDialog from '@renderer/components/keys/CreateKeyDialog.vue'
import DeleteKeyDialog from '@renderer/components/keys/DeleteKeyDialog.vue'
import { useToastsStore } from '@renderer/stores/toasts'
import type { MockHandlers } from './mockBridge'
import { accessibleName, byRole, makeList, makeRow, NOW, production, setup } from './fixtures'

enableAutoUnmount(afterEach)
afterEach(() => {
  delete (globalThis as { api?: unknown }).api
})

const corpora = [
  { key: 'docs', name: 'Product docs' },
  { key: 'blog', name: 'Blog' },
  { key: 'faq', name: 'FAQ' }
]

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

describe('CreateKeyDialog', () => {
  async function open(handlers: MockHandlers = {}) {
    const ctx = setup({
      'accounts.list': () => ({ accounts: [production], currentId: 'acc_1' }),
      'keys.list': () => makeList([]),
      'keys.refresh': () => makeList([]),
      'corpora.list': () => ({ corpora }),
      ...handlers
    })
    await ctx.accounts.load()
    await ctx.keys.open('acc_1')
    const wrapper = mount(CreateKeyDialog, {
      props: { open: true, 'onUpdate:open': (v: boolean) => wrapper.setProps({ open: v }) },
      attachTo: document.body
    })
    await flushPromises()
    const dialog = byRole('dialog')[0]!
    const name = dialog.querySelector<HTMLInputElement>('#ck-name')!
    return { ...ctx, wrapper, dialog, name }
  }

  async function pickCorpus(dialog: HTMLElement, corpusName: string) {
    const input = dialog.querySelector<HTMLInputElement>('#ck-corpora')!
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }))
    await flushPromises()
    const option = byRole('option').find((o) => o.textContent?.includes(corpusName))!
    option.click()
    await flushPromises()
  }

  it('has a Name, an Access radio group with Query as default, Corpora and Create', async () => {
    const { dialog, name } = await open()
    expect(accessibleName(name)).toBe('Name')
    const group = dialog.querySelector<HTMLElement>('[role="radiogroup"]')!
    expect(accessibleName(group)).toBe('Access')
    const radios = [...group.querySelectorAll<HTMLElement>('[role="radio"]')]
    expect(radios.map(accessibleName)).toEqual(['Query', 'Query & Index', 'Personal'])
    expect(radios.map((r) => r.getAttribute('aria-checked'))).toEqual(['true', 'false', 'false'])
    expect(document.getElementById(radios[0]!.getAttribute('aria-describedby')!)!.textContent).toBe(
      'Read-only. Safe to embed in a website.'
    )
    const corporaInput = dialog.querySelector<HTMLElement>('#ck-corpora')!
    expect(corporaInput.getAttribute('role')).toBe('combobox')
    expect(accessibleName(corporaInput)).toBe('Corpora')
    expect(button(dialog, 'Create').type).toBe('submit')
  })

  it('puts the cursor in Name when it opens', async () => {
    const { name } = await open()
    await vi.waitFor(() => expect(document.activeElement).toBe(name))
  })

  it('checks the form with the contract before calling main', async () => {
    const { dialog, invoke } = await open()
    button(dialog, 'Create').click()
    await flushPromises()
    expect(dialog.querySelector('#ck-name-error')!.textContent).toBe('Enter a name')
    expect(dialog.querySelector('#ck-corpora-error')!.textContent).toBe(
      'Choose at least one corpus'
    )
    expect(dialog.querySelector('#ck-name')!.getAttribute('aria-invalid')).toBe('true')
    expect(invoke.mock.calls.map((c) => c[0])).not.toContain('keys.create')
  })

  it('creates a key with the chosen access and corpora, then closes with a toast', async () => {
    const created = makeRow({ name: 'site-search', kind: 'index' })
    const { dialog, name, invoke, keys, wrapper } = await open({
      'keys.create': () => ({ key: created, secretStored: true })
    })
    type(name, 'site-search')
    ;[...dialog.querySelectorAll<HTMLElement>('[role="radio"]')][1]!.click()
    await pickCorpus(dialog, 'Product docs')
    await pickCorpus(dialog, 'FAQ')
    expect(dialog.textContent).toContain('Product docs')
    button(dialog, 'Create').click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('keys.create', {
      accountId: 'acc_1',
      name: 'site-search',
      access: 'serving_and_indexing',
      corpusKeys: ['docs', 'faq']
    })
    expect(wrapper.props('open')).toBe(false)
    expect(keys.rows).toContainEqual(created)
    expect(useToastsStore().toasts.at(-1)?.title).toBe(
      'Key created. Its secret is in your keychain.'
    )
  })

  it('Personal: the caution in words, no corpora, and a 403 explained', async () => {
    const created = makeRow({ name: 'my admin key', kind: 'personal', corpora: [] })
    let refuse = true
    const { dialog, name, invoke, wrapper } = await open({
      'keys.create': () => {
        if (refuse)
          throw new AppError(
            'API_FORBIDDEN',
            "Vectara refused to create a Personal key with this account's credential (403).",
            { status: 403 }
          )
        return { key: created, secretStored: true }
      }
    })
    type(name, 'my admin key')
    ;[...dialog.querySelectorAll<HTMLElement>('[role="radio"]')][2]!.click()
    await flushPromises()
    expect(dialog.querySelector('#ck-corpora')).toBeNull()
    const caution = dialog.querySelector('[role="note"]')!.textContent!
    expect(caution).toContain('inherits every permission of the user who creates it')
    expect(caution).toContain('billing admin')
    expect(caution).toContain('cannot delete the account or read billing data')
    expect(caution).toContain('Treat it like a password')
    button(dialog, 'Create').click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('keys.create', {
      accountId: 'acc_1',
      name: 'my admin key',
      access: 'personal',
      corpusKeys: []
    })
    expect(dialog.querySelector('[role="alert"]')!.textContent).toContain(
      'refused to create a Personal key'
    )
    refuse = false
    button(dialog, 'Create').click()
    await flushPromises()
    expect(wrapper.props('open')).toBe(false)
  })

  it('puts field errors from Vectara beside their fields and keeps the dialog', async () => {
    const { dialog, name, wrapper } = await open({
      'keys.create': () => {
        throw new AppError('API_BAD_REQUEST', 'Vectara refused the request.', {
          status: 400,
          fieldErrors: { corpus_keys: 'Corpus docs does not exist', name: 'Name taken' }
        })
      }
    })
    type(name, 'dup')
    await pickCorpus(dialog, 'Product docs')
    button(dialog, 'Create').click()
    await flushPromises()
    expect(dialog.querySelector('#ck-name-error')!.textContent).toBe('Name taken')
    expect(dialog.querySelector('#ck-corpora-error')!.textContent).toBe(
      'Corpus docs does not exist'
    )
    expect(dialog.querySelector('[role="alert"]')!.textContent).toBe('Vectara refused the request.')
    expect(wrapper.props('open')).toBe(true)
  })

  it('shows a secret the keychain refused once, with a warning, and forgets it on close', async () => {
    const writeText = vi.fn().mockResolvedValue(undefined)
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true })
    const { dialog, name, wrapper } = await open({
      'keys.create': () => ({
        key: makeRow({ name: 'once', secretStored: false }),
        secretStored: false,
        oneTimeSecret: 'zqt_shown_only_once_0001',
        keychainProblem: 'The keychain is locked.'
      })
    })
    type(name, 'once')
    await pickCorpus(dialog, 'Blog')
    button(dialog, 'Create').click()
    await flushPromises()
    const step = byRole('dialog')[0]!
    expect(step.textContent).toContain('Save this secret now')
    expect(step.textContent).toContain('The keychain is locked')
    expect(step.querySelector('[data-testid="one-time-secret"]')!.textContent).toBe(
      'zqt_shown_only_once_0001'
    )
    button(step, 'Copy').click()
    await flushPromises()
    expect(writeText).toHaveBeenCalledWith('zqt_shown_only_once_0001')
    expect(step.querySelector('[aria-label="Close"]')).toBeNull()
    button(step, 'I have saved it').click()
    await flushPromises()
    expect(wrapper.props('open')).toBe(false)
    expect(document.body.textContent).not.toContain('zqt_shown_only_once')
  })
})

describe('DeleteKeyDialog', () => {
  const row = makeRow({ id: 'aky_del', name: 'legacy-widget', lastUsedAt: NOW - 3 * 86_400_000 })

  async function open(handlers: MockHandlers = {}) {
    const ctx = setup({
      'keys.list': () => makeList([row]),
      'keys.refresh': () => makeList([row]),
      ...handlers
    })
    await ctx.keys.open('acc_1')
    const wrapper = mount(DeleteKeyDialog, { props: { row }, attachTo: document.body })
    await flushPromises()
    const dialog = byRole('alertdialog')[0]!
    const confirm = dialog.querySelector<HTMLInputElement>('#delete-confirm')!
    return { ...ctx, wrapper, dialog, confirm }
  }

  it('is an alert dialog that names the key and says what deletion means', async () => {
    vi.setSystemTime(NOW)
    const { dialog, confirm } = await open()
    vi.useRealTimers()
    expect(dialog.querySelector('h2')!.textContent).toBe('Delete legacy-widget?')
    expect(dialog.textContent).toContain('permanent')
    expect(dialog.textContent).toContain('will be blocked')
    expect(dialog.querySelector('[data-testid="delete-last-used"]')!.textContent!.trim()).toBe(
      'Last used through this app: 3 days ago'
    )
    expect(accessibleName(confirm)).toBe('Type legacy-widget to confirm')
  })

  it('puts the cursor in the confirmation field, not on a button', async () => {
    const { confirm } = await open()
    await vi.waitFor(() => expect(document.activeElement).toBe(confirm))
  })

  it('enables "Delete key" only when the exact name is typed', async () => {
    const { dialog, confirm } = await open()
    const del = button(dialog, 'Delete key')
    expect(del.disabled).toBe(true)
    for (const attempt of ['legacy', 'Legacy-widget', 'legacy-widget ']) {
      type(confirm, attempt)
      await flushPromises()
      expect(del.disabled).toBe(true)
    }
    type(confirm, 'legacy-widget')
    await flushPromises()
    expect(del.disabled).toBe(false)
  })

  it('shows a 403 inside the dialog and keeps it open', async () => {
    const { dialog, confirm, wrapper, keys } = await open({
      'keys.delete': () => {
        throw new AppError('API_FORBIDDEN', 'Vectara answered 403 Forbidden.', { status: 403 })
      }
    })
    type(confirm, 'legacy-widget')
    await flushPromises()
    button(dialog, 'Delete key').click()
    await flushPromises()
    expect(dialog.querySelector('[role="alert"]')!.textContent).toContain(
      'Vectara answered 403 Forbidden.'
    )
    expect(wrapper.emitted('close')).toBeUndefined()
    expect(keys.rows).toHaveLength(1)
  })

  it('deletes, removes the row, and says so', async () => {
    const { dialog, confirm, wrapper, keys, invoke } = await open({
      'keys.delete': ({ keyId }) => ({ keyId })
    })
    type(confirm, 'legacy-widget')
    await flushPromises()
    button(dialog, 'Delete key').click()
    await flushPromises()
    expect(invoke).toHaveBeenLastCalledWith('keys.delete', { accountId: 'acc_1', keyId: 'aky_del' })
    expect(keys.rows).toHaveLength(0)
    expect(wrapper.emitted('close')).toHaveLength(1)
    expect(useToastsStore().toasts.at(-1)?.title).toBe('Deleted legacy-widget')
  })

  it('closes on Cancel without deleting', async () => {
    const { dialog, wrapper, invoke } = await open({ 'keys.delete': ({ keyId }) => ({ keyId }) })
    button(dialog, 'Cancel').click()
    await flushPromises()
    expect(wrapper.emitted('close')).toHaveLength(1)
    expect(invoke.mock.calls.map((c) => c[0])).not.toContain('keys.delete')
  })

  it('closes on Escape without deleting', async () => {
    const { confirm, wrapper, invoke } = await open({ 'keys.delete': ({ keyId }) => ({ keyId }) })
    type(confirm, 'legacy-widget')
    confirm.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await flushPromises()
    expect(wrapper.emitted('close')).toHaveLength(1)
    expect(invoke.mock.calls.map((c) => c[0])).not.toContain('keys.delete')
  })
})
