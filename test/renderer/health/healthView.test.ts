import { flushPromises, mount } from '@vue/test-utils'
import { describe, expect, it, vi } from 'vitest'
import { createMemoryHistory, createRouter } from 'vue-router'
import type { Finding, HealthReport } from '@shared/contract/health'
import HealthView from '@renderer/views/HealthView.vue'
import { routes } from '@renderer/router'
import type { MockHandlers } from '../mockBridge'
import {
  accessibleName,
  byRole,
  callNames,
  useViewTestEnvironment,
  makeList,
  makeRow,
  NOW,
  production,
  sandbox,
  setup
} from '../fixtures'

useViewTestEnvironment()

function finding(overrides: Partial<Finding>): Finding {
  return {
    id: `stale:${overrides.keyId ?? 'aky_1'}`,
    rule: 'stale',
    severity: 'low',
    accountId: 'acc_1',
    accountName: 'Production',
    keyId: 'aky_1',
    keyName: 'website-search',
    keyKind: 'query',
    keyEnabled: true,
    corpusKey: null,
    corpusName: null,
    title: 'Not used in 45 days',
    why: 'An unused Query key that still works is risk with no benefit.',
    fixes: [{ action: 'disable' }, { action: 'delete' }],
    ...overrides
  }
}

function report(findings: Finding[], dismissed: Finding[] = []): HealthReport {
  const counts = { high: 0, medium: 0, low: 0 }
  for (const f of findings) counts[f.severity]++
  return { accountId: 'acc_1', findings, dismissed, counts, keysChecked: 12, evaluatedAt: NOW }
}

const site = makeRow({ id: 'aky_1', name: 'website-search' })
const admin = makeRow({ id: 'aky_2', name: 'admin', kind: 'personal' })

/** What main answers to health.findings; a test changes it to play a fix taking effect. */
let current: HealthReport

async function mountView(initial: HealthReport, handlers: MockHandlers = {}) {
  current = initial
  const ctx = setup({
    'accounts.list': () => ({ accounts: [sandbox, production], currentId: 'acc_1' }),
    'health.findings': () => current,
    'keys.refresh': () => makeList([site, admin]),
    'keys.list': () => makeList([site, admin]),
    'corpora.list': () => ({ corpora: [{ key: 'docs', name: 'Docs' }] }),
    ...handlers
  })
  const router = createRouter({ history: createMemoryHistory(), routes })
  await router.push('/health')
  const wrapper = mount(HealthView, { global: { plugins: [router] }, attachTo: document.body })
  await vi.waitFor(() => expect(callNames(ctx.invoke)).toContain('corpora.list'))
  await flushPromises()
  return { ...ctx, wrapper, router }
}

/** Each finding's name: its heading's label, which the list item is labelled by. */
const items = () =>
  [...document.querySelectorAll<HTMLElement>('[aria-label="Findings"] [data-finding]')].map((li) =>
    document.getElementById(li.getAttribute('aria-labelledby')!)!.getAttribute('aria-label')
  )

describe('HealthView', () => {
  const three = report([
    finding({
      id: 'personalForQueries:aky_2',
      rule: 'personalForQueries',
      severity: 'high',
      keyId: 'aky_2',
      keyName: 'admin',
      keyKind: 'personal',
      title: 'Personal key used for queries',
      fixes: [{ action: 'createQueryKey', corpusKeys: ['docs'] }]
    }),
    finding({
      id: 'expiry:aky_1',
      rule: 'expiry',
      severity: 'medium',
      title: 'Expires in 10 days',
      fixes: [{ action: 'rotate' }, { action: 'extend' }]
    }),
    finding({})
  ])

  it('groups findings by severity with counts, each naming its key and account with its fixes', async () => {
    const { wrapper } = await mountView(three)
    expect(wrapper.get('h1').text()).toBe('Health')
    expect(wrapper.findAll('ul[aria-label="Findings"]')).toHaveLength(1)
    expect(wrapper.findAll('h3').map((h) => h.text().replace(/\s+/g, ' '))).toEqual([
      'High 1',
      'Medium 1',
      'Low 1'
    ])
    expect(items()).toEqual([
      'admin: Personal key used for queries',
      'website-search: Expires in 10 days',
      'website-search: Not used in 45 days'
    ])
    const first = wrapper.get('[data-finding="personalForQueries:aky_2"]')
    expect(first.text()).toContain('Account Production')
    expect(first.findAll('button').map((b) => b.text())).toEqual(['Create a Query key', 'Dismiss'])
    const second = wrapper.get('[data-finding="expiry:aky_1"]')
    expect(second.findAll('button').map((b) => b.text())).toEqual(['Rotate…', 'Extend', 'Dismiss'])
    // The buttons say which finding they fix to a screen reader.
    const headingId = second.get('h4').attributes('id')
    expect(second.get('button').attributes('aria-describedby')).toBe(headingId)
    const tiles = byRole('group', 'Open findings by severity')[0]!
    expect([...tiles.children].map((tile) => accessibleName(tile as HTMLElement))).toEqual([
      '1 High',
      '1 Medium',
      '1 Low',
      '12 keys checked'
    ])
  })

  it('says "No risky keys" when every key passes', async () => {
    const { wrapper } = await mountView(report([]))
    expect(wrapper.text()).toContain('No risky keys')
    expect(wrapper.text()).toContain('12 keys pass every check')
    expect(wrapper.findAll('ul[aria-label="Findings"]')).toHaveLength(0)
  })

  it('disables a key from its finding, then checks again', async () => {
    const { wrapper, invoke } = await mountView(report([finding({})]), {
      'keys.setEnabled': ({ keyId, enabled }) => {
        current = report([])
        return { ...site, id: keyId, enabled }
      }
    })
    const before = callNames(invoke).filter((n) => n === 'health.findings').length
    await wrapper.get('[data-finding="stale:aky_1"] button').trigger('click')
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('keys.setEnabled', {
      accountId: 'acc_1',
      keyId: 'aky_1',
      enabled: false
    })
    expect(callNames(invoke).filter((n) => n === 'health.findings').length).toBe(before + 1)
    expect(wrapper.text()).toContain('No risky keys')
  })

  it(
    'sends Rotate… to the key in the Keys view, for rotation to take over',
    { timeout: 20_000 },
    async () => {
      const { wrapper, router } = await mountView(three)
      const rotate = wrapper
        .get('[data-finding="expiry:aky_1"]')
        .findAll('button')
        .find((b) => b.text() === 'Rotate…')!
      await rotate.trigger('click')
      // The Keys view is a lazy chunk: compiling it can take seconds on a busy machine.
      await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/keys'), {
        timeout: 15_000
      })
      expect(router.currentRoute.value.query).toEqual({ account: 'acc_1', rotate: 'aky_1' })
    }
  )

  it(
    'sends "Rotate to a Query key…" to the Keys view with the new kind asked for',
    { timeout: 20_000 },
    async () => {
      const { wrapper, router } = await mountView(
        report([
          finding({
            id: 'indexForQueries:aky_3',
            rule: 'indexForQueries',
            severity: 'medium',
            keyId: 'aky_3',
            keyName: 'ingest',
            keyKind: 'index',
            title: 'Index key used only for queries',
            fixes: [
              { action: 'rotate', newKind: 'query' },
              { action: 'createQueryKey', corpusKeys: ['docs'] }
            ]
          })
        ])
      )
      const item = wrapper.get('[data-finding="indexForQueries:aky_3"]')
      expect(item.findAll('button').map((b) => b.text())).toEqual([
        'Rotate to a Query key…',
        'Create a Query key',
        'Dismiss'
      ])
      await item.findAll('button')[0]!.trigger('click')
      await vi.waitFor(() => expect(router.currentRoute.value.path).toBe('/keys'), {
        timeout: 15_000
      })
      expect(router.currentRoute.value.query).toEqual({
        account: 'acc_1',
        rotate: 'aky_3',
        as: 'query'
      })
    }
  )

  it('asks why before dismissing, and sends the reason', async () => {
    const { wrapper, invoke } = await mountView(three, {
      'health.dismiss': ({ findingId }) => ({ findingId })
    })
    const dismiss = wrapper
      .get('[data-finding="stale:aky_1"]')
      .findAll('button')
      .find((b) => b.text() === 'Dismiss')!
    await dismiss.trigger('click')
    await flushPromises()
    const dialog = byRole('dialog')[0]!
    expect(accessibleName(dialog)).toContain('Dismiss “website-search: Not used in 45 days”')
    const input = dialog.querySelector<HTMLInputElement>('#dismiss-reason')!
    input.value = 'Kept for the launch'
    input.dispatchEvent(new Event('input'))
    dialog.querySelector('form')!.dispatchEvent(new Event('submit'))
    await flushPromises()
    expect(invoke).toHaveBeenCalledWith('health.dismiss', {
      accountId: 'acc_1',
      findingId: 'stale:aky_1',
      reason: 'Kept for the launch'
    })
  })

  it('shows the first 50 of a long group and the rest on request', async () => {
    const many = Array.from({ length: 120 }, (_, i) =>
      finding({ id: `stale:k${i}`, keyId: `k${i}`, keyName: `key-${i}` })
    )
    const { wrapper } = await mountView(report(many))
    expect(items()).toHaveLength(50)
    const more = wrapper.findAll('button').find((b) => b.text() === 'Show all 120 low')!
    await more.trigger('click')
    expect(items()).toHaveLength(120)
  })
})

describe('HealthView fixes that open the Keys dialogs', () => {
  it('Delete… opens the delete confirmation for that key', async () => {
    const { wrapper } = await mountView(report([finding({})]))
    const del = wrapper
      .get('[data-finding="stale:aky_1"]')
      .findAll('button')
      .find((b) => b.text() === 'Delete…')!
    await del.trigger('click')
    // The key list of the account loads first (from the cache, then Vectara).
    await vi.waitFor(() =>
      expect(byRole('alertdialog').map(accessibleName)).toEqual(['Delete website-search?'])
    )
  })

  it('a fix for another account’s key switches to that account first', async () => {
    const other = finding({
      id: 'uncoveredCorpus:corpus:docs',
      rule: 'uncoveredCorpus',
      accountId: 'acc_sandbox',
      accountName: 'Sandbox',
      keyId: null,
      keyName: null,
      keyKind: null,
      keyEnabled: null,
      corpusKey: 'docs',
      corpusName: 'Docs',
      title: 'No Query key reaches this corpus',
      fixes: [{ action: 'createQueryKey', corpusKeys: ['docs'] }]
    })
    const { wrapper, invoke } = await mountView(report([other]), {
      'accounts.switch': ({ id }) => ({ accounts: [sandbox, production], currentId: id })
    })
    await wrapper.get('[data-finding="uncoveredCorpus:corpus:docs"] button').trigger('click')
    await vi.waitFor(() => expect(byRole('dialog')).toHaveLength(1))
    expect(invoke).toHaveBeenCalledWith('accounts.switch', { id: 'acc_sandbox' })
    const dialog = byRole('dialog')[0]!
    expect(accessibleName(dialog)).toContain('Create API key')
    expect(dialog.querySelector<HTMLInputElement>('#ck-name')!.value).toBe('docs-query')
  })
})
