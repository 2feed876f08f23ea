import { defineConfig } from '@playwright/test'
import { chromiumLaunchOptions } from './test/e2e/browser'

export default defineConfig({
  outputDir: 'test-results/playwright',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  // Two cores: one worker per core, each with its own harness (real services, temp data dir).
  workers: process.env.CI === 'true' ? 2 : undefined,
  forbidOnly: process.env.CI === 'true',
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  projects: [
    {
      name: 'web',
      testDir: 'test/e2e/web',
      use: {
        browserName: 'chromium',
        viewport: { width: 1280, height: 800 },
        launchOptions: chromiumLaunchOptions(),
        trace: 'retain-on-failure',
        screenshot: 'only-on-failure'
      }
    },
    {
      name: 'electron',
      testDir: 'test/e2e/electron'
    }
  ]
})
