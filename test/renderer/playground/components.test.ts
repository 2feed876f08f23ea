import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import ErrorExplanation from '@renderer/components/playground/ErrorExplanation.vue'
import HighlightedText from '@renderer/components/playground/HighlightedText.vue'
import KeyOptions from '@renderer/components/playground/KeyOptions.vue'
import ResponsePanel from '@renderer/components/playground/ResponsePanel.vue'
import SummaryCard from '@renderer/components/playground/SummaryCard.vue'
import { usePlaygroundStore } from '@renderer/stores/playground'
import { splitCitations, splitHighlights } from '@shared/playground/highlight'
import { keyRow, result } from './fixtures'

beforeEach(() => setActivePinia(createPinia()))

describe('highlights without v-html', () => {
  it('splits text on the requested tags only', () => {
    expect(splitHighlights('a <em>b</em> c <em>d', '<em>', '</em>')).toEqual([
      { text: 'a ', highlighted: false },
      { text: 'b', highlighted: true },
      { text: ' c ', highlighted: false },
      { text: 'd', highlighted: true }
    ])
    expect(splitHighlights('stray</em> end', '<em>', '</em>')).toEqual([
      { text: 'stray end', highlighted: false }
    ])
  })

  it('renders highlights as <mark> and everything else as inert text', () => {
    const wrapper = mount(HighlightedText, {
      props: { text: 'before <em>match <img src=x onerror=alert(1)></em> after <b>bold</b>' }
    })
    expect(wrapper.findAll('mark').map((m) => m.text())).toEqual([
      'match <img src=x onerror=alert(1)>'
    ])
    expect(wrapper.find('img').exists()).toBe(false)
    expect(wrapper.find('b').exists()).toBe(false)
    expect(wrapper.text()).toContain('after <b>bold</b>')
  })
})

describe('summary citations', () => {
  it('finds numeric citations', () => {
    expect(splitCitations('A [1]. B [2, 3].')).toEqual([
      { kind: 'text', text: 'A ' },
      { kind: 'citation', numbers: [1] },
      { kind: 'text', text: '. B ' },
      { kind: 'citation', numbers: [2, 3] },
      { kind: 'text', text: '.' }
    ])
  })

  it('turns citations into buttons that point at their result, and scores factual consistency', async () => {
    const wrapper = mount(SummaryCard, {
      props: {
        summary: 'Parents get 20 weeks [1] and more [7].',
        streaming: false,
        factualConsistencyScore: 0.42,
        warnings: ['fcs_language_not_supported'],
        resultCount: 3
      }
    })
    const cite = wrapper.get('button[aria-label="Citation 1: go to result 1"]')
    await cite.trigger('click')
    expect(wrapper.emitted('cite')).toEqual([[1]])
    expect(wrapper.findAll('button.cite')).toHaveLength(1)
    expect(wrapper.text()).toContain('Factual consistency 0.42')
    expect(wrapper.text()).toContain('cannot be scored in this language')
  })
})

describe('error explanation', () => {
  it('shows the plain-words title and hint next to what Vectara said', () => {
    const wrapper = mount(ErrorExplanation, {
      props: {
        error: {
          code: 'API_FORBIDDEN',
          status: 403,
          title: '403 Forbidden: this key may not query that corpus',
          explanation: 'The key "faq only" is valid, but "support-runbooks" is outside its scope.',
          hint: 'Choose corpora the key can reach.',
          messages: ["Permissions do not allow querying corpus 'support-runbooks'."],
          fieldErrors: { 'search.corpora[0].metadata_filter': 'unknown attribute' }
        }
      }
    })
    expect(wrapper.get('[role="alert"]').text()).toContain('403 Forbidden')
    expect(wrapper.text()).toContain('outside its scope')
    expect(wrapper.text()).toContain('Vectara said')
    expect(wrapper.text()).toContain('search.corpora[0].metadata_filter: unknown attribute')
  })
})

describe('response panel', () => {
  it('is the "Results" region and shows status, timings, size, request id, summary and results', async () => {
    const store = usePlaygroundStore()
    const r = result()
    store.result = r
    store.live = r.answer
    store.opened = { status: 200, ttfbMs: 12, requestId: 'req-1' }
    const wrapper = mount(ResponsePanel, { props: { baseUrl: 'http://127.0.0.1:4100' } })
    await flushPromises()
    const region = wrapper.get('[role="region"][aria-label="Results"]')
    expect(region.get('[data-testid="response-status"]').text()).toBe('200 OK')
    const text = region.text()
    expect(text).toContain('First byte12 ms')
    expect(text).toContain('Total30 ms')
    expect(text).toContain('Size2.0 kB')
    expect(text).toContain('req-1')
    expect(text).toContain('Parents get 20 weeks')
    expect(region.get('#pg-result-1 mark').text()).toBe('20 weeks')
    expect(text).toContain('leave-policy')
    expect(text).toContain('0.810')
  })

  it('explains a failed run above what arrived', async () => {
    const store = usePlaygroundStore()
    const r = result({
      response: { ...result().response, status: 401, raw: '{"messages":["nope"]}' },
      answer: { searchResults: [], warnings: [], streamErrors: [] },
      error: {
        code: 'API_UNAUTHORIZED',
        status: 401,
        title: '401 Unauthorized: Vectara rejected the key',
        explanation: 'Vectara does not accept the key: the key is unknown, disabled or deleted.',
        messages: ['nope']
      }
    })
    store.result = r
    store.live = r.answer
    const wrapper = mount(ResponsePanel, { props: { baseUrl: 'http://127.0.0.1:4100' } })
    expect(wrapper.get('[data-testid="response-status"]').text()).toBe('401 Unauthorized')
    expect(wrapper.get('[role="alert"]').text()).toContain('disabled or deleted')
  })
})

describe('key options', () => {
  const many = Array.from({ length: 130 }, (_, i) =>
    keyRow({
      id: `aky_${i}`,
      name: `key-${String(i).padStart(3, '0')}`,
      secretStored: i < 10,
      enabled: i !== 3
    })
  )

  it('shows 50 keys a group at most, says how many more, and finds them by name', async () => {
    const wrapper = mount(KeyOptions, { props: { keys: many, chosenId: undefined } })
    const options = () => wrapper.findAll('[role="option"]').map((o) => o.text())
    expect(options()).toHaveLength(10 + 50 + 1)
    expect(wrapper.text()).toContain('70 more keys: type a name to find them.')
    expect(options()[3]).toContain('Disabled')
    await wrapper.get('input[aria-label="Find a key"]').setValue('key-12')
    expect(options().map((o) => /key-\d+/.exec(o)?.[0])).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `key-12${i}`),
      undefined
    ])
    expect(wrapper.text()).not.toContain('more keys')
    await wrapper.get('input[aria-label="Find a key"]').setValue('nothing like it')
    expect(wrapper.text()).toContain('No key matches “nothing like it”.')
  })

  it('chooses a key by id, and pasting apart', async () => {
    const wrapper = mount(KeyOptions, { props: { keys: many.slice(0, 3), chosenId: 'aky_1' } })
    await wrapper.findAll('[role="option"]')[2].trigger('click')
    await wrapper.findAll('[role="option"]').at(-1)!.trigger('click')
    expect(wrapper.emitted('choose')).toEqual([['aky_2']])
    expect(wrapper.emitted('paste')).toHaveLength(1)
  })
})
