import { describe, expect, it } from 'vitest'
import { ref } from 'vue'
import { useCorpusChoices } from '@renderer/composables/useCorpusChoices'

const corpora = [
  { key: 'employee-handbook', name: 'Employee handbook' },
  { key: 'product-docs', name: 'Lantern manuals' }
]

describe('useCorpusChoices', () => {
  it('searches names and keys, case-insensitively, and shows everything for a blank search', () => {
    const search = ref('')
    const { matches } = useCorpusChoices(() => corpora, ref([]), search)
    expect(matches.value.map((c) => c.key)).toEqual(['employee-handbook', 'product-docs'])
    search.value = '  LANTERN '
    expect(matches.value.map((c) => c.key)).toEqual(['product-docs'])
    search.value = 'handbook'
    expect(matches.value.map((c) => c.key)).toEqual(['employee-handbook'])
    search.value = 'nothing-like-it'
    expect(matches.value).toEqual([])
  })

  it('names a chosen corpus, falling back to its key, and removes one choice', () => {
    const selected = ref(['product-docs', 'gone-corpus', 'employee-handbook'])
    const { nameOf, remove } = useCorpusChoices(() => corpora, selected, ref(''))
    expect(selected.value.map(nameOf)).toEqual([
      'Lantern manuals',
      'gone-corpus',
      'Employee handbook'
    ])
    remove('gone-corpus')
    expect(selected.value).toEqual(['product-docs', 'employee-handbook'])
  })
})
