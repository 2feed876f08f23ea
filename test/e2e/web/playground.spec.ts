import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { expect, test, type Page } from '@playwright/test'
import { harnessControl, startHarnessProcess, type HarnessProcess } from '../harnessProcess'
import { invoke } from '../harnessApi'

/**
 * The playground as a user works it, against the real main-process code, the real keychain and
 * the embedded Sandbox. One harness for the file, in order: the key made first is used after.
 */
test.describe.configure({ mode: 'serial' })

const KEY = 'e2e playground key'
let harness: HarnessProcess
let page: Page
let secret = ''

test.beforeAll(async ({ browser }) => {
  harness = await startHarnessProcess()
  page = await browser.newPage()
  await page.goto(harness.url)
  // The table stands (busy, with placeholder rows) while the keys load: wait for the keys.
  await expect(page.getByRole('table', { name: 'API keys' })).toBeVisible()
  await expect(page.getByRole('table', { name: 'API keys' })).not.toHaveAttribute('aria-busy')
})

test.afterAll(async () => {
  await page?.close()
  await harness?.stop()
})

const results = () => page.getByRole('region', { name: 'Results' })

async function chooseCorpus(name: RegExp): Promise<void> {
  await page.getByLabel('Corpora', { exact: true }).click()
  await page.getByRole('option', { name }).click()
  await page.keyboard.press('Escape')
}

async function setStream(on: boolean): Promise<void> {
  const options = page.getByRole('button', { name: /^Options/ })
  if ((await options.getAttribute('aria-expanded')) !== 'true') await options.click()
  const stream = page.getByRole('switch', { name: 'Stream' })
  if ((await stream.getAttribute('aria-checked')) !== String(on)) await stream.click()
  await options.click()
}

test('a Query key made in Keys opens in the playground and returns results', async () => {
  await page.getByRole('button', { name: 'Create key' }).click()
  const dialog = page.getByRole('dialog')
  await dialog.getByRole('textbox', { name: 'Name' }).fill(KEY)
  await dialog.getByRole('combobox', { name: 'Corpora' }).click()
  await page.getByRole('option', { name: /Employee handbook/ }).click()
  await page.keyboard.press('Escape')
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toBeHidden()

  await page.getByRole('button', { name: `Actions for ${KEY}` }).click()
  await page.getByRole('menuitem', { name: 'Use in playground' }).click()
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Playground')
  await expect(page.getByLabel('API key')).toContainText(KEY)
  await expect(page.getByLabel('API key')).toContainText('Query')

  await chooseCorpus(/Employee handbook/)
  await page
    .getByLabel('Query', { exact: true })
    .fill('How many weeks of parental leave do employees get?')
  await setStream(false)
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(results().getByTestId('response-status')).toHaveText('200 OK')
  await expect(results().getByRole('article').first()).toBeVisible()
  await expect(results().locator('mark').first()).toBeVisible()
  await expect(results()).toContainText('First byte')
  await expect(results()).toContainText('Request ID')
  // The secret went to the keychain and stays in main: the page never had it.
  const keys = await invoke(harness, 'keys.list', { accountId: 'sandbox' })
  const row = keys.keys.find((k) => k.name === KEY)!
  secret = (await invoke(harness, 'keys.revealSecret', { accountId: 'sandbox', keyId: row.id }))
    .secret
  expect(await page.content()).not.toContain(secret)
})

test('streaming with generation shows the summary growing chunk by chunk', async () => {
  await setStream(true)
  // Watch from inside the page: a loaded machine may not poll fast enough to see each chunk.
  await page.evaluate(() => {
    const state = { summaries: [] as string[], chunks: [] as number[], busy: false, done: false }
    ;(window as unknown as { e2e: typeof state }).e2e = state
    const api = (window as unknown as { api: { on: (n: string, l: (p: unknown) => void) => void } })
      .api
    api.on('playground.stream', (payload) => {
      const event = (payload as { event?: { type: string } }).event
      if (event?.type === 'generation_chunk') state.chunks.push(performance.now())
    })
    const region = document.querySelector('[role="region"][aria-label="Results"]')!
    const observer = new MutationObserver(() => {
      const text = document.querySelector('[data-testid="summary-text"]')?.textContent?.trim()
      const seen = state.summaries
      if (state.busy && text && text !== seen[seen.length - 1]) seen.push(text)
      const busy = region.getAttribute('aria-busy') === 'true'
      if (state.busy && !busy) state.done = true
      state.busy = busy
    })
    observer.observe(document.body, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['aria-busy']
    })
  })
  // Chunks 150 ms apart (the default is 15): on a loaded 2-core machine, 15 ms gaps can all be
  // read in one go and drawn as one, which would prove nothing either way.
  await harnessControl(harness, 'streamChunkMs', 150)
  try {
    await page.getByRole('button', { name: 'Send' }).click()
    await page.waitForFunction(
      () => (window as unknown as { e2e: { done: boolean } }).e2e.done,
      null,
      { timeout: 30_000 }
    )
  } finally {
    await harnessControl(harness, 'streamChunkMs', 15)
  }
  await expect(results()).toContainText('Factual consistency')
  const { summaries: seen, chunks } = await page.evaluate(
    () => (window as unknown as { e2e: { summaries: string[]; chunks: number[] } }).e2e
  )
  // The summary arrived in many chunks, spread over time...
  expect(chunks.length).toBeGreaterThanOrEqual(5)
  expect(chunks[chunks.length - 1] - chunks[0]).toBeGreaterThan(2 * 150)
  // ...and the page showed it part-written before it was whole (a busy machine may draw
  // several chunks at once, so at least one intermediate state, each a start of the final).
  const final = seen[seen.length - 1]
  expect(final).toMatch(/\d/)
  const partial = seen.filter((text) => text.length < final.length)
  expect(partial.length).toBeGreaterThanOrEqual(1)
  const plain = (text: string): string => text.replace(/\s+/g, '')
  for (const text of partial) expect(plain(final).startsWith(plain(text))).toBe(true)
  await expect(results().getByTestId('response-status')).toHaveText('200 OK')
})

test('the request appears in History and re-runs from there', async () => {
  const toggle = page.getByRole('button', { name: 'History', exact: true })
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
  const recent = page.getByRole('list', { name: 'Recent requests' })
  await expect(recent.getByRole('listitem')).toHaveCount(2)
  await expect(recent.getByRole('listitem').first()).toContainText('parental leave')
  await expect(recent.getByRole('listitem').first()).toContainText(KEY)
  await page.getByRole('searchbox', { name: 'Search history' }).fill('nothing like this')
  await expect(recent).toHaveCount(0)
  await page.getByRole('searchbox', { name: 'Search history' }).fill('')
  await page
    .getByRole('button', { name: /^Re-run “How many weeks/ })
    .first()
    .click()
  await expect(recent.getByRole('listitem')).toHaveCount(3)
  await expect(results().getByTestId('response-status')).toHaveText('200 OK')
})

test('Copy as cURL runs against the Sandbox with VECTARA_API_KEY set; Copy request JSON copies the body', async () => {
  await setStream(false)
  await page.getByRole('button', { name: 'Copy as cURL' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'Copied as cURL' })).toBeVisible()
  const curl = String((await harnessControl(harness, 'clipboard')).text)
  expect(curl).toContain('-H "x-api-key: $VECTARA_API_KEY"')
  expect(curl).not.toContain(secret)
  const { stdout } = await promisify(execFile)('sh', ['-c', curl], {
    env: { ...process.env, VECTARA_API_KEY: secret }
  })
  const answer = JSON.parse(stdout) as { search_results: { text: string }[]; summary: string }
  expect(answer.search_results.length).toBeGreaterThan(0)
  expect(answer.summary).toMatch(/\w/)

  await page.getByRole('button', { name: 'Copy request JSON' }).click()
  await expect(
    page.getByRole('status').filter({ hasText: 'Copied the request JSON' })
  ).toBeVisible()
  const body = JSON.parse(String((await harnessControl(harness, 'clipboard')).text))
  expect(body).toMatchObject({
    query: 'How many weeks of parental leave do employees get?',
    search: { corpora: [{ corpus_key: 'employee-handbook' }] },
    stream_response: false
  })
})

test('a corpus outside the key scope is a 403 that names it', async () => {
  await chooseCorpus(/Support runbooks/)
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(results().getByTestId('response-status')).toHaveText('403 Forbidden')
  await expect(results().getByRole('alert')).toContainText(
    '"support-runbooks" is outside its scope'
  )
  await page.getByRole('button', { name: 'Remove Support runbooks' }).click()
})

test('offline: the Sandbox stopped is explained, and it works again once back', async () => {
  await harnessControl(harness, 'sandbox', false)
  try {
    await page.getByRole('button', { name: 'Send' }).click()
    await expect(results().getByRole('alert')).toContainText('Offline')
  } finally {
    await harnessControl(harness, 'sandbox', true)
  }
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(results().getByTestId('response-status')).toHaveText('200 OK')
})

test('a disabled key (after propagation) gets a plain 401 explanation', async () => {
  await harnessControl(harness, 'propagationMs', 0)
  const keys = await invoke(harness, 'keys.list', { accountId: 'sandbox' })
  const row = keys.keys.find((k) => k.name === KEY)!
  await invoke(harness, 'keys.setEnabled', { accountId: 'sandbox', keyId: row.id, enabled: false })
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(results().getByTestId('response-status')).toHaveText('401 Unauthorized')
  const alert = results().getByRole('alert')
  await expect(alert).toContainText('401 Unauthorized: Vectara rejected the key')
  await expect(alert).toContainText('unknown, disabled or deleted')
  await expect(alert).toContainText('Vectara said')
  await results().getByRole('tab', { name: 'Raw response' }).click()
  await expect(results().getByLabel('Response body')).toContainText('request_id')
  await results().getByRole('tab', { name: 'Answer' }).click()
  await invoke(harness, 'keys.setEnabled', { accountId: 'sandbox', keyId: row.id, enabled: true })
})

test('a Personal key warns that Query keys are the safe choice for browsers', async () => {
  await page.getByLabel('API key').click()
  await page.getByRole('option', { name: /Paste a key/ }).click()
  const dialog = page.getByRole('dialog', { name: 'Paste a key' })
  const personal = (await invoke(harness, 'keys.list', { accountId: 'sandbox' })).keys.find(
    (k) => k.kind === 'personal'
  )!
  const personalSecret = (
    await invoke(harness, 'keys.revealSecret', { accountId: 'sandbox', keyId: personal.id })
  ).secret
  await invoke(harness, 'keys.refresh', { accountId: 'sandbox' })
  await dialog.getByLabel('API key').fill(personalSecret)
  await dialog.getByRole('checkbox').uncheck()
  await dialog.getByRole('button', { name: 'Use key' }).click()
  await expect(page.getByRole('note')).toContainText('This is a Personal key')
  await expect(page.getByLabel('API key')).toContainText('Pasted key')
  await page.getByRole('button', { name: 'Send' }).click()
  await expect(results().getByTestId('response-status')).toHaveText('200 OK')
  expect(await page.content()).not.toContain(personalSecret)
})
