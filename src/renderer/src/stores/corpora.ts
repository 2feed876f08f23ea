import { defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { createCorporaClient, type CorporaClient, type CorpusSummary } from '../api/corporaClient'
import { useLatestCall } from '../composables/useLatestCall'

const NONE: readonly CorpusSummary[] = []

/** The corpora of one account, for the pickers in Create key and the playground. */
export const useCorporaStore = defineStore('corpora', () => {
  let client: CorporaClient | undefined
  /** The account `corpora` belong to; null until a list arrived. */
  const accountId = shallowRef<string | null>(null)
  const corpora = shallowRef<readonly CorpusSummary[]>(NONE)
  const loads = useLatestCall('The corpora could not be loaded.')

  /** Tests pass a client built on a mocked bridge; the app uses window.api. */
  function useClient(next: CorporaClient): void {
    client = next
  }

  function api(): CorporaClient {
    client ??= createCorporaClient()
    return client
  }

  /** Resolves false when it failed (`problem` says why) or a newer load overtook it. */
  function load(id: string): Promise<boolean> {
    return loads.run(
      () => api().list(id),
      (list) => {
        accountId.value = id
        corpora.value = list.corpora
      }
    )
  }

  /** The corpora of account `id`; none while they have not arrived (never another account's). */
  function of(id: string | null): readonly CorpusSummary[] {
    return id !== null && id === accountId.value ? corpora.value : NONE
  }

  return { accountId, corpora, loading: loads.busy, problem: loads.problem, useClient, load, of }
})
