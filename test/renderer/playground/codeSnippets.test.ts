import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPlaygroundClient } from '@renderer/api/playgroundClient'
import CodeSnippets from '@renderer/components/playground/CodeSnippets.vue'
import { codeTokens } from '@renderer/playground/codeTokens'
import { usePlaygroundStore } from '@renderer/stores/playground'
import { useToastsStore } from '@renderer/stores/toasts'
import { AppError } from '@shared/errors'
import { buildQueryHttpRequest } from '@shared/playground/httpRequest'
import { defaultPlaygroundOptions } from '@shared/playground/options'
import { buildSnippet } from '@shared/playground/snippets'
import { createMockBridge } from '../mockBridge'

const BASE_URL = 'http://127.0.0.1:4100'
const HOSTILE = `<img src=x onerror=alert(1)> it's "x" \\ $HOME\nnext`

let wrapper: VueWrapper | undefined
let copied: string[]

beforeEach(() => {
  setActivePinia(createPinia())
  copied = []
})
afterEach(() => {
  wrapper?.unmount()
  wrapper = undefined
})

function mountSnippets(query = 'How long does the battery last?', refuse = false): VueWrapper {
  const { bridge } = createMockBridge({
    'playground.copyText': ({ text }) => {
      if (refuse) throw new AppError('BAD_INPUT', 'This text contains something like a secret.')
      copied.push(text)
      return { copied: true as const }
    }
  })
  usePlaygroundStore().useClient(createPlaygroundClient(bridge))
  wrapper = mount(CodeSnippets, {
    props: {
      query,
      corpusKeys: ['product-faq'],
      options: defaultPlaygroundOptions,
      baseUrl: BASE_URL
    },
    attachTo: document.body
  })
  return wrapper
}

function expected(id: 'javascript' | 'python' | 'curl' | 'python-sdk', query: string): string {
  const request = buildQueryHttpRequest({
    baseUrl: BASE_URL,
    query: { query, corpusKeys: ['product-faq'], options: defaultPlaygroundOptions }
  })
  return buildSnippet(request, id).code
}

describe('CodeSnippets', () => {
  it('is a tab list named "Code" with JavaScript, Python, cURL and Python SDK', () => {
    const view = mountSnippets()
    const list = view.get('[role="tablist"]')
    expect(list.attributes('aria-label')).toBe('Code')
    expect(list.findAll('[role="tab"]').map((t) => t.text())).toEqual([
      'JavaScript',
      'Python',
      'cURL',
      'Python SDK'
    ])
    expect(view.get('[role="tab"][aria-selected="true"]').text()).toBe('JavaScript')
  })

  it('shows the highlighted snippet, text for text, with no markup from the query', () => {
    const view = mountSnippets(HOSTILE)
    const code = view.get('pre[aria-label="JavaScript code"]')
    expect(code.text()).toBe(expected('javascript', HOSTILE).trim())
    expect(code.element.textContent).toBe(expected('javascript', HOSTILE))
    expect(code.findAll('span.hljs-string').length).toBeGreaterThan(3)
    expect(code.findAll('span.hljs-keyword').map((s) => s.text())).toContain('const')
    expect(view.find('img').exists()).toBe(false)
    // Colours come from classes in the stylesheet: the CSP allows no inline style.
    expect(code.html()).not.toContain('style=')
  })

  it('moves between tabs with the arrow keys', async () => {
    const view = mountSnippets()
    await flushPromises() // reka binds its key handlers once the triggers are laid out
    const [javascript] = view.findAll('[role="tab"]')
    ;(javascript.element as HTMLElement).focus()
    await javascript.trigger('keydown', { key: 'ArrowRight' })
    await flushPromises()
    expect(view.get('[role="tab"][aria-selected="true"]').text()).toBe('Python')
    expect(view.get('pre[aria-label="Python code"]').element.textContent).toBe(
      expected('python', 'How long does the battery last?')
    )
    await view.get('[role="tab"][aria-selected="true"]').trigger('keydown', { key: 'End' })
    await flushPromises()
    expect(view.get('[role="tab"][aria-selected="true"]').text()).toBe('Python SDK')
  })

  it('copies the shown snippet through main and says so', async () => {
    const view = mountSnippets()
    await view.findAll('[role="tab"]')[2].trigger('mousedown', { button: 0 })
    await flushPromises()
    const copy = view.findAll('button').filter((b) => b.text() === 'Copy')
    expect(copy).toHaveLength(1)
    await copy[0].trigger('click')
    await flushPromises()
    expect(copied).toEqual([expected('curl', 'How long does the battery last?')])
    expect(copied[0]).toContain('$VECTARA_API_KEY')
    expect(useToastsStore().toasts.at(-1)).toMatchObject({
      tone: 'success',
      title: 'Copied the cURL code'
    })
  })

  it('says why when main refuses to copy', async () => {
    const view = mountSnippets('q', true)
    await view.get('button.btn-sm').trigger('click')
    await flushPromises()
    expect(copied).toEqual([])
    expect(useToastsStore().toasts.at(-1)).toMatchObject({
      tone: 'error',
      title: 'Could not copy the JavaScript code',
      detail: 'This text contains something like a secret.'
    })
  })

  it('asks for a query and a corpus while the form has none', () => {
    const view = mountSnippets('  ')
    expect(view.text()).toContain('Add a query and a corpus')
  })
})

describe('codeTokens', () => {
  it('splits code into classed runs that join back to the exact code', () => {
    const code = 'import os\nprint(f"{len([1])} results")  # done\n'
    const tokens = codeTokens(code, 'python')
    expect(tokens.map((t) => t.text).join('')).toBe(code)
    expect(tokens).toContainEqual({ text: 'import', classes: ['hljs-keyword'] })
    expect(tokens.find((t) => t.text.includes('# done'))?.classes).toEqual(['hljs-comment'])
  })
})
