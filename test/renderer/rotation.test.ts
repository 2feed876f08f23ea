import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Rotation, RotationPlan, RotationStep } from '@shared/contract/rotations'
import { AppError } from '@shared/errors'
import { createRotationsClient } from '@renderer/api/rotationsClient'
import RotateKeyDialog from '@renderer/components/rotation/RotateKeyDialog.vue'
import RotationProgress from '@renderer/components/rotation/RotationProgress.vue'
import RotationsBanner from '@renderer/components/rotation/RotationsBanner.vue'
import KeyActionsMenu from '@renderer/components/keys/KeyActionsMenu.vue'
import { useRotationsStore } from '@renderer/stores/rotations'
import type { MockHandlers } from './mockBridge'
import {
  accessibleName,
  byRole,
  isChecked,
  makeList,
  makeRow,
  NOW,
  production,
  radiosIn,
  setup
} from './fixtures'

enableAutoUnmount(afterEach)
afterEach(() => {
  delete (globalThis as { api?: unknown }).api
})

const oldRow = makeRow({ id: 'aky_old', name: 'website-search', corpora: ['docs'] })

function plan(overrides: Partial<RotationPlan> = {}): RotationPlan {
  return {
    accountId: 'acc_1',
    oldKey: {
      id: 'aky_old',
      name: 'website-search',
      kind: 'query',
      enabled: true,
      corpora: ['docs'],
      maskedSecret: 'zqt_…Ab3d',
      lastUsedAt: null,
      accountCredential: false
    },
    defaultNewName: 'website-search (rotated 2025-06-02)',
    newKinds: ['query'],
    files: { scanned: false, locations: [] },
    activeRotationId: null,
    ...overrides
  }
}

const steps = (states: Partial<Record<RotationStep['name'], Partial<RotationStep>>>) =>
  (['create', 'swap', 'verify', 'disable', 'delete'] as const).map((name): RotationStep => ({
    name,
    state: 'pending',
    attempts: 0,
    ...states[name]
  }))

function rotation(overrides: Partial<Rotation> = {}): Rotation {
  return {
    id: 'rot_1',
    accountId: 'acc_1',
    oldKey: {
      id: 'aky_old',
      name: 'website-search',
      kind: 'query',
      corpora: ['docs'],
      maskedSecret: 'zqt_…Ab3d'
    },
    newKey: {
      id: 'aky_new',
      name: 'website-search (rotated 2025-06-02)',
      kind: 'query',
      corpora: ['docs'],
      maskedSecret: 'zqt_…Zz99',
      secretStored: true
    },
    accountCredential: false,
    disableOld: 'on_confirm',
    deleteOld: 'after_7d',
    status: 'active',
    steps: steps({
      create: { state: 'done', doneAt: NOW },
      swap: { state: 'waiting', waitingFor: 'confirm' },
      verify: { state: 'done', doneAt: NOW, outcome: 'confirmed' },
      disable: { state: 'waiting', waitingFor: 'confirm' }
    }),
    startedAt: NOW,
    updatedAt: NOW,
    finishedAt: null,
    extras: {},
    asOf: NOW,
    ...overrides
  }
}

function button(root: ParentNode, name: string | RegExp): HTMLButtonElement {
  const found = [...root.querySelectorAll<HTMLButtonElement>('button')].find((b) =>
    typeof name === 'string' ? accessibleName(b) === name : name.test(accessibleName(b))
  )
  if (!found) throw new Error(`no button named ${String(name)}`)
  return found
}

const stepsList = (): HTMLElement | null =>
  document.body.querySelector('ol[aria-label="Steps of rotating website-search"]')

async function ready(handlers: MockHandlers = {}) {
  const ctx = setup({
    'accounts.list': () => ({ accounts: [production], currentId: 'acc_1' }),
    'keys.list': () => makeList([oldRow]),
    'keys.refresh': () => makeList([oldRow]),
    'corpora.list': () => ({
      corpora: [
        { key: 'docs', name: 'Product docs' },
        { key: 'faq', name: 'FAQ' }
      ]
    }),
    'rotations.list': () => ({ rotations: [] }),
    ...handlers
  })
  const rotations = useRotationsStore()
  rotations.useClient(createRotationsClient(ctx.bridge))
  await ctx.accounts.load()
  await ctx.keys.open('acc_1')
  await rotations.open('acc_1')
  return { ...ctx, rotations }
}

describe('the Rotate dialog', () => {
  async function openDialog(handlers: MockHandlers = {}, row = oldRow) {
    const ctx = await ready({ 'rotations.plan': () => plan(), ...handlers })
    const wrapper = mount(RotateKeyDialog, { props: { row }, attachTo: document.body })
    await flushPromises()
    return { ...ctx, wrapper, dialog: byRole('dialog')[0]! }
  }

  it('lays out the plan before anything happens', async () => {
    const { dialog, invoke } = await openDialog()
    expect(dialog.querySelector('h2')!.textContent).toBe('Rotate website-search')
    expect(dialog.textContent).toContain('Query')
    expect(dialog.textContent).toContain('never, from this app')
    expect(dialog.textContent).toContain('Files on this machine')
    expect(dialog.textContent).toContain('Not scanned')
    const name = dialog.querySelector<HTMLInputElement>('#rk-name')!
    expect(accessibleName(name)).toBe('Name')
    expect(name.value).toBe('website-search (rotated 2025-06-02)')
    // The old key's corpora, kept unless the user asks for the picker.
    const corporaGroup = [...dialog.querySelectorAll<HTMLElement>('[role="group"]')].find(
      (g) => accessibleName(g) === 'Corpora'
    )!
    expect(corporaGroup.textContent).toContain('docs')
    expect(dialog.textContent).toContain('rotating is how you change them')
    button(corporaGroup, 'Change corpora').click()
    await flushPromises()
    const picker = dialog.querySelector<HTMLElement>('#rk-corpora')!
    expect(picker.getAttribute('role')).toBe('combobox')
    expect(accessibleName(picker)).toBe('Corpora')
    await vi.waitFor(() => expect(document.activeElement).toBe(picker))
    const groups = [...dialog.querySelectorAll<HTMLElement>('[role="radiogroup"]')]
    expect(groups.map(accessibleName)).toEqual([
      'Expires',
      'Disable the old key',
      'Delete the old key'
    ])
    const radios = (group: HTMLElement) =>
      radiosIn(group).map((r) => `${accessibleName(r)}${isChecked(r) ? ' *' : ''}`)
    // The new key's expiry (issue 13): none unless chosen.
    expect(radios(groups[0]!)).toEqual(['Never *', '30 days', '90 days', '365 days', 'On a date'])
    expect(radios(groups[1]!)).toEqual(['Now', 'In 1 hour', 'In 24 hours', 'When I confirm *'])
    expect(radios(groups[2]!)).toEqual([
      '7 days after it is blocked *',
      '1 day after it is blocked',
      'Never'
    ])
    expect(button(dialog, 'Start rotation').type).toBe('submit')
    expect(invoke.mock.calls.map((c) => c[0])).not.toContain('rotations.start')
  })

  it('lists the files the scanner found, masked', async () => {
    const { dialog } = await openDialog({
      'rotations.plan': () =>
        plan({
          files: {
            scanned: true,
            locations: [
              { findingId: 'f1', path: '/home/me/app/.env', line: 3, maskedValue: 'zqt_…Ab3d' }
            ]
          }
        })
    })
    expect(dialog.textContent).toContain('/home/me/app/.env')
    expect(dialog.textContent).toContain('line 3')
  })

  it('starts with the choices made and then shows the steps', async () => {
    const started = rotation()
    const { dialog, invoke } = await openDialog({
      'rotations.start': () => ({ rotation: started })
    })
    const group = (name: string) =>
      [...dialog.querySelectorAll<HTMLElement>('[role="radiogroup"]')].find(
        (g) => accessibleName(g) === name
      )!
    const radio = (groupName: string, name: string) =>
      radiosIn(group(groupName)).find((r) => accessibleName(r) === name)!
    radio('Expires', '90 days').click()
    radio('Disable the old key', 'Now').click()
    radio('Delete the old key', 'Never').click()
    await flushPromises()
    const before = Date.now()
    button(dialog, 'Start rotation').click()
    await flushPromises()
    const sent = invoke.mock.calls.find((c) => c[0] === 'rotations.start')![1] as Record<
      string,
      unknown
    >
    expect(sent).toEqual({
      accountId: 'acc_1',
      keyId: 'aky_old',
      newName: 'website-search (rotated 2025-06-02)',
      corpusKeys: ['docs'],
      disableOld: 'now',
      deleteOld: 'never',
      expiresAt: expect.any(Number),
      disableAtExpiry: false
    })
    // The end of the local day 90 days from now.
    const days = ((sent.expiresAt as number) - before) / 86_400_000
    expect(days).toBeGreaterThan(90)
    expect(days).toBeLessThanOrEqual(91)
    const list = stepsList()
    expect(list).not.toBeNull()
    expect(list!.textContent).toContain('Serving since')
  })

  it('asks for the date when "On a date" has none, and starts nothing', async () => {
    const { dialog, invoke } = await openDialog({})
    const expires = [...dialog.querySelectorAll<HTMLElement>('[role="radiogroup"]')].find(
      (g) => accessibleName(g) === 'Expires'
    )!
    radiosIn(expires)
      .find((r) => accessibleName(r) === 'On a date')!
      .click()
    await flushPromises()
    button(dialog, 'Start rotation').click()
    await flushPromises()
    expect(dialog.querySelector('#rk-expiry-choice-error')!.textContent).toContain('Choose a date')
    expect(invoke.mock.calls.map((c) => c[0])).not.toContain('rotations.start')
  })

  it('an Index key may become a Query key: "Access" offers both, and the choice is sent', async () => {
    const indexPlan = () =>
      plan({
        oldKey: { ...plan().oldKey, kind: 'index' },
        newKinds: ['index', 'query']
      })
    const { dialog, invoke } = await openDialog({
      'rotations.plan': indexPlan,
      'rotations.start': () => ({ rotation: rotation() })
    })
    const access = [...dialog.querySelectorAll<HTMLElement>('[role="radiogroup"]')].find(
      (g) => accessibleName(g) === 'Access'
    )!
    const options = radiosIn(access)
    expect(options.map((r) => `${accessibleName(r)}${isChecked(r) ? ' *' : ''}`)).toEqual([
      'Index, as the old key *',
      'Query only (read-only)'
    ])
    expect(dialog.textContent).toContain('cannot add or delete documents')
    options[1]!.click()
    await flushPromises()
    button(dialog, 'Start rotation').click()
    await flushPromises()
    const sent = invoke.mock.calls.find((c) => c[0] === 'rotations.start')![1]
    expect(sent).toMatchObject({ keyId: 'aky_old', newKind: 'query' })
  })

  it('starts on the kind a link asked for', async () => {
    const ctx = await ready({
      'rotations.plan': () =>
        plan({ oldKey: { ...plan().oldKey, kind: 'index' }, newKinds: ['index', 'query'] })
    })
    mount(RotateKeyDialog, {
      props: { row: oldRow, suggestedKind: 'query' },
      attachTo: document.body
    })
    await flushPromises()
    const dialog = byRole('dialog')[0]!
    const checked = radiosIn(dialog).find(isChecked)!
    expect(accessibleName(checked)).toBe('Query only (read-only)')
    expect(ctx.invoke).toHaveBeenCalledWith('rotations.plan', expect.anything())
  })

  it('puts a refused name beside the Name field', async () => {
    const { dialog } = await openDialog({
      'rotations.start': () => {
        throw new AppError('BAD_INPUT', 'A key named "x" exists already.', {
          fieldErrors: { newName: 'A key named "x" exists already.' }
        })
      }
    })
    button(dialog, 'Start rotation').click()
    await flushPromises()
    expect(dialog.querySelector('#rk-name-error')!.textContent).toContain('exists already')
  })

  it('a Personal key: no corpora, and the app’s own key says how it is switched', async () => {
    const personal = makeRow({ id: 'aky_old', name: 'admin', kind: 'personal', corpora: [] })
    const { dialog, invoke } = await openDialog(
      {
        'rotations.plan': () =>
          plan({
            oldKey: {
              ...plan().oldKey,
              name: 'admin',
              kind: 'personal',
              corpora: [],
              accountCredential: true
            },
            defaultNewName: 'admin (rotated 2025-06-02)'
          }),
        'rotations.start': () => ({ rotation: rotation() })
      },
      personal
    )
    expect(dialog.querySelector('#rk-corpora')).toBeNull()
    expect(dialog.textContent).toContain('only then disables this one')
    button(dialog, 'Start rotation').click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith(
      'rotations.start',
      expect.objectContaining({ corpusKeys: [], newName: 'admin (rotated 2025-06-02)' })
    )
  })

  it('a key being rotated already: says so and offers that rotation', async () => {
    const { dialog } = await openDialog({
      'rotations.plan': () =>
        plan({ activeRotationId: 'rot_1', refusal: '"website-search" is already being rotated.' }),
      'rotations.list': () => ({ rotations: [rotation()] })
    })
    expect(dialog.querySelector('[role="alert"]')!.textContent).toContain('already being rotated')
    button(dialog, 'Show that rotation').click()
    await flushPromises()
    expect(stepsList()).not.toBeNull()
  })
})

describe('the steps', () => {
  async function show(
    r: Rotation,
    handlers: MockHandlers = {},
    oneTimeSecret?: { secret: string }
  ) {
    const ctx = await ready({ 'rotations.list': () => ({ rotations: [r] }), ...handlers })
    const wrapper = mount(RotationProgress, {
      props: { rotation: r, oneTimeSecret },
      attachTo: document.body
    })
    await flushPromises()
    return { ...ctx, wrapper, root: wrapper.element as HTMLElement }
  }

  it('shows each step with its state, and "Blocked since" once the old key is refused', async () => {
    const at = new Date(NOW).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' })
    const { root } = await show(
      rotation({
        steps: steps({
          create: { state: 'done' },
          swap: { state: 'done' },
          verify: { state: 'done', doneAt: NOW, outcome: 'confirmed' },
          disable: { state: 'done', doneAt: NOW, outcome: 'confirmed' },
          delete: { state: 'waiting', waitingFor: 'time', dueAt: NOW + 7 * 86_400_000 }
        })
      })
    )
    const items = [...root.querySelectorAll<HTMLElement>('li')]
    expect(items.map((i) => i.getAttribute('aria-label'))).toEqual([
      'Step 1: Create the new key',
      'Step 2: Swap it in',
      'Step 3: Check that the new key serves',
      'Step 4: Disable the old key',
      'Step 5: Delete the old key'
    ])
    expect(items[2]!.textContent).toContain(`Serving since ${at}`)
    expect(items[3]!.textContent).toContain(`Blocked since ${at}`)
    expect(items[4]!.textContent).toContain('Ready on')
  })

  it('a failed step says why and Retry runs it again', async () => {
    const failed = rotation({
      steps: steps({
        create: { state: 'done' },
        verify: {
          state: 'failed',
          attempts: 1,
          error: { code: 'NETWORK_ERROR', message: 'Could not reach the API.', at: NOW }
        }
      })
    })
    const { root, invoke } = await show(failed, {
      'rotations.retry': () => ({ rotation: rotation() })
    })
    expect(root.querySelector('[role="alert"]')!.textContent).toContain('Could not reach the API.')
    button(root, 'Retry').click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('rotations.retry', { id: 'rot_1' })
  })

  it('hands a secret the keychain refused over once', async () => {
    const { root } = await show(rotation(), {}, { secret: 'zqt_only_once_for_you_123' })
    expect(root.querySelector('[data-testid="one-time-secret"]')!.textContent).toBe(
      'zqt_only_once_for_you_123'
    )
  })

  it('"When I confirm": Disable the old key asks main', async () => {
    const { root, invoke } = await show(rotation(), {
      'rotations.confirmDisable': () => rotation()
    })
    button(root, 'Disable the old key').click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('rotations.confirmDisable', { id: 'rot_1' })
  })

  it('after the grace period, asks once more with the name shown, then deletes', async () => {
    const due = rotation({
      steps: steps({
        create: { state: 'done' },
        swap: { state: 'done' },
        verify: { state: 'done', outcome: 'confirmed', doneAt: NOW },
        disable: { state: 'done', outcome: 'confirmed', doneAt: NOW },
        delete: { state: 'waiting', waitingFor: 'confirm' }
      })
    })
    const { root, invoke } = await show(due, {
      'rotations.confirmDelete': () => ({ ...due, status: 'finished' as const })
    })
    expect(root.textContent).toContain('Ready to delete website-search')
    button(root, 'Delete website-search…').click()
    await flushPromises()
    const confirm = byRole('alertdialog')[0]!
    expect(confirm.textContent).toContain('website-search')
    expect(confirm.textContent).toContain('permanent')
    button(confirm, 'Delete key').click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('rotations.confirmDelete', {
      id: 'rot_1',
      keyName: 'website-search'
    })
  })

  it('Replace in files sends finding ids only, and reports what was skipped', async () => {
    const { root, invoke } = await show(rotation(), {
      'rotations.findings': () => ({
        scanned: true,
        locations: [
          { findingId: 'f1', path: '/srv/app/.env', line: 2, maskedValue: 'zqt_…Ab3d' },
          { findingId: 'f2', path: '/srv/ro/.env', line: 1, maskedValue: 'zqt_…Ab3d' }
        ]
      }),
      'rotations.replaceInFiles': () => ({
        replaced: [{ findingId: 'f1', path: '/srv/app/.env', line: 2, occurrences: 1 }],
        skipped: [{ findingId: 'f2', path: '/srv/ro/.env', reason: 'The file is read-only' }]
      })
    })
    expect(root.textContent).toContain('/srv/app/.env')
    button(root, 'Replace in files').click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('rotations.replaceInFiles', {
      id: 'rot_1',
      findingIds: ['f1', 'f2']
    })
    expect(root.textContent).toContain('Replaced in 1 place.')
    expect(root.textContent).toContain('/srv/ro/.env: The file is read-only')
  })

  it('copies the new key through main', async () => {
    const { root, invoke } = await show(rotation(), {
      'rotations.findings': () => ({ scanned: false, locations: [] }),
      'keys.copySecret': () => ({ clearsAfterMs: 30_000 })
    })
    button(root, 'Copy new key').click()
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('keys.copySecret', { accountId: 'acc_1', keyId: 'aky_new' })
  })
})

describe('the rotations store and banner', () => {
  it('follows main’s events, keeps the newest state, and counts what is in progress', async () => {
    const { emit } = await ready({ 'rotations.list': () => ({ rotations: [rotation()] }) })
    const wrapper = mount(RotationsBanner, { attachTo: document.body })
    await flushPromises()
    expect(wrapper.text()).toContain('1 rotation in progress')
    const due = rotation({
      updatedAt: NOW + 10,
      steps: steps({ delete: { state: 'waiting', waitingFor: 'confirm' } })
    })
    emit('rotations.changed', { rotation: due })
    // An older state arriving late is ignored.
    emit('rotations.changed', { rotation: rotation({ updatedAt: NOW - 10 }) })
    await flushPromises()
    expect(wrapper.text()).toContain('Ready to delete website-search')
    emit('rotations.changed', {
      rotation: rotation({
        id: 'rot_2',
        updatedAt: NOW + 20,
        oldKey: { ...rotation().oldKey, id: 'k2', name: 'other' }
      })
    })
    await flushPromises()
    expect(wrapper.text()).toContain('2 rotations in progress')
    emit('rotations.changed', { rotation: { ...due, status: 'finished', updatedAt: NOW + 30 } })
    await flushPromises()
    expect(wrapper.text()).toContain('1 rotation in progress')
    // Another account's rotation is not this list's.
    emit('rotations.changed', { rotation: rotation({ id: 'rot_x', accountId: 'acc_2' }) })
    await flushPromises()
    expect(useRotationsStore().rotations.map((r) => r.id)).not.toContain('rot_x')
  })
})

describe('the row menu', () => {
  it('offers Rotate… for Query, Index and Personal keys, not for a kind the app does not know', async () => {
    await ready()
    for (const [kind, offered] of [
      ['query', true],
      ['index', true],
      ['personal', true],
      ['unknown', false]
    ] as const) {
      const anchor = document.createElement('button')
      document.body.append(anchor)
      const wrapper = mount(KeyActionsMenu, {
        props: { row: makeRow({ kind }), anchor, open: true },
        attachTo: document.body
      })
      await flushPromises()
      const items = byRole('menuitem').map(accessibleName)
      expect(items.includes('Rotate…'), kind).toBe(offered)
      wrapper.unmount()
      anchor.remove()
    }
    vi.useRealTimers()
  })
})
