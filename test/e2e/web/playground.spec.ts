import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { harnessControl } from '../harnessProcess'
import { invoke } from '../harnessApi'
import { KeysPage } from '../pages/keysPage'
import { PlaygroundPage } from '../pages/playgroundPage'

/**
 * The playground as a user works it, against the real main-process code, the real keychain and
 * the embedded Sandbox. A harness of its own, pristine, for the file, in order: the key made
 * first is used after, and History counts only this file's requests.
 */
test.use({ harnessArgs: [] })
test.describe.configure({ mode: 'serial' })

const KEY = 'e2e playground key'
let page: Page
let keys: KeysPage
let playground: PlaygroundPage
let secret = ''

test.beforeAll(async ({ browser, harness }) => {
  page = await browser.newPage()
  keys = new KeysPage(page)
  playground = new PlaygroundPage(page)
  await keys.goto(harness.url)
})

test.afterAll(async () => {
  await page?.close()
})

test('a Query key made in Keys opens in the playground and returns results', async ({
  harness
}) => {
  await keys.createKey({ name: KEY, corpora: [/Employee handbook/] })

  await keys.chooseAction(KEY, 'Use in playground')
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Playground')
  await expect(playground.keyPicker).toContainText(KEY)
  await expect(playground.keyPicker).toContainText('Query')
  // A Query key comes with its own corpora.
  await expect(playground.chosenCorpora.getByRole('listitem')).toHaveText(['Employee handbook'])
  await playground.setStream(false)
  await playground.run('How many weeks of parental leave do employees get?')
  await expect(playground.responseStatus).toHaveText('200 OK')
  await expect(playground.results.getByRole('article').first()).toBeVisible()
  await expect(playground.results.locator('mark').first()).toBeVisible()
  await expect(playground.results).toContainText('First byte')
  await expect(playground.results).toContainText('Request ID')
  // The secret went to the keychain and stays in main: the page never had it.
  const listed = await invoke(harness, 'keys.list', { accountId: 'sandbox' })
  const row = listed.keys.find((k) => k.name === KEY)!
  secret = (await invoke(harness, 'keys.revealSecret', { accountId: 'sandbox', keyId: row.id }))
    .secret
  expect(await page.content()).not.toContain(secret)
})

test('streaming with generation shows the summary growing chunk by chunk', async ({ harness }) => {
  await playground.setStream(true)
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
    await playground.run()
    await page.waitForFunction(
      () => (window as unknown as { e2e: { done: boolean } }).e2e.done,
      null,
      { timeout: 30_000 }
    )
  } finally {
    await harnessControl(harness, 'streamChunkMs', 15)
  }
  await expect(playground.results).toContainText('Factual consistency')
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
  await expect(playground.responseStatus).toHaveText('200 OK')
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
  await expect(playground.responseStatus).toHaveText('200 OK')
})

test("the Code tab's cURL runs against the Sandbox with VECTARA_API_KEY set; Copy request JSON copies the body", async ({
  harness
}) => {
  await playground.setStream(false)
  await playground.copyCode('cURL')
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
  await playground.results.getByRole('tab', { name: 'Answer' }).click()
})

test('a corpus outside the key scope is marked, asked about before sending, and a 403 that names it', async () => {
  await playground.chooseCorpus(/Support runbooks/)
  await expect(
    playground.chosenCorpora.getByRole('listitem').filter({ hasText: 'Support runbooks' })
  ).toContainText('not reachable with this key')
  await playground.run()
  const ask = page.getByRole('alertdialog', { name: /cannot query Support runbooks/ })
  await expect(ask).toContainText('403 Forbidden')
  await ask.getByRole('button', { name: 'Send anyway' }).click()
  await expect(playground.responseStatus).toHaveText('403 Forbidden')
  await expect(playground.results.getByRole('alert')).toContainText(
    '"support-runbooks" is outside its scope'
  )
  await page.getByRole('button', { name: 'Remove Support runbooks' }).click()
})

test('offline: the Sandbox stopped is explained, and it works again once back', async ({
  harness
}) => {
  await harnessControl(harness, 'sandbox', false)
  try {
    await playground.run()
    await expect(playground.results.getByRole('alert')).toContainText('Offline')
  } finally {
    await harnessControl(harness, 'sandbox', true)
  }
  await playground.run()
  await expect(playground.responseStatus).toHaveText('200 OK')
})

test('a disabled key (after propagation) gets a plain 401 explanation', async ({ harness }) => {
  await harnessControl(harness, 'propagationMs', 0)
  const listed = await invoke(harness, 'keys.list', { accountId: 'sandbox' })
  const row = listed.keys.find((k) => k.name === KEY)!
  await invoke(harness, 'keys.setEnabled', { accountId: 'sandbox', keyId: row.id, enabled: false })
  await playground.run()
  await expect(playground.responseStatus).toHaveText('401 Unauthorized')
  const alert = playground.results.getByRole('alert')
  await expect(alert).toContainText('401 Unauthorized: Vectara rejected the key')
  await expect(alert).toContainText('unknown, disabled or deleted')
  await expect(alert).toContainText('Vectara said')
  await playground.results.getByRole('tab', { name: 'Raw response' }).click()
  await expect(playground.results.getByLabel('Response body')).toContainText('request_id')
  await playground.results.getByRole('tab', { name: 'Answer' }).click()
  await invoke(harness, 'keys.setEnabled', { accountId: 'sandbox', keyId: row.id, enabled: true })
})

test('a Personal key warns that Query keys are the safe choice for browsers', async ({
  harness
}) => {
  await playground.keyPicker.click()
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
  // In the request form: the answer may hold a note of its own about the last run's key.
  await expect(page.getByRole('form', { name: 'Request' }).getByRole('note')).toContainText(
    'This is a Personal key'
  )
  await expect(playground.keyPicker).toContainText('Pasted key')
  await playground.run()
  await expect(playground.responseStatus).toHaveText('200 OK')
  expect(await page.content()).not.toContain(personalSecret)
})
