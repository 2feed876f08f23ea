import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { KeyRow } from '@shared/contract/keys'
import { createScanClient } from '@renderer/api/scanClient'
import KeysView from '@renderer/views/KeysView.vue'
import { routes } from '@renderer/router'
import { useScanStore } from '@renderer/stores/scan'
import type { MockHandlers } from '../mockBridge'
import {
  accessibleName,
  byRole,
  callNames,
  useViewTestEnvironment,
  makeList,
  makeRow,
  production,
  setup
} from '../fixtures'

useViewTestEnvironment()

const files = [
  { findingId: 4, path: '/home/me/app/.env', line: 2, column: 17, ignored: false },
  { findingId: 9, path: '/home/me/notes.md', line: 1, column: 6, ignored: true }
]

async function mountView(rows: KeyRow[], handlers: MockHandlers = {}) {
  const ctx = setup({
    'accounts.list': () => ({ accounts: [production], currentId: 'acc_1' }),
    'keys.list': () => makeList(rows),
    'keys.refresh': () => makeList(rows),
    'scan.keyFiles': () => ({ files }),
    ...handlers
  })
  useScanStore().useClient(createScanClient(ctx.bridge))
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/keys')
  mount(KeysView, { global: { plugins: [router] }, attachTo: document.body })
  await vi.waitFor(() => expect(callNames(ctx.invoke)).toContain('keys.refresh'))
  await flushPromises()
  return ctx
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

function button(root: ParentNode, name: string): HTMLButtonElement {
  return [...root.querySelectorAll<HTMLButtonElement>('button')].find(
    (b) => accessibleName(b) === name
  )!
}

describe('the Keys list and keys found on this machine', () => {
  it('badges a key found in files, and only that key', async () => {
    await mountView([
      makeRow({ id: 'aky_1', name: 'site', foundInFiles: 2 }),
      makeRow({ id: 'aky_2', name: 'clean' })
    ])
    const rows = [...document.querySelectorAll<HTMLElement>('[role="row"]')]
    expect(rows.find((r) => r.textContent?.includes('site'))?.textContent).toContain('in 2 files')
    expect(rows.find((r) => r.textContent?.includes('clean'))?.textContent).not.toContain('in ')
  })

  it('asks before disabling such a key, listing the files that will stop working', async () => {
    const setEnabled = vi.fn(() =>
      makeRow({ id: 'aky_1', name: 'site', foundInFiles: 2, enabled: false })
    )
    const { invoke } = await mountView([makeRow({ id: 'aky_1', name: 'site', foundInFiles: 2 })], {
      'keys.setEnabled': setEnabled
    })
    await choose('site', 'Disable')
    expect(setEnabled).not.toHaveBeenCalled()
    const dialog = byRole('alertdialog', 'Disable site?')[0]!
    await vi.waitFor(() => expect(dialog.textContent).toContain('/home/me/app/.env:2'))
    expect(dialog.textContent).toContain('/home/me/notes.md:1')
    expect(dialog.textContent).toContain('these will stop working')
    expect(invoke).toHaveBeenCalledWith('scan.keyFiles', { accountId: 'acc_1', keyId: 'aky_1' })
    button(dialog, 'Disable key').click()
    await flushPromises()
    expect(setEnabled).toHaveBeenCalledWith({ accountId: 'acc_1', keyId: 'aky_1', enabled: false })
    expect(byRole('alertdialog')).toEqual([])
  })

  it('disables a key found nowhere at once, as before', async () => {
    const setEnabled = vi.fn(() => makeRow({ id: 'aky_2', name: 'clean', enabled: false }))
    await mountView([makeRow({ id: 'aky_2', name: 'clean' })], { 'keys.setEnabled': setEnabled })
    await choose('clean', 'Disable')
    expect(setEnabled).toHaveBeenCalled()
    expect(byRole('alertdialog')).toEqual([])
  })

  it('lists the files in the Delete dialog too', async () => {
    await mountView([makeRow({ id: 'aky_1', name: 'site', foundInFiles: 2 })])
    await choose('site', 'Delete…')
    const dialog = byRole('alertdialog', 'Delete site?')[0]!
    await vi.waitFor(() => expect(dialog.textContent).toContain('/home/me/app/.env:2'))
    expect(dialog.textContent).toContain('Found in 2 files on this machine')
  })
})
