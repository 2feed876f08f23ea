import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Coverage } from '@shared/contract/health'
import CoverageMap from '@renderer/components/health/CoverageMap.vue'
import { fakeLayout, setup } from '../fixtures'

enableAutoUnmount(afterEach)
let restoreLayout: () => void
beforeEach(() => {
  setup()
  restoreLayout = fakeLayout(480, 1000)
})
afterEach(() => {
  restoreLayout()
  delete (globalThis as { api?: unknown }).api
})

/** 1,000 corpora and 10,000 keys, each key on one or two corpora, corpus 999 on none. */
function big(): Coverage {
  const corpora = Array.from({ length: 1000 }, (_, i) => ({
    key: `c${i}`,
    name: `Corpus ${i}`,
    query: 0,
    index: 0,
    personal: 1,
    covered: i !== 999
  }))
  const keys = Array.from({ length: 10_000 }, (_, k) => ({
    id: `k${k}`,
    name: `key-${k}`,
    kind: (k === 0 ? 'personal' : 'query') as 'personal' | 'query',
    enabled: true,
    all: k === 0,
    corpora: k === 0 ? [] : [k % 999, (k * 7) % 999].sort((a, b) => a - b)
  }))
  return { accountId: 'acc_1', includeDisabled: false, corpora, keys, uncovered: 1 }
}

describe('CoverageMap', () => {
  it('draws only the cells in view of a 1,000 × 10,000 map, keys down', async () => {
    const wrapper = mount(CoverageMap, {
      props: { coverage: big(), includeDisabled: false },
      attachTo: document.body
    })
    await new Promise((resolve) => setTimeout(resolve))
    await flushPromises()
    const table = wrapper.get('[role="table"]')
    expect(table.attributes('aria-label')).toBe('Coverage')
    expect(table.attributes('aria-rowcount')).toBe('10001')
    expect(table.attributes('aria-colcount')).toBe('1001')
    const cells = wrapper.findAll('[role="cell"]').length
    expect(cells).toBeGreaterThan(0)
    expect(cells).toBeLessThan(300)
    expect(wrapper.text()).toContain('1 corpus no enabled Query key reaches')
    // Row 1 is key-0, the Personal key: every corpus in view reads "Personal".
    const first = wrapper.get('[role="row"][aria-rowindex="2"]')
    expect(first.get('[role="rowheader"]').text()).toContain('key-0')
    expect(first.findAll('[role="cell"] button').every((b) => b.text() === 'Personal')).toBe(true)
  })

  it('marks uncovered corpora, filters to them, and opens a key from its cell', async () => {
    const coverage = big()
    const wrapper = mount(CoverageMap, {
      props: { coverage, includeDisabled: false, orientation: 'corpora' },
      attachTo: document.body
    })
    await new Promise((resolve) => setTimeout(resolve))
    await flushPromises()
    const only = wrapper.findAll('input[type="checkbox"]')[1]!
    await only.setValue(true)
    await new Promise((resolve) => setTimeout(resolve))
    await flushPromises()
    const rows = wrapper.findAll('[role="rowgroup"] [role="row"][aria-rowindex]')
    const body = rows.filter((r) => r.attributes('aria-rowindex') !== '1')
    expect(body).toHaveLength(1)
    expect(body[0]!.get('[role="rowheader"]').text()).toContain('Corpus 999')
    expect(body[0]!.get('[role="rowheader"]').text()).toContain('no Query key')
    const personal = body[0]!.get('[role="cell"] button')
    expect(personal.attributes('aria-label')).toBe('key-0 on Corpus 999: Personal')
    await personal.trigger('click')
    expect(wrapper.emitted('open')![0]).toEqual([expect.objectContaining({ id: 'k0' })])
  })
})
