import { test as base } from '@playwright/test'
import { startHarnessProcess, type HarnessProcess } from '../harnessProcess'

/**
 * `harness`: one real harness per worker (the app's router and services, a temp data dir, the
 * test keychain service). Tests that need a pristine app start their own with
 * startHarnessProcess().
 */
export const test = base.extend<object, { harness: HarnessProcess }>({
  harness: [
    async ({}, use) => {
      const harness = await startHarnessProcess()
      await use(harness)
      await harness.stop()
    },
    { scope: 'worker' }
  ]
})

export { expect } from '@playwright/test'
