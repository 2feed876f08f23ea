import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import BetterSqlite3 from 'better-sqlite3'
import type { Browser, Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { invoke } from '../harnessApi'
import { harnessControl, startHarnessProcess, type HarnessProcess } from '../harnessProcess'
import { KeysPage } from '../pages/keysPage'
import { RotationPage } from '../pages/rotationPage'

/**
 * Key rotation as a user does it, against the real main-process code, the real keychain and the
 * embedded Sandbox: rotate a Query key with "Now", rotate with "When I confirm" across a restart
 * of the app on the same data folder, rotate the app's own key. One harness for the file, in
 * order, so the last test can scan what the run wrote for every secret it saw.
 */
test.use({ harnessArgs: ['--propagation-ms', '0'] })
test.describe.configure({ mode: 'serial' })

const DAY = 24 * 60 * 60 * 1000
const TIME = /\d{1,2}:\d{2}/
let page: Page
let keys: KeysPage
let rotation: RotationPage
const secretsSeen = new Set<string>()

test.beforeAll(async ({ browser, harness }) => {
  // A context of its own: axe needs one made with browser.newContext().
  page = await (await browser.newContext()).newPage()
  keys = new KeysPage(page)
  rotation = new RotationPage(page, keys)
  await keys.goto(harness.url)
})

test.afterAll(async () => {
  await page?.context().close()
})

/** The secret of a key, asked of main as a test would, to look for it where it must not be. */
async function remember(harness: HarnessProcess, keyName: string, prefix = false): Promise<void> {
  const { keys: list } = await invoke(harness, 'keys.list', { accountId: 'sandbox' })
  const key = list.find((k) => (prefix ? k.name.startsWith(keyName) : k.name === keyName))!
  const { secret } = await invoke(harness, 'keys.revealSecret', {
    accountId: 'sandbox',
    keyId: key.id
  })
  secretsSeen.add(secret)
}

test('rotate a Query key with "Now": the new key serves, the old one is blocked, then deleted after the grace period', async ({
  harness
}) => {
  await remember(harness, 'website-search')
  const dialog = await rotation.openPlan('website-search')
  await expect(dialog).toContainText('Files on this machine')
  await expect(dialog.getByRole('textbox', { name: 'Name' })).toHaveValue(
    /^website-search \(rotated \d{4}-\d{2}-\d{2}\)$/
  )
  // axe over the plan in both themes (the app follows the OS's).
  for (const colorScheme of ['dark', 'light'] as const) {
    await page.emulateMedia({ colorScheme })
    // Colours ease into the new theme: axe must see where they end, not half way.
    await page.waitForFunction(() =>
      document
        .getAnimations()
        .every((a) => !(a instanceof CSSTransition) || a.playState !== 'running')
    )
    await expectAccessible(page, `Rotate dialog (the plan), ${colorScheme}`)
  }
  await rotation.choose(dialog, { disable: 'Now', name: 'website-search v2' })
  await dialog.getByRole('button', { name: 'Start rotation' }).click()

  await expect(rotation.step(dialog, 'Create the new key')).toContainText('Done')
  await expect(rotation.step(dialog, 'Check that the new key serves')).toContainText(
    new RegExp(`Serving since ${TIME.source}`)
  )
  await expect(rotation.step(dialog, 'Disable the old key')).toContainText(
    new RegExp(`Blocked since ${TIME.source}`),
    { timeout: 20_000 }
  )
  await remember(harness, 'website-search v2')
  await page.keyboard.press('Escape')

  await expect(keys.row('website-search v2')).toContainText('Enabled')
  await expect(keys.row('website-search').first()).toContainText(/Blocked since|Disabled/)
  await expect(rotation.banner()).toHaveText('1 rotation in progress')

  // A week passes: the old key is ready to go, and the app asks once more, with its name.
  await harnessControl(harness, 'advanceClock', 7 * DAY + 60_000)
  await expect(page.getByText('Ready to delete website-search').first()).toBeVisible()
  const panel = await rotation.openPanel()
  await panel.getByRole('button', { name: 'Delete website-search…' }).click()
  const confirm = page.getByRole('alertdialog')
  await expect(confirm).toContainText('website-search')
  await confirm.getByRole('button', { name: 'Delete key' }).click()
  await expect(confirm).toBeHidden()
  await expect(panel.getByRole('heading', { name: 'Finished' })).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(keys.row('website-search v2')).toBeVisible()
  await expect(
    keys.table.getByRole('row').filter({ hasText: /^website-search\b(?! v2)/ })
  ).toHaveCount(0)
  await expect(rotation.banner()).toHaveCount(0)
})

test("rotate the app's own key: the app signs in with the new Personal key before the old one is blocked", async ({
  harness
}) => {
  await remember(harness, 'Sandbox admin (personal)')
  const dialog = await rotation.openPlan('Sandbox admin (personal)')
  await expect(dialog).toContainText('The app signs in to this account with this key')
  await expect(dialog.getByRole('combobox', { name: 'Corpora' })).toHaveCount(0)
  await rotation.choose(dialog, { disable: 'Now', delete: 'Never', name: 'Sandbox admin 2' })
  await dialog.getByRole('button', { name: 'Start rotation' }).click()
  await expect(rotation.step(dialog, 'Sign the app in with the new key')).toContainText('Done', {
    timeout: 20_000
  })
  await expect(rotation.step(dialog, 'Disable the old key')).toContainText(
    new RegExp(`Blocked since ${TIME.source}`),
    { timeout: 20_000 }
  )
  await remember(harness, 'Sandbox admin 2')
  await page.keyboard.press('Escape')

  // The app works on with the new key, which is now "app's key".
  await page.getByRole('button', { name: 'Refresh', exact: true }).click()
  await keys.settled()
  await expect(keys.row('Sandbox admin 2')).toContainText("app's key")
  await expect(keys.row('Sandbox admin (personal)')).not.toContainText("app's key")
  await expect(keys.row('Sandbox admin (personal)')).toContainText('Disabled')
})

test('"When I confirm" waits for the user, and a restarted app shows the rotation where it stopped', async ({
  browser
}) => {
  test.setTimeout(120_000)
  const dataDir = mkdtempSync(join(tmpdir(), 'vkm-e2e-rotation-'))
  try {
    let app = await openApp(browser, dataDir)
    await remember(app.harness, 'support-console')
    const dialog = await app.rotation.rotate('support-console', { disable: 'When I confirm' })
    await expect(app.rotation.step(dialog, 'Check that the new key serves')).toContainText(
      'Serving since'
    )
    // Swapping: the request in code reads the key from VECTARA_API_KEY, never holds it.
    const swap = app.rotation.step(dialog, 'Swap it in')
    await swap.getByText('The request in JavaScript, Python and cURL').click()
    for (const tab of ['JavaScript', 'Python', 'cURL'])
      await expect(swap.getByRole('tab', { name: tab, exact: true })).toBeVisible()
    await expect(swap).toContainText('VECTARA_API_KEY')
    await expect(swap.getByRole('button', { name: 'Copy new key' })).toBeVisible()
    await remember(app.harness, 'support-console (rotated', true)
    for (const secret of secretsSeen) await expect(dialog).not.toContainText(secret)
    await expectAccessible(app.page, 'Rotate dialog with the steps')
    const disable = app.rotation.step(dialog, 'Disable the old key')
    await expect(disable).toContainText('Needs you')
    await expect(disable.getByRole('button', { name: 'Disable the old key' })).toBeVisible()
    await app.close()

    app = await openApp(browser, dataDir)
    await expect(app.rotation.banner()).toHaveText('1 rotation in progress')
    const panel = await app.rotation.openPanel()
    await expectAccessible(app.page, 'Rotations panel')
    const resumed = app.rotation.step(panel, 'Disable the old key')
    await expect(app.rotation.step(panel, 'Check that the new key serves')).toContainText(
      'Serving since'
    )
    await expect(resumed).toContainText('Needs you')
    await resumed.getByRole('button', { name: 'Disable the old key' }).click()
    await expect(resumed).toContainText(new RegExp(`Blocked since ${TIME.source}`), {
      timeout: 20_000
    })
    const logs = app.harness.logs()
    await app.close()
    expectNoSecretIn([...dataFiles(dataDir), { where: 'harness log', text: logs }])
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
})

async function expectAccessible(on: Page, where: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page: on }).analyze()
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)
  expect(serious, `serious or critical axe violations: ${where}`).toEqual([])
}

/** Every file the app wrote in its data folder, but the Sandbox's (a server holds its keys). */
function dataFiles(dataDir: string): { where: string; text: string }[] {
  const files = readdirSync(dataDir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dataDir, f))
    .filter((f) => statSync(f).isFile() && !f.includes(`${join('sandbox', '')}`))
  expect(files.some((f) => f.endsWith('vkm.db'))).toBe(true)
  return files.map((f) => ({ where: f, text: readFileSync(f).toString('latin1') }))
}

function expectNoSecretIn(haystacks: { where: string; text: string }[]): void {
  for (const secret of secretsSeen) {
    for (const { where, text } of haystacks) {
      expect(text.includes(secret), `${secret.slice(0, 6)}… found in ${where}`).toBe(false)
    }
  }
}

/** The app on a data folder of its own, restartable: a harness process and a page on it. */
async function openApp(browser: Browser, dataDir: string) {
  const harness = await startHarnessProcess(['--data', dataDir, '--propagation-ms', '0'])
  const context = await browser.newContext()
  const appPage = await context.newPage()
  const appKeys = new KeysPage(appPage)
  await appKeys.goto(harness.url)
  await appPage.getByLabel('Search keys').fill('support-console')
  return {
    harness,
    page: appPage,
    rotation: new RotationPage(appPage, appKeys),
    async close() {
      await context.close()
      await harness.stop()
    }
  }
}

test('no secret of this run is in SQLite (the rotations table included), the harness log or the page', async ({
  harness
}) => {
  expect(secretsSeen.size).toBeGreaterThanOrEqual(4)
  const db = new BetterSqlite3(join(harness.dataDir, 'vkm.db'), { readonly: true })
  let rotationRows: string
  try {
    rotationRows = JSON.stringify(db.prepare('SELECT * FROM rotations').all())
    expect((db.prepare('SELECT COUNT(*) AS n FROM rotations').get() as { n: number }).n).toBe(2)
  } finally {
    db.close()
  }
  const storage = await page.evaluate(
    () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })
  )
  expectNoSecretIn([
    ...dataFiles(harness.dataDir),
    { where: 'rotations table', text: rotationRows },
    { where: 'harness log', text: harness.logs() },
    { where: 'page storage', text: storage },
    { where: 'page', text: await page.content() }
  ])
})
