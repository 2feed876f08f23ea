import { defineStore } from 'pinia'
import { ref } from 'vue'
import type { AppStatus } from '@shared/contract/app'
import { AppError } from '@shared/errors'
import { createAppClient, type AppClient } from '../api/appClient'

export const useAppStatusStore = defineStore('appStatus', () => {
  let client: AppClient | undefined
  const status = ref<AppStatus | null>(null)
  const error = ref<string | null>(null)
  const loading = ref(false)

  /** Tests pass a client built on a mocked bridge; the app uses window.api. */
  function useClient(next: AppClient): void {
    client = next
  }

  async function refresh(): Promise<void> {
    client ??= createAppClient()
    loading.value = true
    try {
      status.value = await client.status()
      error.value = null
    } catch (e) {
      error.value = e instanceof AppError ? e.message : 'The app status could not be read.'
    } finally {
      loading.value = false
    }
  }

  return { status, error, loading, refresh, useClient }
})
