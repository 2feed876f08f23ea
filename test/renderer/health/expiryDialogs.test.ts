import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { KeyRow } from '@shared/contract/keys'
import { AppError } from '@shared/errors'
import CreateKeyDialog from '@renderer/components/keys/CreateKeyDialog.vue'
import SetExpiryDialog from '@renderer/components/keys/SetExpiryDialog.vue'
import { presetExpiry } from '@renderer/health/expiryDate'
import type { MockHandlers } from '../mockBridge'
import { accessibleName, byRole, makeList, makeRow, production, setup } from '../fixtures'

enableAutoUnmount(afterEach)
afterEach(() => {
  vi.useRealTimers()
  delete (globalThis as { api?: unknown }).api
})

const site = makeRow({ id: 'aky_9', name: 'website-search' })

function button(root: ParentNode, name: string): HTMLButtonElement {
  const found = [...root.querySelectorAll<HTMLButtonElement>('button')].find(
    (b) => accessibleName(b) === name
  )
  if (!found) throw new Error(`no button named ${name}`)
  return found
}

async function openSetExpiry(handlers: MockHandlers) {
  const ctx = setup({
    'accounts.list': () => ({ accounts: [production], currentId: 'acc_1' }),
    'keys.list': () => makeList([site]),
    'keys.refresh': () => makeList([site]),
    ...handlers
  })
  await ctx.keys.open('acc_1')
  const wrapper = mount(SetExpiryDialog, {
    props: { target: { accountId: 'acc_1', keyId: site.id, name: site.name } },
    attachTo: document.body
  })
  await flushPromises()
  const dialog = byRole('dialog')[0]!
  return { ...ctx, wrapper, dialog }
}

describe('Set expiry…', () => {
  it('saves a preset as the end of that day, with "Disable at expiry", and updates the row', async () => {
    const saved = vi.fn((input: { expiresAt: number | null; disableAtExpiry: boolean }) => ({
      ...site,
      expiry: { at: input.expiresAt!, disableAtExpiry: input.disableAtExpiry }
    }))
    const { dialog, invoke, keys, wrapper } = await openSetExpiry({ 'expiry.set': saved })
    expect(accessibleName(dialog)).toBe('Set expiry for website-search')
    expect(byRole('radio').map(accessibleName)).toEqual([
      'Never',
      '30 days',
      '90 days',
      '365 days',
      'On a date'
    ])
    byRole('radio', '90 days')[0]!.click()
    await flushPromises()
    expect(dialog.textContent).toContain('Expires at the end of')
    const disable = dialog.querySelector<HTMLInputElement>('#set-expiry-disable')!
    disable.checked = true
    disable.dispatchEvent(new Event('change'))
    button(dialog, 'Save').click()
    await flushPromises()
    const input = invoke.mock.calls.find((c) => c[0] === 'expiry.set')![1] as {
      expiresAt: number
    }
    expect(input).toEqual({
      accountId: 'acc_1',
      keyId: site.id,
      expiresAt: expect.any(Number),
      disableAtExpiry: true
    })
    // The end of the local day 90 days from now (the test may straddle midnight: either day).
    expect([presetExpiry(90, Date.now()), presetExpiry(90, Date.now() - 60_000)]).toContain(
      input.expiresAt
    )
    expect(keys.rows[0]!.expiry).toEqual({ at: input.expiresAt, disableAtExpiry: true })
    expect(wrapper.emitted('close')).toHaveLength(1)
  })

  it('asks for a date when "On a date" has none, and shows main’s refusal under the field', async () => {
    const { dialog, invoke } = await openSetExpiry({
      'expiry.set': () => {
        throw new AppError('BAD_INPUT', 'Choose a date in the future.', {
          fieldErrors: { expiresAt: 'Choose a date in the future' }
        })
      }
    })
    byRole('radio', 'On a date')[0]!.click()
    await flushPromises()
    button(dialog, 'Save').click()
    await flushPromises()
    expect(dialog.textContent).toContain('Choose a date')
    expect(invoke.mock.calls.map((c) => c[0])).not.toContain('expiry.set')

    byRole('radio', '30 days')[0]!.click()
    await flushPromises()
    button(dialog, 'Save').click()
    await flushPromises()
    const group = dialog.querySelector('[role="radiogroup"]')!
    const errorId = group.getAttribute('aria-describedby')!.split(' ')[0]!
    expect(document.getElementById(errorId)!.textContent).toBe('Choose a date in the future')
  })
})

describe('Create key with an expiry, and "Create a Query key" from Health', () => {
  it('starts from the prefill, creates the key, then sets its date', async () => {
    const created: KeyRow = makeRow({ id: 'aky_new', name: 'docs-query', corpora: ['docs'] })
    const ctx = setup({
      'accounts.list': () => ({ accounts: [production], currentId: 'acc_1' }),
      'keys.list': () => makeList([]),
      'keys.refresh': () => makeList([]),
      'corpora.list': () => ({ corpora: [{ key: 'docs', name: 'Product docs' }] }),
      'keys.create': () => ({ key: created, secretStored: true }),
      'expiry.set': (input) => ({
        ...created,
        expiry: { at: input.expiresAt!, disableAtExpiry: input.disableAtExpiry }
      })
    })
    await ctx.keys.open('acc_1')
    const wrapper = mount(CreateKeyDialog, {
      props: {
        open: true,
        prefill: { name: 'docs-query', corpusKeys: ['docs'] },
        'onUpdate:open': (v: boolean) => wrapper.setProps({ open: v })
      },
      attachTo: document.body
    })
    await flushPromises()
    const dialog = byRole('dialog')[0]!
    expect(dialog.querySelector<HTMLInputElement>('#ck-name')!.value).toBe('docs-query')
    expect(dialog.textContent).toContain('Product docs')
    byRole('radio', '30 days')[0]!.click()
    await flushPromises()
    button(dialog, 'Create').click()
    await flushPromises()
    const names = ctx.invoke.mock.calls.map((c) => c[0])
    expect(names.indexOf('keys.create')).toBeLessThan(names.indexOf('expiry.set'))
    expect(ctx.invoke).toHaveBeenCalledWith('keys.create', {
      accountId: 'acc_1',
      name: 'docs-query',
      access: 'serving',
      corpusKeys: ['docs']
    })
    expect(ctx.keys.rows.find((r) => r.id === 'aky_new')!.expiry).toBeDefined()
  })
})
