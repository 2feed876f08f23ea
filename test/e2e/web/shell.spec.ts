import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from './fixtures'
import { startHarnessProcess } from '../harnessProcess'

test('the shell loads through the harness and shows app.status from the real main-process code', async ({
  page,
  harness
}) => {
  await page.goto(harness.url)
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible()
  for (const name of ['Keys', 'Playground', 'Usage', 'Scan', 'Accounts']) {
    await expect(page.getByRole('link', { name })).toBeVisible()
  }
  const status = page.getByRole('contentinfo', { name: 'App status' })
  await expect(status.getByTestId('status-version')).toContainText('harness')
  await expect(status.getByTestId('status-database')).toContainText('Database schema v')
  // The database path shown is the harness's own temp dir: the answer came from main.
  await expect(status.getByTestId('status-database')).toHaveAttribute(
    'title',
    join(harness.dataDir, 'vkm.db')
  )
  await expect(status.getByTestId('status-keychain')).toContainText(/Keychain/)
})

test('navigation moves between the views', async ({ page, harness }) => {
  await page.goto(harness.url)
  for (const name of ['Playground', 'Usage', 'Scan', 'Accounts', 'Keys']) {
    await page.getByRole('link', { name }).click()
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(name)
  }
})

test('the page refuses to load without the token', async ({ page, harness }) => {
  const response = await page.goto(harness.origin + '/')
  expect(response?.status()).toBe(403)
})

test('window.api is frozen and exposes nothing but invoke and on', async ({ page, harness }) => {
  await page.goto(harness.url)
  const shape = await page.evaluate(() => {
    const api = (window as unknown as { api: object }).api
    return { keys: Object.keys(api).sort(), frozen: Object.isFrozen(api) }
  })
  expect(shape).toEqual({ keys: ['invoke', 'on'], frozen: true })
})

test('npm run harness prints one JSON line and closes the database cleanly on SIGTERM', async () => {
  const harness = await startHarnessProcess()
  expect(harness.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/)
  expect(existsSync(join(harness.dataDir, 'vkm.db'))).toBe(true)
  expect(await harness.stop()).toBe(0)
  // A cleanly closed WAL database checkpoints and removes its -wal file.
  expect(existsSync(join(harness.dataDir, 'vkm.db-wal'))).toBe(false)
  expect(harness.logs()).toMatch(/SIGTERM, closing/)
})
