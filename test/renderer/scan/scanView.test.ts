import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { AppStatus } from '@shared/contract/app'
import { AppError } from '@shared/errors'
import ScanView from '@renderer/views/ScanView.vue'
import { routes } from '@renderer/router'
import { useToastsStore } from '@renderer/stores/toasts'
import type { MockHandlers } from '../mockBridge'
import { accessibleName, byRole, callNames } from '../fixtures'
import { doneScan, finding, FOLDER, group, results, setupScan, state } from './scanFixtures'

enableAutoUnmount(afterEach)
afterEach(() => {
  delete (globalThis as { api?: unknown }).api
})

async function mountView(runtime: AppStatus['runtime'], handlers: MockHandlers = {}) {
  const ctx = setupScan(runtime, {
    'scan.state': () => state(),
    'scan.results': () => results([]),
    ...handlers
  })
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/scan')
  const wrapper = mount(ScanView, { global: { plugins: [router] }, attachTo: document.body })
  await flushPromises()
  return { ...ctx, wrapper, router }
}

function button(name: string, root: ParentNode = document.body): HTMLButtonElement {
  const found = [...root.querySelectorAll<HTMLButtonElement>('button')].find(
    (b) => accessibleName(b) === name
  )
  if (!found) throw new Error(`no button named ${name}`)
  return found
}

function type(input: HTMLInputElement, value: string): void {
  input.value = value
  input.dispatchEvent(new Event('input', { bubbles: true }))
}

function rowOf(file: string): HTMLElement {
  const table = document.querySelector('table[aria-label="Findings"]')!
  const row = [...table.querySelectorAll<HTMLElement>('tr')].find((r) =>
    r.textContent?.includes(file)
  )
  if (!row) throw new Error(`no row for ${file}`)
  return row
}

describe('ScanView: adding folders', () => {
  it('in a browser tab, takes the path from a "Folder" text box and shows main\'s refusal beside it', async () => {
    const added = { id: 2, path: '/home/me/other', addedAt: 1 }
    const addFolder = vi.fn((input: { path: string }) => {
      if (!input.path.startsWith('/')) {
        const message = "Enter the folder's full path, e.g. /home/you/projects"
        throw new AppError('BAD_INPUT', message, { fieldErrors: { path: message } })
      }
      return { added, folders: [state().folders[0], added] }
    })
    await mountView('harness', { 'scan.addFolder': addFolder })
    const input = document.querySelector<HTMLInputElement>('#scan-folder')!
    expect(accessibleName(input)).toBe('Folder')

    type(input, 'projects')
    await flushPromises()
    button('Add folder').click()
    await flushPromises()
    expect(document.getElementById('scan-folder-error')?.textContent).toMatch(/full path/)
    expect(input.getAttribute('aria-invalid')).toBe('true')

    type(input, '/home/me/other')
    await flushPromises()
    button('Add folder').click()
    await flushPromises()
    expect(addFolder).toHaveBeenLastCalledWith({ path: '/home/me/other' })
    const listed = document.querySelector('ul[aria-label="Folders to scan"]')!
    expect([...listed.querySelectorAll('li')].map((li) => li.textContent?.trim())).toEqual([
      FOLDER,
      '/home/me/other'
    ])
    expect(input.value).toBe('')
  })

  it('in the desktop app, "Add folder" asks main for the OS folder picker (no text box)', async () => {
    const picked = { id: 2, path: '/home/me/picked', addedAt: 1 }
    const { invoke } = await mountView('electron', {
      'scan.chooseFolder': () => ({ added: picked, folders: [state().folders[0], picked] })
    })
    expect(document.querySelector('#scan-folder')).toBeNull()
    button('Add folder').click()
    await flushPromises()
    expect(callNames(invoke)).toContain('scan.chooseFolder')
    expect(document.body.textContent).toContain('/home/me/picked')
  })

  it('removes a folder by its id', async () => {
    const { invoke } = await mountView('harness', {
      'scan.removeFolder': () => ({ folders: [] })
    })
    button(`Remove ${FOLDER}`).click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('scan.removeFolder', { folderId: 1 })
    expect(byRole('heading').map((h) => h.textContent)).toBeDefined()
    expect(document.body.textContent).toContain('No folders yet')
  })

  it('saves an option when its checkbox changes', async () => {
    const setOptions = vi.fn((o: unknown) => o as never)
    await mountView('harness', { 'scan.setOptions': setOptions })
    const box = document.querySelector<HTMLInputElement>('#scan-skipNodeModules')!
    expect(accessibleName(box)).toBe('Skip node_modules')
    expect(box.checked).toBe(true)
    box.checked = false
    box.dispatchEvent(new Event('change', { bubbles: true }))
    await flushPromises()
    expect(setOptions).toHaveBeenCalledWith({
      skipGitObjects: true,
      skipNodeModules: false,
      skipLargeFiles: true
    })
  })
})

describe('ScanView: scanning', () => {
  it('shows progress with Cancel, then says how many files held no key', async () => {
    let finished = false
    const { invoke, emit } = await mountView('harness', {
      'scan.start': () => ({ scanId: 3 }),
      'scan.cancel': () => ({ cancelled: true }),
      'scan.results': () => results([], finished ? doneScan : (null as never))
    })
    expect(document.body.textContent).toContain('Not scanned yet')
    button('Scan').click()
    await flushPromises()
    expect(button('Scan').disabled).toBe(true)
    emit('scan.progress', {
      scanId: 3,
      filesListed: 12,
      filesScanned: 6,
      filesUnchanged: 0,
      bytesScanned: 2_500_000,
      findings: 1,
      currentFolder: `${FOLDER}/app`,
      listingDone: true
    })
    await flushPromises()
    const bar = byRole('progressbar', 'Scan progress')[0]!
    expect(bar.getAttribute('aria-valuenow')).toBe('50')
    expect(document.querySelector('[data-testid="scan-files"]')?.textContent).toMatch(/6\s+of 12/)
    expect(document.body.textContent).toContain('2.5 MB')
    expect(document.body.textContent).toContain(`${FOLDER}/app`)

    button('Cancel').click()
    await flushPromises()
    expect(callNames(invoke)).toContain('scan.cancel')

    finished = true
    emit('scan.finished', doneScan)
    await flushPromises()
    expect(byRole('progressbar')).toEqual([])
    expect(document.body.textContent).toContain('No Vectara keys found in 12 files')
    expect(document.body.textContent).toContain('1 binary file skipped')
  })

  it('lists what it could not read, behind a disclosure', async () => {
    await mountView('harness', { 'scan.state': () => state({ lastScan: doneScan }) })
    const details = document.querySelector('details')!
    expect(details.querySelector('summary')?.textContent).toMatch(/1 file or folder not read/)
    expect(details.textContent).toContain(`${FOLDER}/secret.pem`)
    expect(details.textContent).toContain('could not be read (EACCES)')
  })
})

describe('ScanView: findings', () => {
  function findings() {
    const env = finding({ path: `${FOLDER}/app/.env`, line: 2 })
    const yaml = finding({ path: `${FOLDER}/conf/search.yaml`, line: 7 })
    const stranger = finding({
      path: `${FOLDER}/.bash_history`,
      line: 1,
      masked: 'zwt_…Qq9x',
      kind: 'index',
      context: 'OTHER_TOKEN=',
      match: null
    })
    return { env, yaml, stranger, groups: [group([env, yaml]), group([stranger])] }
  }

  it('shows a table named Findings, grouped by key, with masked secrets only', async () => {
    const { groups } = findings()
    await mountView('harness', { 'scan.results': () => results(groups) })
    const table = document.querySelector('table[aria-label="Findings"]')!
    const headers = [...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim())
    expect(headers).toEqual([
      'File',
      'Line',
      'Secret',
      'Key',
      'Account',
      'Kind',
      'Status',
      'Found',
      'Actions'
    ])
    const groupHeads = [...table.querySelectorAll('th[scope="rowgroup"] .group-head')].map((head) =>
      [...head.children]
        .map((part) => part.textContent?.replace(/\s+/g, ' ').trim())
        .filter(Boolean)
    )
    expect(groupHeads).toEqual([
      ['website-search', 'zqt_…Ab3d', 'Query zqt_', 'Production', '2 files'],
      ['Unknown key', 'zwt_…Qq9x', 'Index zwt_', 'none of your keys', '1 file']
    ])
    expect(rowOf('app/.env').textContent).toContain('VECTARA_API_KEY=')
    expect(rowOf('.bash_history').textContent).toContain('unknown key')
    expect(button('Disable key', rowOf('.bash_history')).disabled).toBe(true)
    expect(button('Rotate…', rowOf('.bash_history')).disabled).toBe(true)
  })

  it("sorts by a column, keeping each key's findings together", async () => {
    const { groups } = findings()
    await mountView('harness', { 'scan.results': () => results(groups) })
    const order = () =>
      [...document.querySelectorAll('tbody tr.finding-row')].map((r) =>
        r.querySelector('.col-file')?.textContent?.trim()
      )
    expect(order()).toEqual(['app/.env', 'conf/search.yaml', '.bash_history'])
    button('File').click()
    await flushPromises()
    expect(order()).toEqual(['.bash_history', 'app/.env', 'conf/search.yaml'])
    button('Line').click()
    await flushPromises()
    button('Line').click()
    await flushPromises()
    const lineHeader = button('Line').closest('th')!
    expect(lineHeader.getAttribute('aria-sort')).toBe('descending')
    expect(order()).toEqual(['conf/search.yaml', 'app/.env', '.bash_history'])
  })

  it('"Disable key" asks first, lists the files that stop working, and disables by finding id', async () => {
    const { env, groups } = findings()
    const disableKey = vi.fn(() => ({
      accountId: 'acc_1',
      key: {
        id: 'aky_1',
        name: 'website-search',
        kind: 'query' as const,
        maskedSecret: 'zqt_…Ab3d',
        secretStored: false,
        enabled: false,
        corpora: [],
        firstSeenAt: 1,
        lastUsedAt: null
      }
    }))
    await mountView('harness', {
      'scan.results': () => results(groups),
      'scan.disableKey': disableKey
    })
    button('Disable key', rowOf('app/.env')).click()
    await flushPromises()
    const dialog = byRole('alertdialog', 'Disable website-search?')[0]!
    expect(dialog.textContent).toContain('these will stop working')
    const files = dialog.querySelector('ul[aria-label="Files that use this key"]')!
    expect(files.textContent).toContain(`${FOLDER}/app/.env:2`)
    expect(files.textContent).toContain(`${FOLDER}/conf/search.yaml:7`)
    button('Disable key', dialog).click()
    await flushPromises()
    expect(disableKey).toHaveBeenCalledWith({ findingId: env.id })
    expect(byRole('alertdialog')).toEqual([])
    expect(useToastsStore().toasts.map((t) => t.title)).toContain('Disabled website-search')
  })

  it('"Rotate…" opens the key\'s rotation with these findings; "Show in folder" says the path was copied', async () => {
    const { env, yaml, groups } = findings()
    const { router } = await mountView('harness', {
      'scan.results': () => results(groups),
      'scan.showInFolder': () => ({ how: 'copied', path: env.path })
    })
    button('Show in folder', rowOf('app/.env')).click()
    await flushPromises()
    const toast = useToastsStore().toasts.at(-1)!
    expect(toast.title).toBe('Path copied')
    expect(toast.detail).toContain(env.path)

    button('Rotate…', rowOf('app/.env')).click()
    await flushPromises()
    await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/keys'))
    expect(router.currentRoute.value.query).toEqual({
      account: 'acc_1',
      rotate: 'aky_1',
      findings: `${env.id},${yaml.id}`
    })
  })

  it('"Ignore" hides a finding until asked to show ignored ones', async () => {
    const { stranger, groups } = findings()
    const ignore = vi.fn((input: { findingId: number; ignored: boolean }) => ({
      ...stranger,
      ignored: input.ignored
    }))
    await mountView('harness', { 'scan.results': () => results(groups), 'scan.ignore': ignore })
    button('Ignore', rowOf('.bash_history')).click()
    await flushPromises()
    expect(ignore).toHaveBeenCalledWith({ findingId: stranger.id, ignored: true })
    expect(document.querySelector('table')?.textContent).not.toContain('.bash_history')
    const show = document.querySelector<HTMLInputElement>('#scan-show-ignored')!
    expect(accessibleName(show)).toBe('Show ignored (1)')
    show.click()
    await flushPromises()
    expect(rowOf('.bash_history').textContent).toContain('ignored')
    expect(button('Stop ignoring', rowOf('.bash_history'))).toBeTruthy()
  })
})
