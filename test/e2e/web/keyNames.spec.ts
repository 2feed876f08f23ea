import type { Locator, Page } from '@playwright/test'
import { invoke } from '../harnessApi'
import { expect, test } from './fixtures'

/**
 * Key names are what tells keys apart, and they differ at their ends ("…-staging-9852"): at the
 * app's usual 1280 px the Name column takes the room the other columns do not need, and a name
 * too long even for that still reads in full in its tooltip and in the row's accessible name.
 */

// The longest name `--seed-keys` gives (27 characters), and one that cannot fit.
const SEEDED_LONGEST = 'mobile-reports-staging-9852'
const TOO_LONG =
  'customer-portal-semantic-search-widget-for-the-public-documentation-site-eu-west-1'
const created: string[] = []
let accountId = ''

test.beforeAll(async ({ harness }) => {
  const state = await invoke(harness, 'accounts.list', undefined)
  accountId = state.accounts.find((a) => a.builtin)!.id
  for (const name of [SEEDED_LONGEST, TOO_LONG]) {
    const { key } = await invoke(harness, 'keys.create', {
      accountId,
      name,
      access: 'serving',
      corpusKeys: ['employee-handbook', 'support-runbooks']
    })
    created.push(key.id)
  }
})

test.afterAll(async ({ harness }) => {
  for (const keyId of created) await invoke(harness, 'keys.delete', { accountId, keyId })
})

async function openKeys(page: Page, url: string, width: number): Promise<Locator> {
  await page.setViewportSize({ width, height: 800 })
  await page.goto(url)
  const table = page.getByRole('table', { name: 'API keys' })
  await expect(table).not.toHaveAttribute('aria-busy')
  await expect(table.getByRole('row').filter({ hasText: SEEDED_LONGEST })).toBeVisible()
  return table
}

/** The names, and corpus chips, drawn narrower than their text. */
function cutTexts(table: Locator, selector: string): Promise<string[]> {
  return table
    .locator(selector)
    .evaluateAll((elements) =>
      elements.filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.textContent ?? '')
    )
}

for (const width of [1280, 760]) {
  test(`at ${width} px every name but one that cannot fit reads in full`, async ({
    page,
    harness
  }) => {
    const table = await openKeys(page, harness.url, width)
    const names = await table.locator('.kt-body .kt-name').allTextContents()
    // The Sandbox's own keys and the longest seeded name are all on screen, and none is cut.
    expect(names).toContain('legacy-intranet-search')
    expect(names).toContain('Sandbox admin (personal)')
    expect(await cutTexts(table, '.kt-body .kt-name')).toEqual([TOO_LONG])
  })
}

test('at 1280 px the corpus chips read in full', async ({ page, harness }) => {
  const table = await openKeys(page, harness.url, 1280)
  const chips = await table.locator('.kt-body .kt-col-corpora .chip').allTextContents()
  expect(chips).toContain('employee-handbook')
  expect(await cutTexts(table, '.kt-body .kt-col-corpora .chip')).toEqual([])
})

test('a name cut to fit shows whole in its tooltip and in the row’s accessible name', async ({
  page,
  harness
}) => {
  const table = await openKeys(page, harness.url, 1280)
  const row = table.getByRole('row', { name: new RegExp(TOO_LONG) })
  await expect(row).toHaveCount(1)
  const name = row.locator('.kt-name')
  await expect(name).toHaveAttribute('title', TOO_LONG)
  expect(await name.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true)
  await expect(row.getByRole('button', { name: `Actions for ${TOO_LONG}` })).toBeVisible()
})
