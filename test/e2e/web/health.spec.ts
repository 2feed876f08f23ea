import { readFileSync } from 'node:fs'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { harnessControl } from '../harnessProcess'
import { invoke } from '../harnessApi'
import { HealthPage } from '../pages/healthPage'
import { KeysPage } from '../pages/keysPage'
import { PlaygroundPage } from '../pages/playgroundPage'

/**
 * Health over a harness of its own (time moves here: keys are backdated and the app's clock
 * runs weeks ahead), in the order a new owner meets it: a fresh Sandbox, a month later, an
 * expiry date that passes, and the inventory.
 */
test.use({ harnessArgs: ['--propagation-ms', '0'] })
test.describe.configure({ mode: 'serial' })

const DAY = 86_400_000
let page: Page
let health: HealthPage
let keys: KeysPage
let playground: PlaygroundPage

test.beforeAll(async ({ browser, harness }) => {
  page = await browser.newPage()
  health = new HealthPage(page)
  keys = new KeysPage(page)
  playground = new PlaygroundPage(page)
  await keys.goto(harness.url)
})

test.afterAll(async () => {
  await page?.close()
})

test('a fresh Sandbox has one finding, a corpus no Query key reaches, fixed from the finding', async () => {
  await health.open()
  await expect(health.findings.getByRole('listitem', { name: /: / })).toHaveCount(1)
  const finding = health.finding('Release notes', 'No Query key reaches this corpus')
  await expect(finding).toContainText('Account Sandbox')
  await expect(finding).toContainText('a Query key is the safe way')

  await finding.getByRole('button', { name: 'Create a Query key' }).click()
  const dialog = page.getByRole('dialog', { name: 'Create API key' })
  await expect(dialog.getByRole('textbox', { name: 'Name' })).toHaveValue('release-notes-query')
  await expect(dialog.getByRole('radio', { name: 'Query', exact: true })).toBeChecked()
  await expect(dialog).toContainText('Release notes')
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toBeHidden()

  await expect(page.getByRole('heading', { name: 'No risky keys' })).toBeVisible()
  await expect(page.getByRole('tab', { name: /Findings/ })).toContainText('0')
  await page.screenshot({ path: test.info().outputPath('health-empty.png') })
})

test('a month later "website-search" is stale, and is disabled from its finding', async ({
  harness
}) => {
  await harnessControl(harness, 'backdateKeys', 31)
  await health.refresh()
  const finding = health.finding('website-search', 'Never used in the 31 days the app has known it')
  await expect(finding).toBeVisible()
  await expect(finding).toContainText('Query')
  await page.screenshot({ path: test.info().outputPath('health-findings.png') })

  await finding.getByRole('button', { name: 'Disable' }).click()
  await expect(page.getByText('Disabled website-search')).toBeVisible()
  await expect(finding).toHaveCount(0)

  // Vectara takes about a minute to block it: the Keys view counts that down.
  await keys.open()
  await expect(keys.row('website-search')).toContainText(/Disabling…|Disabled/)
})

test('Dismiss asks why, hides the finding, and Restore brings it back (keyboard only)', async () => {
  await health.open()
  const finding = health.finding('support-console', /Never used/)
  const dismiss = finding.getByRole('button', { name: 'Dismiss' })
  await dismiss.focus()
  await page.keyboard.press('Enter')
  const dialog = page.getByRole('dialog', { name: /^Dismiss “support-console/ })
  await expect(dialog.getByRole('textbox', { name: 'Reason' })).toBeFocused()
  await page.keyboard.press('Enter')
  await expect(dialog.getByText('Say why, so the next person knows')).toBeVisible()
  await page.keyboard.type('Used by the kiosk in the lobby')
  await dialog.getByRole('button', { name: 'Dismiss finding' }).press('Enter')
  await expect(dialog).toBeHidden()
  await expect(finding).toHaveCount(0)

  const dismissed = page.getByText('Dismissed (1)')
  await dismissed.click()
  const list = page.getByRole('list', { name: 'Dismissed findings' })
  await expect(list).toContainText('Used by the kiosk in the lobby')
  await list.getByRole('button', { name: 'Restore' }).click()
  await expect(finding).toBeVisible()
})

test('disabling the only Query key of a corpus leaves it uncovered in Coverage', async () => {
  await health.openCoverage()
  await page.getByRole('group', { name: 'Layout' }).getByText('Corpora down').click()
  const handbook = health.coverage.getByRole('rowheader', { name: /Employee handbook/ })
  await expect(handbook).toBeVisible()
  await expect(handbook).not.toContainText('no Query key')
  await expect(health.coverage.getByRole('rowheader', { name: /Release notes/ })).not.toContainText(
    'no Query key'
  )

  await page.getByRole('tab', { name: /Findings/ }).click()
  await health
    .finding('handbook-assistant', /Never used/)
    .getByRole('button', { name: 'Disable' })
    .click()
  await expect(page.getByText('Disabled handbook-assistant')).toBeVisible()

  await page.getByRole('tab', { name: 'Coverage' }).click()
  await expect(handbook).toContainText('no Query key')
  await expect(page.getByText(/1 corpus no enabled Query key reaches/)).toBeVisible()
  // Disabled keys come back with the toggle; the corpus is still uncovered.
  await page.getByRole('checkbox', { name: 'Include disabled keys' }).check()
  await expect(
    health.coverage.getByRole('button', { name: 'handbook-assistant on Employee handbook: Query' })
  ).toBeVisible()
  await expect(handbook).toContainText('no Query key')
  await page.screenshot({ path: test.info().outputPath('coverage.png') })
  await page.getByRole('checkbox', { name: 'Include disabled keys' }).uncheck()

  // A cell opens its key in the Keys view, marked and focused.
  await health.coverage
    .getByRole('button', { name: 'support-console on Support runbooks: Query' })
    .click()
  await keys.settled()
  await expect(keys.row('support-console')).toHaveClass(/kt-row-highlight/)
  await expect(keys.menuButton('support-console')).toBeFocused()
})

test('an Index key that only queries and is about to expire is rotated to a Query key from Health', async ({
  harness
}) => {
  // One query through the app: all the Index key has ever done.
  await playground.open()
  await playground.chooseKey('release-notes-indexer')
  await playground.run('What changed in the last release?')
  await expect(playground.responseStatus).toContainText('200')

  await keys.open()
  await keys.chooseAction('release-notes-indexer', 'Set expiry…')
  const expiry = page.getByRole('dialog', { name: 'Set expiry for release-notes-indexer' })
  await expiry.getByRole('radio', { name: '30 days' }).click()
  await expiry.getByRole('button', { name: 'Save' }).click()
  await expect(expiry).toBeHidden()

  // Twenty days on, the 14-day reminder is due: a toast here, an OS notification in the app.
  await harnessControl(harness, 'advanceClock', 20 * DAY)
  await expect(page.getByText(/^Key expires in (9|10|11) days$/)).toBeVisible()
  await health.open()
  await expect(health.finding('release-notes-indexer', /Expires in/)).toBeVisible()
  const queriesOnly = health.finding('release-notes-indexer', 'Index key used only for queries')
  await queriesOnly.getByRole('button', { name: 'Rotate to a Query key…' }).click()

  const rotate = page.getByRole('dialog', { name: 'Rotate release-notes-indexer' })
  await expect(rotate.getByRole('button', { name: 'Start rotation' })).toBeVisible()
  const access = rotate.getByRole('radiogroup', { name: 'Access' })
  await expect(access.getByRole('radio', { name: 'Query only (read-only)' })).toBeChecked()
  await rotate
    .getByRole('radiogroup', { name: 'Expires' })
    .getByRole('radio', { name: '90 days' })
    .click()
  const newName = await rotate.getByRole('textbox', { name: 'Name' }).inputValue()
  await rotate.getByRole('button', { name: 'Start rotation' }).click()
  await expect(rotate.getByRole('list', { name: /^Steps of rotating / })).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(rotate).toBeHidden()
  const twin = keys.row(newName)
  await expect(twin).toContainText('Query')
  await expect(twin).toContainText('zqt_')
  await expect(twin.locator('.kt-col-expires')).toHaveAttribute('title', /^Expires /)

  // The rotation waits for the user to swap the key in: Health says so and opens it.
  await health.open()
  const waiting = health.finding('release-notes-indexer', /Rotation waiting for you/)
  await waiting.getByRole('button', { name: 'Open rotation' }).click()
  const panel = page.getByRole('dialog', { name: 'Rotations' })
  await expect(
    panel.getByRole('article', { name: 'Rotation of release-notes-indexer' })
  ).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(panel).toBeHidden()
})

test('an expiry date that passes with "Disable at expiry" disables the key, and says so', async ({
  harness
}) => {
  await keys.open()
  await keys.chooseAction('support-console', 'Set expiry…')
  const dialog = page.getByRole('dialog', { name: 'Set expiry for support-console' })
  await dialog.getByRole('radio', { name: '30 days' }).click()
  await dialog.getByRole('checkbox', { name: 'Disable at expiry' }).check()
  await dialog.getByRole('button', { name: 'Save' }).click()
  await expect(dialog).toBeHidden()
  const row = keys.row('support-console')
  await expect(row.locator('.kt-col-expires')).toHaveAttribute(
    'title',
    /^Expires .*; the app disables it then$/
  )

  await harnessControl(harness, 'advanceClock', 31 * DAY)
  await expect(page.getByText('Key disabled at expiry')).toBeVisible()
  await expect(page.getByText(/“support-console” \(Sandbox\) passed its expiry date/)).toBeVisible()
  await expect(row).toContainText(/Disabling…|Disabled/)

  await health.open()
  const expired = health.finding('support-console', /Expired/)
  await expect(expired.getByRole('button', { name: 'Extend' })).toBeVisible()
  await expect(expired.getByRole('button', { name: 'Delete…' })).toBeVisible()
})

test('Export inventory writes every key, and no secret or masked secret', async ({ harness }) => {
  const list = await invoke(harness, 'keys.list', { accountId: 'sandbox' })
  await page.getByRole('button', { name: 'Export inventory' }).click()
  const download = page.waitForEvent('download')
  await page.getByRole('menuitem', { name: 'CSV (spreadsheet)' }).click()
  const file = await download
  expect(file.suggestedFilename()).toMatch(/^vectara-keys-sandbox-\d{4}-\d{2}-\d{2}\.csv$/)
  const csv = readFileSync((await file.path())!, 'utf8')
  const lines = csv.trimEnd().split('\r\n')
  expect(lines[0]).toBe(
    'account,account_id,key_id,name,kind,status,corpora,first_seen,last_used,expires,disable_at_expiry,open_findings,findings'
  )
  expect(lines).toHaveLength(list.keys.length + 1)
  for (const key of list.keys) {
    const line = lines.find((l) => l.includes(`,${key.id},`))
    expect(line, key.name).toContain(`,${key.name},`)
    expect(line).toContain(key.enabled ? ',enabled,' : ',disabled,')
  }
  expect(lines.find((l) => l.includes(',support-console,'))).toMatch(/,true,\d+,/)
  expect(csv).not.toMatch(/z[uqw]t_[A-Za-z0-9_-]{8,}/)
  expect(csv).not.toContain('…')
  for (const key of list.keys) if (key.maskedSecret) expect(csv).not.toContain(key.maskedSecret)
})
