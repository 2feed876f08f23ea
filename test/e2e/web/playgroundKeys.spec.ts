import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { harnessControl } from '../harnessProcess'
import { invoke } from '../harnessApi'
import { KeysPage } from '../pages/keysPage'
import { PlaygroundPage } from '../pages/playgroundPage'
import { havePythonRequests, runSnippet } from '../../main/playground/snippetRunner'

/**
 * The Playground's keys as a new user meets them: a fresh harness (nothing in the keychain yet),
 * every key of the Sandbox account in the picker, its secret fetched by main when chosen, and the
 * picker following changes made anywhere. In order, on one page.
 */
test.use({ harnessArgs: [] })
test.describe.configure({ mode: 'serial' })

const QUESTION = 'How long does the Trailglow 2 battery last?'
let page: Page
let keys: KeysPage
let playground: PlaygroundPage

test.beforeAll(async ({ browser, harness }) => {
  page = await browser.newPage()
  keys = new KeysPage(page)
  playground = new PlaygroundPage(page)
  await keys.goto(harness.url)
})

test.afterAll(async () => {
  await page?.close()
})

/** "Search results: N" as the JavaScript and Python snippets print it. */
function printedCount(stdout: string): number {
  const match = /Search results: (\d+)/.exec(stdout)
  if (!match) throw new Error(`no result count in:\n${stdout}`)
  return Number(match[1])
}

/** The search results in cURL's output: one JSON answer, or the `search_results` event. */
function curlCount(stdout: string): number {
  const events = stdout
    .split('\n')
    .filter((line) => line.startsWith('data:'))
    .map((line) => JSON.parse(line.slice(5)) as { type?: string; search_results?: unknown[] })
  const answer = events.length
    ? events.find((event) => event.type === 'search_results')
    : (JSON.parse(stdout) as { search_results?: unknown[] })
  return answer?.search_results?.length ?? -1
}

test('a new user picks "website-search", gets results, and copies the same request as JavaScript, Python and cURL', async ({
  harness
}) => {
  await playground.open()
  await playground.keyPicker.click()
  await page.getByRole('option', { name: /website-search/ }).click()
  await expect(playground.keyPicker).toContainText('website-search')
  // Its corpus is chosen with it, and its secret went from Vectara to the keychain, not here.
  await expect(playground.chosenCorpora.getByRole('listitem')).toHaveText(['Trailglow product FAQ'])
  await playground.run(QUESTION)
  await expect(playground.responseStatus).toHaveText('200 OK', { timeout: 20_000 })
  await expect(playground.results.getByRole('article').first()).toBeVisible()
  await expect(playground.results).toHaveAttribute('aria-busy', 'false', { timeout: 20_000 })
  const shown = await playground.results.getByRole('article').count()

  const row = (await invoke(harness, 'keys.list', { accountId: 'sandbox' })).keys.find(
    (k) => k.name === 'website-search'
  )!
  expect(row.secretStored).toBe(true)
  const secret = (
    await invoke(harness, 'keys.revealSecret', { accountId: 'sandbox', keyId: row.id })
  ).secret
  expect(await page.content()).not.toContain(secret)

  for (const language of ['JavaScript', 'Python', 'cURL'] as const) {
    await playground.copyCode(language)
    const code = String((await harnessControl(harness, 'clipboard')).text)
    expect(code, language).toContain('VECTARA_API_KEY')
    expect(code, language).toContain(QUESTION)
    expect(code, language).toContain('product-faq')
    expect(code, language).not.toContain(secret)
    // Works as pasted, with the key in VECTARA_API_KEY: the same results the app showed.
    if (language === 'Python' && !havePythonRequests) continue
    const id = language === 'JavaScript' ? 'javascript' : language === 'Python' ? 'python' : 'curl'
    const run = await runSnippet(id, code, secret)
    expect(run.code, `${language}: ${run.stderr}`).toBe(0)
    expect(id === 'curl' ? curlCount(run.stdout) : printedCount(run.stdout), language).toBe(shown)
  }
})

test('the picker follows keys created, revealed, disabled and deleted elsewhere, without a reload', async ({
  harness
}) => {
  const options = page.getByRole('listbox', { name: 'API keys' })
  const group = (name: string) => options.getByRole('group', { name })
  const open = async (): Promise<void> => {
    if (!(await options.isVisible())) await playground.keyPicker.click()
    await expect(options).toBeVisible()
  }
  const close = async (): Promise<void> => {
    await page.keyboard.press('Escape')
    await expect(options).toBeHidden()
  }

  // Another window creates a key: it is ready at once (its secret went to the keychain).
  const created = await invoke(harness, 'keys.create', {
    accountId: 'sandbox',
    name: 'made elsewhere',
    access: 'serving',
    corpusKeys: ['employee-handbook']
  })
  await open()
  await expect(group('Ready').getByRole('option', { name: /made elsewhere/ })).toBeVisible()
  await close()

  // Revealed in Keys: the key moves to Ready.
  await expect(async () => {
    await open()
    await expect(
      group('Not in the keychain yet').getByRole('option', { name: /handbook-assistant/ })
    ).toBeVisible({ timeout: 1000 })
  }).toPass()
  await close()
  await keys.open()
  await keys.chooseAction('handbook-assistant', 'Reveal key')
  await expect(keys.row('handbook-assistant').getByRole('button', { name: /Hide/ })).toBeVisible()
  await playground.open()
  await open()
  await expect(group('Ready').getByRole('option', { name: /handbook-assistant/ })).toBeVisible()

  // Chosen, then disabled elsewhere: the choice shows it, and says when Vectara blocks it.
  await group('Ready')
    .getByRole('option', { name: /made elsewhere/ })
    .click()
  await expect(playground.chosenCorpora.getByRole('listitem')).toHaveText(['Employee handbook'])
  await invoke(harness, 'keys.setEnabled', {
    accountId: 'sandbox',
    keyId: created.key.id,
    enabled: false
  })
  await expect(playground.keyPicker).toContainText('Disabled')
  await expect(page.locator('#pg-key-hint')).toContainText(
    /disabled at .+; Vectara blocks it within about a minute/
  )
  await playground.run('parental leave')
  await expect(
    playground.results.getByRole('note').filter({ hasText: /disabled at .+; Vectara blocks it/ })
  ).toBeVisible()

  // Deleted elsewhere: gone from the picker, and no longer chosen.
  await invoke(harness, 'keys.delete', { accountId: 'sandbox', keyId: created.key.id })
  await expect(playground.keyPicker).toContainText('Choose a key')
  await open()
  await expect(options.getByRole('option', { name: /made elsewhere/ })).toHaveCount(0)
  await close()
})

test('"Use in playground" fetches a secret the app lacks; when Vectara keeps it, pasting says why', async ({
  harness
}) => {
  await keys.open()
  await keys.chooseAction('support-console', 'Use in playground')
  await expect(playground.keyPicker).toContainText('support-console')
  await expect(page.getByRole('dialog', { name: 'Paste a key' })).toHaveCount(0)
  await expect
    .poll(async () => {
      const listed = await invoke(harness, 'keys.list', { accountId: 'sandbox' })
      return listed.keys.find((k) => k.name === 'support-console')?.secretStored
    })
    .toBe(true)

  await harnessControl(harness, 'withholdKeySecrets', true)
  try {
    await keys.open()
    await keys.chooseAction('legacy-intranet-search', 'Use in playground')
    const dialog = page.getByRole('dialog', { name: 'Paste a key' })
    await expect(dialog).toBeVisible()
    await expect(dialog).toContainText('Vectara did not return it')
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await expect(playground.keyPicker).toContainText('Choose a key')
  } finally {
    await harnessControl(harness, 'withholdKeySecrets', false)
  }
})
