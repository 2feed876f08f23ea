import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import KeyFilters from '@renderer/components/keys/KeyFilters.vue'
import { makeList, makeRow, setup } from './fixtures'

enableAutoUnmount(afterEach)
afterEach(() => {
  delete (globalThis as { api?: unknown }).api
})

describe('KeyFilters', () => {
  it('types into the search without re-rendering the filter menus', async () => {
    const rows = [makeRow({ name: 'alpha', corpora: ['docs'] }), makeRow({ name: 'beta' })]
    const { keys } = setup({
      'keys.list': () => makeList(rows),
      'keys.refresh': () => makeList(rows)
    })
    await keys.open('acc_1')
    // Counts the renders of each component after its first.
    const updates: Record<string, number> = {}
    const wrapper = mount(KeyFilters, {
      attachTo: document.body,
      global: {
        mixins: [
          {
            updated(this: { $options: { __name?: string } }) {
              const name = this.$options.__name ?? 'anonymous'
              updates[name] = (updates[name] ?? 0) + 1
            }
          }
        ]
      }
    })
    await flushPromises()
    const search = wrapper.get('input[aria-label="Search keys"]')
    for (const text of ['a', 'al', 'alp']) await search.setValue(text)
    expect(keys.filters.query).toBe('alp')
    expect(updates.FilterMenu ?? 0).toBe(0)
    // A menu choice does reach the menus.
    keys.filters = { ...keys.filters, corpus: 'docs' }
    await flushPromises()
    expect(updates.FilterMenu).toBeGreaterThan(0)
  })
})
