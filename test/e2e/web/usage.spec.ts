import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { harnessControl } from '../harnessProcess'
import { invoke } from '../harnessApi'
import { KeysPage } from '../pages/keysPage'
import { PlaygroundPage } from '../pages/playgroundPage'
import { defaultPlaygroundOptions } from '../../../src/shared/playground/options'

/** The Usage view over a harness of its own whose only traffic is what this file makes. */
test.use({ harnessArgs: [] })
test.describe.configure({ mode: 'serial' })

const KEY = 'e2e usage key'
let page: Page
let keys: KeysPage
let playground: PlaygroundPage
let keyId = ''
let secret = ''

test.beforeAll(async ({ browser, harness }) => {
  await invoke(harness, 'keys.refresh', { accountId: 'sandbox' })
  const created = await invoke(harness, 'keys.create', {
    accountId: 'sandbox',
    name: KEY,
    access: 'serving',
    corpusKeys: ['employee-handbook', 'product-faq']
  })
  keyId = created.key.id
  secret = (await invoke(harness, 'keys.revealSecret', { accountId: 'sandbox', keyId })).secret
  page = await browser.newPage()
  keys = new KeysPage(page)
  playground = new PlaygroundPage(page)
  await keys.goto(harness.url)
})

test.afterAll(async () => {
  await page?.close()
})

test('a playground request shows up in the Usage history table and the chart', async () => {
  await playground.open()
  await playground.chooseKey(KEY)
  // The key comes with both its corpora; this request asks one.
  await expect(playground.chosenCorpora.getByRole('listitem')).toHaveCount(2)
  await playground.removeCorpus('Trailglow product FAQ')
  await playground.queryBox.fill('remote work policy')
  await playground.queryBox.press('Control+Enter')
  await expect(playground.responseStatus).toHaveText('200 OK', { timeout: 20_000 })

  await page.getByRole('link', { name: 'Usage' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Usage')
  const table = page.getByRole('table', { name: 'Usage history' })
  const row = table.getByRole('row').filter({ hasText: KEY })
  await expect(row).toHaveCount(1)
  await expect(row).toContainText('POST/v2/query')
  await expect(row).toContainText('200')
  await expect(row).toContainText('This app')
  // The chart describes itself: the key's request is counted in it.
  const chart = page.getByRole('img', { name: /^Requests per day by key/ })
  await expect(chart).toBeVisible()
  await page.getByRole('group', { name: 'Kind' }).getByText('Queries').click()
  await expect(chart).toHaveAttribute('aria-label', /: 1 in all, most from e2e usage key\./)
  await page.screenshot({ path: test.info().outputPath('usage.png'), fullPage: false })
})

test('filters narrow the history by key and kind', async () => {
  await page.getByRole('combobox', { name: 'Key' }).selectOption({ label: KEY })
  const table = page.getByRole('table', { name: 'Usage history' })
  await expect(table.getByRole('row')).toHaveCount(2)
  await page.getByRole('group', { name: 'Kind' }).getByText('Admin').click()
  await expect(table).toContainText('No requests in this range')
  await page.getByRole('combobox', { name: 'Key' }).selectOption({ label: 'All keys' })
  await expect(table.getByRole('row').filter({ hasText: 'GET' }).first()).toBeVisible()
  await page.getByRole('group', { name: 'Kind' }).getByText('All', { exact: true }).click()
})

test('the stale keys list flags keys never used, and no longer the one just used', async ({
  harness
}) => {
  // Keys seen for the first time today are not stale yet; let 31 days pass for all of them.
  await harnessControl(harness, 'backdateKeys', 31)
  await keys.open()
  await page.getByRole('link', { name: 'Usage' }).click()
  const stale = page.getByRole('region', { name: /Stale keys/ })
  await expect(stale).toContainText('Never used')
  await expect(stale).toContainText('handbook-assistant')
  await expect(stale).not.toContainText(KEY)
})

test("Vectara's query history syncs in beside local events, labelled by source", async ({
  harness
}) => {
  // employee-handbook keeps history by default; one more query with save_history asked.
  await invoke(harness, 'playground.run', {
    runId: 'e2e-usage-saved-query',
    accountId: 'sandbox',
    credential: { type: 'stored', keyId },
    corpusKeys: ['product-faq'],
    query: 'lantern battery life',
    options: { ...defaultPlaygroundOptions, stream: false, saveHistory: true }
  })
  await page.getByRole('button', { name: 'Sync Vectara history' }).click()
  await expect(
    page.getByRole('status').filter({ hasText: /new quer(y|ies) from Vectara/ })
  ).toBeVisible()
  const table = page.getByRole('table', { name: 'Usage history' })
  const remote = table.getByRole('row').filter({ hasText: 'Vectara' })
  await expect(remote.filter({ hasText: '“lantern battery life”' })).toHaveCount(1)
  await expect(remote.filter({ hasText: '“remote work policy”' })).toHaveCount(1)
  await expect(page.getByText('Synced just now')).toBeVisible()
})

test('the CSV export holds the history and no secret', async () => {
  const download = page.waitForEvent('download')
  await page.getByRole('button', { name: 'Export CSV' }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^vectara-usage-7d-.*\.csv$/)
  const csv = readFileSync((await file.path())!, 'utf8')
  const lines = csv.trim().split('\r\n')
  expect(lines[0]).toBe(
    'time,source,account,account_id,key_name,key_id,kind,action,method,path,status,latency_ms,result_count,error_code,corpus_key,query'
  )
  expect(csv).toContain(`${KEY},${keyId},query,query,POST,/v2/query,200`)
  expect(csv).toContain('vectara history')
  expect(csv).not.toContain(secret)
  expect(csv).not.toContain(secret.slice(4))
  expect(csv).not.toMatch(/z[uqw]t_[A-Za-z0-9_-]{8,}/)
})

test('the open Usage view shows a request sent elsewhere as soon as it is recorded', async ({
  harness
}) => {
  const table = page.getByRole('table', { name: 'Usage history' })
  const rows = table.getByRole('row').filter({ hasText: KEY }).filter({ hasText: 'This app' })
  const before = await rows.count()
  // Another window sends a query: the Usage view is not reloaded, it follows main's event.
  await invoke(harness, 'playground.run', {
    runId: 'e2e-usage-live-query',
    accountId: 'sandbox',
    credential: { type: 'stored', keyId },
    corpusKeys: ['employee-handbook'],
    query: 'holiday allowance',
    options: { ...defaultPlaygroundOptions, stream: false }
  })
  await expect(rows).toHaveCount(before + 1)
})
