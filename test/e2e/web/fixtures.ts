import { test as base } from '@playwright/test'
import { startHarnessProcess, type HarnessProcess } from '../harnessProcess'
import { KeysPage } from '../pages/keysPage'
import { PlaygroundPage } from '../pages/playgroundPage'

export interface HarnessWorkerFixtures {
  /**
   * Extra `npm run harness` flags. Unset, the spec files of a worker share one harness. A spec
   * that sets it at its top level gets a harness of its own, started with those flags:
   *   test.use({ harnessArgs: ['--propagation-ms', '0'] })
   *   test.use({ harnessArgs: [] })  // pristine, with the defaults
   * Playwright runs each worker-option override in its own worker, and `harness` fails a test
   * that would reach another file's harness.
   */
  harnessArgs: string[] | undefined
  /** A real harness: the app's router and services, a temp data dir, the test keychain service. */
  harness: HarnessProcess
}

export interface PageFixtures {
  keysPage: KeysPage
  playgroundPage: PlaygroundPage
}

/** The spec file a harness started with `harnessArgs` belongs to (one per worker process). */
let ownerOfHarness: string | undefined

export const test = base.extend<PageFixtures & { ownHarnessGuard: void }, HarnessWorkerFixtures>({
  harnessArgs: [undefined, { option: true, scope: 'worker' }],
  harness: [
    async ({ harnessArgs }, use) => {
      const harness = await startHarnessProcess(harnessArgs ?? [])
      await use(harness)
      await harness.stop()
    },
    { scope: 'worker' }
  ],
  // Automatic, so it also guards specs that use `harness` only in beforeAll.
  ownHarnessGuard: [
    async ({ harnessArgs }, use, testInfo) => {
      if (harnessArgs !== undefined) {
        ownerOfHarness ??= testInfo.file
        if (ownerOfHarness !== testInfo.file) {
          throw new Error(
            `${testInfo.file} reached the harness started for ${ownerOfHarness}: give each spec its own harnessArgs array`
          )
        }
      }
      await use()
    },
    { auto: true, box: true }
  ],
  keysPage: async ({ page }, use) => use(new KeysPage(page)),
  playgroundPage: async ({ page }, use) => use(new PlaygroundPage(page))
})

export { expect } from '@playwright/test'
