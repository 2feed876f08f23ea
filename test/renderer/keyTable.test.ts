import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { KeyRow } from '@shared/contract/keys'
import { AppError } from '@shared/errors'
import KeyTable from '@renderer/components/keys/KeyTable.vue'
import { useToastsStore } from '@renderer/stores/toasts'
import { accessibleName, byRole, fakeLayout, makeList, makeRow, setup } from './fixtures'

enableAutoUnmount(afterEach)

let restoreLayout: () => void
beforeEach(() => {
  restoreLayout = fakeLayout()
})
afterEach(() => {
  restoreLayout()
  delete (globalThis as { api?: unknown }).api
  vi.useRealTimers()
})

async function mountTable(rows: KeyRow[], handlers: Parameters<typeof setup>[0] = {}) {
  const ctx = setup({
    'keys.list': () => makeList(rows),
    'keys.refresh': () => makeList(rows),
    ...handlers
  })
  // Only the account matters here (row actions need one), not the refresh that follows a frame
  // later: some tests hold frames back with fake timers.
  void ctx.keys.open('acc_1')
  await flushPromises()
  expect(ctx.keys.accountId).toBe('acc_1')
  const wrapper = mount(KeyTable, {
    props: { rows, sort: { column: 'name', direction: 'asc' }, pending: {} },
    attachTo: document.body
  })
  await flushPromises()
  return { ...ctx, wrapper }
}

describe('KeyTable', () => {
  it('is a table named "API keys" with header and key rows, indexed for assistive tech', async () => {
    const rows = [makeRow({ name: 'website-search' }), makeRow({ name: 'ingest', kind: 'index' })]
    const { wrapper } = await mountTable(rows)
    const table = wrapper.get('[role="table"]')
    expect(table.attributes('aria-label')).toBe('API keys')
    expect(table.attributes('aria-rowcount')).toBe('3')
    const allRows = table.findAll('[role="row"]')
    expect(allRows.map((r) => r.attributes('aria-rowindex'))).toEqual(['1', '2', '3'])
    const headers = allRows[0]!.findAll('[role="columnheader"]').map((h) => h.text())
    expect(headers).toEqual([
      'Name',
      'Kind',
      'Key',
      'Status',
      'Corpora',
      'First seen',
      'Last used',
      'Expires',
      'Actions'
    ])
    expect(allRows[1]!.findAll('[role="cell"]')).toHaveLength(9)
    const menuButtons = byRole('table', 'API keys')[0]!.querySelectorAll('button[aria-haspopup]')
    expect([...menuButtons].map((b) => accessibleName(b as HTMLElement))).toEqual([
      'Actions for website-search',
      'Actions for ingest'
    ])
  })

  it('shows kind with prefix, masked key or "not stored", corpora overflow and staleness', async () => {
    const rows = [
      makeRow({
        name: 'a',
        kind: 'index',
        maskedSecret: 'zwt_…Ab3d',
        corpora: ['docs', 'blog', 'faq'],
        lastUsedAt: Date.now() - 45 * 86_400_000
      }),
      makeRow({
        name: 'b',
        kind: 'personal',
        maskedSecret: null,
        corpora: [],
        lastUsedAt: null,
        firstSeenAt: Date.now() - 2 * 86_400_000
      }),
      makeRow({ name: 'c', lastUsedAt: null, firstSeenAt: Date.now() - 40 * 86_400_000 })
    ]
    const { wrapper } = await mountTable(rows)
    const [first, second, third] = wrapper.findAll('[role="row"]').slice(1)
    const cells = (row: typeof first) => row!.findAll('[role="cell"]').map((c) => c.text())
    expect(cells(first)[1]).toBe('Index zwt_')
    expect(cells(first)[2]).toBe('zwt_…Ab3d')
    expect(cells(first)[4]).toBe('docs +2')
    expect(cells(first)[6]).toMatch(/^1 month ago\s*stale$/)
    expect(cells(second)[1]).toBe('Personal zut_')
    expect(cells(second)[2]).toBe('not stored')
    expect(cells(second)[6]).toBe('never')
    // Known for 40 days and never used: stale too.
    expect(cells(third!)[6]).toMatch(/^never\s*stale$/)
  })

  it('marks the sorted column with aria-sort and asks to sort on header click', async () => {
    const { wrapper } = await mountTable([makeRow()])
    const headers = wrapper.findAll('[role="columnheader"]')
    expect(headers[0]!.attributes('aria-sort')).toBe('ascending')
    expect(headers[1]!.attributes('aria-sort')).toBe('none')
    await headers[6]!.get('button').trigger('click')
    expect(wrapper.emitted('sort')).toEqual([['lastUsed']])
    await wrapper.setProps({ sort: { column: 'lastUsed', direction: 'desc' } })
    expect(headers[6]!.attributes('aria-sort')).toBe('descending')
    expect(headers[0]!.attributes('aria-sort')).toBe('none')
  })

  it('swaps rows cleanly when a filter shortens the list', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => makeRow({ name: `key-${i}` }))
    const errors: unknown[] = []
    setup({ 'keys.list': () => makeList(rows), 'keys.refresh': () => makeList(rows) })
    const wrapper = mount(KeyTable, {
      props: { rows, sort: { column: 'name', direction: 'asc' }, pending: {} },
      global: { config: { errorHandler: (e) => void errors.push(e) } },
      attachTo: document.body
    })
    await flushPromises()
    await wrapper.setProps({ rows: rows.slice(40) })
    await flushPromises()
    expect(errors).toEqual([])
    const names = wrapper.findAll('[role="row"] .kt-name').map((n) => n.text())
    expect(names).toEqual(rows.slice(40).map((r) => r.name))
  })

  it('renders only the rows in view out of 10,000', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => makeRow({ name: `key-${i}` }))
    const { wrapper } = await mountTable(rows)
    const table = wrapper.get('[role="table"]')
    expect(table.attributes('aria-rowcount')).toBe('10001')
    const rendered = table.findAll('[role="rowgroup"]')[1]!.findAll('[role="row"]')
    expect(rendered.length).toBeGreaterThan(5)
    expect(rendered.length).toBeLessThan(40)
    expect(rendered[0]!.attributes('aria-rowindex')).toBe('2')
  })

  it('shows the rows scrolled to, each placed at its own offset', async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) =>
      makeRow({ name: `key-${String(i).padStart(5, '0')}` })
    )
    const { wrapper } = await mountTable(rows)
    await vi.waitFor(() => expect(wrapper.findAll('.kt-body [role="row"]').length).toBe(13))
    const scroller = wrapper.get('[role="table"]').element as HTMLElement
    scroller.scrollTop = 48 * 5000
    scroller.dispatchEvent(new Event('scroll'))
    await flushPromises()
    const drawn = wrapper.findAll('.kt-body [role="row"]')
    const byIndex = drawn
      .map((row) => ({
        index: Number(row.attributes('aria-rowindex')) - 2,
        name: row.get('.kt-name').text(),
        y: (row.element as HTMLElement).style.transform
      }))
      .sort((a, b) => a.index - b.index)
    // Row 5000 sits under the header; the 3 spare rows on each side come with it.
    expect(byIndex[0]).toEqual({ index: 4997, name: 'key-04997', y: 'translateY(239856px)' })
    expect(byIndex.map((r) => r.index)).toEqual(Array.from({ length: 16 }, (_, i) => 4997 + i))
    expect(byIndex.every((r) => r.name === rows[r.index]!.name)).toBe(true)
    expect(byIndex.every((r) => r.y === `translateY(${r.index * 48}px)`)).toBe(true)
  })

  it('keeps the row of a key that stays on screen when the list shifts under it', async () => {
    const rows = Array.from({ length: 50 }, (_, i) =>
      makeRow({ name: `key-${String(i).padStart(2, '0')}` })
    )
    const { wrapper } = await mountTable(rows)
    const rowOf = (name: string) =>
      wrapper.findAll('.kt-body [role="row"]').find((r) => r.get('.kt-name').text() === name)!
    const before = { k02: rowOf('key-02').element, k01: rowOf('key-01').element }
    // key-01 filtered out: everything below it moves up one place.
    await wrapper.setProps({ rows: rows.filter((_, i) => i !== 1) })
    expect(rowOf('key-02').element).toBe(before.k02)
    expect(rowOf('key-02').attributes('aria-rowindex')).toBe('3')
    expect((rowOf('key-02').element as HTMLElement).style.transform).toBe('translateY(48px)')
    // The row key-01 had now shows a key that came into view at the bottom.
    expect(before.k01.isConnected).toBe(true)
    expect(before.k01.querySelector('.kt-name')!.textContent).not.toBe('key-01')
    // The DOM order follows the list, for assistive tech reading it in order.
    const order = wrapper.findAll('.kt-body [role="row"]').map((r) => r.attributes('aria-rowindex'))
    expect(order).toEqual([...order].sort((a, b) => Number(a) - Number(b)))
  })

  it('draws the rows in view first when keys arrive, and the spare rows once that frame is out', async () => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame', 'cancelAnimationFrame']
    })
    const rows = Array.from({ length: 10_000 }, (_, i) => makeRow({ name: `key-${i}` }))
    const { wrapper } = await mountTable(rows)
    const drawn = () => wrapper.findAll('.kt-body [role="row"]').length
    // The size arrives after layout (the fake ResizeObserver, a task later); no frame yet.
    await vi.advanceTimersByTimeAsync(1)
    // 480 px of scroller at 48 px a row, header included: the rows that show, no more.
    const inView = drawn()
    expect(inView).toBeGreaterThanOrEqual(9)
    expect(inView).toBeLessThanOrEqual(11)
    // The frame is out: the spare rows follow.
    await vi.advanceTimersByTimeAsync(40)
    expect(drawn()).toBe(inView + 3)
    // A new list (a keystroke in the search box) reuses them all, spares included.
    await wrapper.setProps({ rows: rows.filter((_, i) => i % 2 === 0) })
    expect(drawn()).toBe(inView + 3)
    // An emptied table filled again starts over: what shows first, spares after.
    await wrapper.setProps({ rows: [] })
    await wrapper.setProps({ rows })
    expect(drawn()).toBe(inView)
    await vi.advanceTimersByTimeAsync(40)
    expect(drawn()).toBe(inView + 3)
  })

  it('while loading, keeps its header and shows placeholder rows, announced as loading', async () => {
    const { wrapper } = await mountTable([])
    await wrapper.setProps({ rows: [], loading: true })
    const table = wrapper.get('[role="table"]')
    expect(table.attributes('aria-busy')).toBe('true')
    expect(table.findAll('[role="columnheader"]')).toHaveLength(9)
    expect(wrapper.get('[role="status"]').text()).toBe('Loading keys…')
    expect(wrapper.findAll('.sk-rows .kt-row').length).toBeGreaterThan(3)
    await wrapper.setProps({ rows: [makeRow({ name: 'arrived' })], loading: false })
    expect(table.attributes('aria-busy')).toBeUndefined()
    expect(wrapper.find('.sk-rows').exists()).toBe(false)
    expect(wrapper.find('[role="status"]').exists()).toBe(false)
    expect(table.text()).toContain('arrived')
  })
})

async function openMenu(name: string) {
  const trigger = byRole('table', 'API keys')[0]!.querySelector<HTMLElement>(
    `button[aria-label="Actions for ${name}"]`
  )!
  trigger.focus()
  trigger.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }))
  await flushPromises()
  return trigger
}

function menuItems(): string[] {
  return byRole('menuitem').map(accessibleName)
}

describe('row action menu', () => {
  it('opens from the keyboard with the exact items, Disable for an enabled key', async () => {
    await mountTable([makeRow({ name: 'website-search', enabled: true })])
    await openMenu('website-search')
    expect(byRole('menu')).toHaveLength(1)
    expect(menuItems()).toEqual([
      'Copy key',
      'Reveal key',
      'Use in playground',
      'Set expiry…',
      'Disable',
      'Rotate…',
      'Delete…'
    ])
    expect(byRole('menuitem', 'Delete…')[0]!.className).toContain('menu-item-danger')
    expect(document.querySelector('[role="menu"] [role="separator"]')).not.toBeNull()
  })

  it('opens and closes with clicks on the same button, and follows the button pressed', async () => {
    await mountTable([makeRow({ name: 'alpha' }), makeRow({ name: 'beta' })])
    const trigger = (name: string) =>
      document.querySelector<HTMLElement>(`button[aria-label="Actions for ${name}"]`)!
    trigger('alpha').click()
    await flushPromises()
    expect(byRole('menu').map(accessibleName)).toEqual(['Actions for alpha'])
    expect(trigger('alpha').getAttribute('aria-expanded')).toBe('true')
    trigger('beta').click()
    await flushPromises()
    expect(byRole('menu').map(accessibleName)).toEqual(['Actions for beta'])
    expect(trigger('alpha').getAttribute('aria-expanded')).toBe('false')
    trigger('beta').click()
    await flushPromises()
    expect(byRole('menu')).toHaveLength(0)
  })

  it('offers Enable for a disabled key', async () => {
    await mountTable([makeRow({ name: 'old-widget', enabled: false })])
    await openMenu('old-widget')
    expect(menuItems()).toContain('Enable')
    expect(menuItems()).not.toContain('Disable')
  })

  it('closes on Escape without acting, and gives focus back to the trigger', async () => {
    const { wrapper, invoke } = await mountTable([makeRow({ name: 'website-search' })])
    const trigger = await openMenu('website-search')
    const calls = invoke.mock.calls.length
    document
      .querySelector('[role="menu"]')!
      .dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))
    await flushPromises()
    await new Promise((r) => setTimeout(r, 0))
    expect(byRole('menu')).toHaveLength(0)
    expect(invoke.mock.calls.length).toBe(calls)
    expect(wrapper.emitted('action')).toBeUndefined()
    expect(document.activeElement).toBe(trigger)
  })

  it('hands Copy, Disable, Rotate, Delete and playground up to the view', async () => {
    const row = makeRow({ name: 'website-search' })
    const { wrapper } = await mountTable([row])
    for (const item of ['Copy key', 'Disable', 'Rotate…', 'Delete…', 'Use in playground']) {
      await openMenu('website-search')
      byRole('menuitem', item)[0]!.click()
      await flushPromises()
    }
    expect(wrapper.emitted('action')!.map(([action]) => action)).toEqual([
      'copy',
      'toggle',
      'rotate',
      'delete',
      'playground'
    ])
  })

  it('reveals the secret in the row, counts down, and hides it after hideAfterMs', async () => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date']
    })
    const row = makeRow({ name: 'website-search' })
    const { wrapper, invoke } = await mountTable([row], {
      'keys.revealSecret': () => ({ secret: 'zqt_the_real_secret_value_42', hideAfterMs: 30_000 })
    })
    await openMenu('website-search')
    byRole('menuitem', 'Reveal key')[0]!.click()
    await flushPromises()
    expect(invoke).toHaveBeenLastCalledWith('keys.revealSecret', {
      accountId: 'acc_1',
      keyId: row.id
    })
    const secret = () => wrapper.find('[data-testid="revealed-secret"]')
    expect(secret().text()).toBe('zqt_the_real_secret_value_42')
    expect(wrapper.find('.revealed').text()).toContain('30 s')
    await vi.advanceTimersByTimeAsync(10_000)
    expect(wrapper.find('.revealed').text()).toContain('20 s')
    await vi.advanceTimersByTimeAsync(20_000)
    expect(secret().exists()).toBe(false)
    expect(wrapper.text()).toContain('zqt_…Ab3d')
    expect(wrapper.text()).not.toContain('the_real_secret')
  })

  it('updates the rows on screen in place for a new list, dropping a secret it showed', async () => {
    const first = makeRow({ name: 'website-search' })
    const second = makeRow({ name: 'ingest', kind: 'index' })
    const { wrapper } = await mountTable([first, second], {
      'keys.revealSecret': () => ({ secret: 'zqt_recycled_row_secret_1', hideAfterMs: 30_000 })
    })
    const rowElement = () => wrapper.get('.kt-body [role="row"]').element
    const before = rowElement()
    await openMenu('website-search')
    byRole('menuitem', 'Reveal key')[0]!.click()
    await flushPromises()
    expect(wrapper.text()).toContain('zqt_recycled_row_secret_1')
    // A search swaps the first key for one not on screen before: it takes over the first key's
    // row, the same element, now showing it...
    const third = makeRow({ name: 'analytics' })
    await wrapper.setProps({ rows: [third, second] })
    expect(rowElement()).toBe(before)
    expect(before.textContent).toContain('analytics')
    // ...and the first key's secret went with the first key.
    expect(document.body.textContent).not.toContain('zqt_recycled_row_secret_1')
  })

  it('shows nothing when the row changed hands while the secret was on its way', async () => {
    const first = makeRow({ name: 'website-search' })
    const second = makeRow({ name: 'ingest', kind: 'index' })
    let answer: (value: { secret: string; hideAfterMs: number }) => void = () => {}
    const { wrapper } = await mountTable([first, second], {
      'keys.revealSecret': () => new Promise((resolve) => (answer = resolve))
    })
    await openMenu('website-search')
    byRole('menuitem', 'Reveal key')[0]!.click()
    await flushPromises()
    // Another key takes over the row that asked.
    await wrapper.setProps({ rows: [makeRow({ name: 'analytics' }), second] })
    answer({ secret: 'zqt_late_answer_for_first', hideAfterMs: 30_000 })
    await flushPromises()
    expect(document.body.textContent).not.toContain('zqt_late_answer_for_first')
    expect(wrapper.find('[data-testid="revealed-secret"]').exists()).toBe(false)
  })

  it('asks to paste the secret of the key that was revealed, even if its row changed hands', async () => {
    const first = makeRow({ name: 'website-search' })
    const second = makeRow({ name: 'ingest', kind: 'index' })
    let refuse: (error: AppError) => void = () => {}
    const { wrapper } = await mountTable([first, second], {
      'keys.revealSecret': () => new Promise((_resolve, reject) => (refuse = reject))
    })
    await openMenu('website-search')
    byRole('menuitem', 'Reveal key')[0]!.click()
    await flushPromises()
    // Another key takes over the row that asked.
    await wrapper.setProps({ rows: [makeRow({ name: 'analytics' }), second] })
    refuse(new AppError('SECRET_UNKNOWN', 'Unknown secret'))
    await flushPromises()
    const [action, row] = wrapper.emitted('action')!.at(-1)! as [string, { id: string }]
    expect(action).toBe('paste')
    expect(row.id).toBe(first.id)
  })

  it('closes an open menu when its key moves or leaves its place, and only then', async () => {
    const first = makeRow({ name: 'website-search' })
    const second = makeRow({ name: 'ingest', kind: 'index' })
    const { wrapper } = await mountTable([first, second])
    await openMenu('website-search')
    expect(menuItems().length).toBeGreaterThan(0)
    // The same key in the same row, as a new object (a propagation update): the menu stays.
    await wrapper.setProps({ rows: [{ ...first, enabled: false }, second] })
    await flushPromises()
    expect(menuItems()).toContain('Enable')
    // A key added above it moves it down a row, away from the menu: the menu goes.
    const added = makeRow({ name: 'alpha-first' })
    await wrapper.setProps({ rows: [added, { ...first, enabled: false }, second] })
    await flushPromises()
    expect(menuItems()).toEqual([])
  })

  it('hides a revealed secret at once with the Hide button', async () => {
    await mountTable([makeRow({ name: 'website-search' })], {
      'keys.revealSecret': () => ({ secret: 'zqt_hidden_soon_123456', hideAfterMs: 30_000 })
    })
    await openMenu('website-search')
    byRole('menuitem', 'Reveal key')[0]!.click()
    await flushPromises()
    const hide = [...document.querySelectorAll('button')].find(
      (b) => b.textContent?.trim() === 'Hide'
    )!
    hide.click()
    await flushPromises()
    expect(document.body.textContent).not.toContain('zqt_hidden_soon')
  })

  it('asks for the secret when the app does not hold it, and explains other failures', async () => {
    let code: 'SECRET_UNKNOWN' | 'KEYCHAIN_UNAVAILABLE' = 'SECRET_UNKNOWN'
    const { wrapper } = await mountTable([makeRow({ name: 'website-search' })], {
      'keys.revealSecret': () => {
        throw new AppError(code, code === 'SECRET_UNKNOWN' ? 'Unknown secret' : 'No keychain')
      }
    })
    await openMenu('website-search')
    byRole('menuitem', 'Reveal key')[0]!.click()
    await flushPromises()
    expect(wrapper.emitted('action')!.map(([a]) => a)).toEqual(['paste'])
    code = 'KEYCHAIN_UNAVAILABLE'
    await openMenu('website-search')
    byRole('menuitem', 'Reveal key')[0]!.click()
    await flushPromises()
    expect(useToastsStore().toasts.at(-1)).toMatchObject({ tone: 'error', detail: 'No keychain' })
  })
})
