import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AppStatus } from '@shared/contract/app'
import { createAppClient, type AppClient } from '../api/appClient'
import { useLatestCall } from '../composables/useLatestCall'
import { useToastsStore } from './toasts'

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

  let stopNotifications: (() => void) | undefined
  /**
   * Main's notifications where the OS has none to show them (the web harness): as toasts, which
   * stay a little longer than a confirmation.
   */
  function showNotifications(): void {
    const toasts = useToastsStore()
    stopNotifications ??= api().onNotification((n) => toasts.show('info', n.title, n.body, 10_000))
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
    showNotifications,
    useClient
  }
})
