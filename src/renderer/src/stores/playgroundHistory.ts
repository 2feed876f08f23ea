import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { HistoryEntry } from '@shared/contract/playground'
import { createPlaygroundClient, type PlaygroundClient } from '../api/playgroundClient'
import { useLatestCall } from '../composables/useLatestCall'

/** The playground's side list: saved queries, then recent requests, with search. */
export const usePlaygroundHistoryStore = defineStore('playgroundHistory', () => {
  let client: PlaygroundClient | undefined
  const accountId = ref<string | null>(null)
  const saved = ref<HistoryEntry[]>([])
  const recent = ref<HistoryEntry[]>([])
  const search = ref('')
  // Typing in search fires loads back to back: only the newest answer counts.
  const loads = useLatestCall('The history could not be read.')

  function useClient(next: PlaygroundClient): void {
    client = next
  }

  function api(): PlaygroundClient {
    client ??= createPlaygroundClient()
    return client
  }

  async function load(id: string | null = accountId.value): Promise<void> {
    accountId.value = id
    if (!id) {
      loads.reset()
      saved.value = []
      recent.value = []
      return
    }
    const term = search.value.trim() || undefined
    await loads.run(
      () => api().history(id, term),
      (lists) => {
        saved.value = lists.saved
        recent.value = lists.recent
      }
    )
  }

  async function save(id: number, name: string | null): Promise<HistoryEntry> {
    const entry = await api().saveEntry(id, name)
    await load()
    return entry
  }

  async function remove(id: number): Promise<void> {
    await api().deleteEntry(id)
    saved.value = saved.value.filter((e) => e.id !== id)
    recent.value = recent.value.filter((e) => e.id !== id)
  }

  async function clear(includeSaved: boolean): Promise<number> {
    if (!accountId.value) return 0
    const { deleted } = await api().clearHistory(accountId.value, includeSaved)
    await load()
    return deleted
  }

  return {
    accountId,
    saved,
    recent,
    search,
    loading: loads.busy,
    problem: loads.problem,
    useClient,
    load,
    save,
    remove,
    clear
  }
})
