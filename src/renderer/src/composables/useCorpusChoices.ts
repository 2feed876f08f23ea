import { computed, type Ref } from 'vue'
import type { CorpusSummary } from '../api/corporaClient'

/**
 * The corpus picker's logic, apart from its markup: the search over names and keys, a chosen
 * key's display name, and removing a choice.
 */
export function useCorpusChoices(
  corpora: () => readonly CorpusSummary[],
  selected: Ref<string[]>,
  search: Ref<string>
) {
  const byKey = computed(() => new Map(corpora().map((c) => [c.key, c])))
  const matches = computed(() => {
    const term = search.value.trim().toLowerCase()
    if (!term) return corpora()
    return corpora().filter(
      (c) => c.name.toLowerCase().includes(term) || c.key.toLowerCase().includes(term)
    )
  })
  /** The corpus's name, or its key when the account's list does not have it (yet). */
  const nameOf = (key: string): string => byKey.value.get(key)?.name ?? key
  function remove(key: string): void {
    selected.value = selected.value.filter((k) => k !== key)
  }
  return { matches, nameOf, remove }
}
