import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AppStatus } from '@shared/contract/app'
import { createAppClient, type AppClient } from '../api/appClient'
import { useLatestCall } from '../composables/useLatestCall'

export const useAppStatusStore = defineStore('appStatus', () => {
  let client: AppClient | undefined
  const status = ref<AppStatus | null>(null)
  const loads = useLatestCall('The app status could not be read.')

  /** Tests pass a client built on a mocked bridge; the app uses window.api. */
  function useClient(next: AppClient): void {
    client = next
  }

  function api(): AppClient {
    client ??= createAppClient()
    return client
  }

  async function refresh(): Promise<void> {
    await loads.run(
      () => api().status(),
      (next) => (status.value = next)
    )
  }

  return {
    status,
    problem: loads.problem,
    loading: loads.busy,
    refresh,
    useClient
  }
})
