import { randomBytes } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
import { invoke } from '../harnessApi'
import { KeysPage } from '../pages/keysPage'
import { RotationPage } from '../pages/rotationPage'
import { ScanPage } from '../pages/scanPage'
import { expect, test } from './fixtures'

// A harness of its own: disabling a key here must not surprise another spec's Keys list.
test.use({ harnessArgs: ['--propagation-ms', '0'] })

const KEY = 'handbook-assistant'
/** A Vectara secret's shape: its prefix and a long run of key characters. */
const SECRET_SHAPED = /z[uqw]t_[A-Za-z0-9_-]{20,}/
let folder: string

test.beforeEach(async ({ harness }) => {
  folder = mkdtempSync(join(tmpdir(), 'vkm-e2e-scan-'))
  const { keys } = await invoke(harness, 'keys.refresh', { accountId: 'sandbox' })
  const key = keys.find((k) => k.name === KEY)!
  if (!key.enabled) {
    await invoke(harness, 'keys.setEnabled', { accountId: 'sandbox', keyId: key.id, enabled: true })
  }
})

test.afterEach(async ({ harness }) => {
  // Each run scans its own folder: forget this one and delete it.
  for (const f of (await invoke(harness, 'scan.state', undefined)).folders) {
    await invoke(harness, 'scan.removeFolder', { folderId: f.id })
  }
  rmSync(folder, { recursive: true, force: true })
})

async function seededSecret(harness: Parameters<typeof invoke>[0]): Promise<string> {
  const { keys } = await invoke(harness, 'keys.list', { accountId: 'sandbox' })
  const key = keys.find((k) => k.name === KEY)!
  return (await invoke(harness, 'keys.revealSecret', { accountId: 'sandbox', keyId: key.id }))
    .secret
}

test('finds a planted Sandbox key in a .env, matches it to its key, disables it, and the Keys list shows where it is', async ({
  page,
  harness
}) => {
  const secret = await seededSecret(harness)
  mkdirSync(join(folder, 'app'))
  writeFileSync(join(folder, 'app', '.env'), `# local settings\nVECTARA_API_KEY=${secret}\n`)
  // Every answer and event the page receives, to prove none holds a secret.
  const answers: string[] = []
  page.on('response', (response) => {
    if (response.url().includes('/__api/invoke/')) {
      void response.text().then((text) => answers.push(text))
    }
  })
  const scan = new ScanPage(page)
  await page.goto(harness.url)
  await page.evaluate(() => {
    const seen: unknown[] = []
    ;(window as unknown as { scanEvents: unknown[] }).scanEvents = seen
    const api = (window as unknown as { api: { on(n: string, l: (p: unknown) => void): void } }).api
    for (const name of ['scan.progress', 'scan.finished', 'keys.changed']) {
      api.on(name, (payload) => seen.push(payload))
    }
  })
  await scan.open()
  await expect(page.getByRole('heading', { name: 'No folders yet' })).toBeVisible()

  await scan.addFolder('projects/app')
  await expect(page.getByText("Enter the folder's full path")).toBeVisible()
  await scan.addFolder(folder)
  await expect(scan.folders.getByRole('listitem')).toHaveText([folder])
  await expect(page.getByRole('textbox', { name: 'Folder' })).toHaveValue('')
  await expect(page.getByRole('checkbox', { name: 'Skip node_modules' })).toBeChecked()

  await scan.scan()
  const row = scan.row('app/.env')
  await expect(row).toHaveCount(1)
  await expect(row.getByRole('cell').nth(1)).toHaveText('2')
  await expect(row).toContainText(`zqt_…${secret.slice(-4)}`)
  await expect(row).toContainText(KEY)
  await expect(row).toContainText('Sandbox')
  await expect(row).toContainText('enabled')
  await expect(page.getByRole('rowgroup').filter({ hasText: KEY })).toContainText('1 file')
  // Nothing on the page is the secret itself.
  expect(await page.content()).not.toContain(secret)

  await row.getByRole('button', { name: 'Show in folder' }).click()
  await expect(page.getByText('Path copied')).toBeVisible()

  await row.getByRole('button', { name: 'Disable key' }).click()
  const dialog = page.getByRole('alertdialog', { name: `Disable ${KEY}?` })
  await expect(dialog.getByText('these will stop working')).toBeVisible()

  await expect(dialog.getByRole('list', { name: 'Files that use this key' })).toContainText(
    join(folder, 'app', '.env')
  )
  await dialog.getByRole('button', { name: 'Disable key' }).click()
  await expect(dialog).toBeHidden()
  await expect(page.getByText(`Disabled ${KEY}`)).toBeVisible()
  await expect(row).toContainText('disabled')
  await expect(row.getByRole('button', { name: 'Disable key' })).toBeDisabled()

  const keys = new KeysPage(page)
  await keys.open()
  await expect(keys.row(KEY)).toContainText('in 1 file')
  // Its Delete dialog names the file too.
  await keys.openMenu(KEY)
  await page.getByRole('menuitem', { name: 'Delete…' }).click()
  const remove = page.getByRole('alertdialog', { name: `Delete ${KEY}?` })
  await expect(remove.getByRole('list', { name: 'Files that use this key' })).toContainText(
    join(folder, 'app', '.env')
  )
  await remove.getByRole('button', { name: 'Cancel' }).click()

  const events = await page.evaluate(() =>
    JSON.stringify((window as unknown as { scanEvents: unknown[] }).scanEvents)
  )
  expect(events).toContain('"listingDone":true')
  expect(answers.join('\n')).toContain('scan')
  const files = readdirSync(harness.dataDir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(harness.dataDir, f))
    .filter((f) => statSync(f).isFile() && !f.includes(join('sandbox', '')))
  const haystacks = [
    ...files.map((f) => ({ where: f, text: readFileSync(f).toString('latin1') })),
    { where: 'harness log', text: harness.logs() },
    { where: 'call answers', text: answers.join('\n') },
    { where: 'events', text: events },
    { where: 'page', text: await page.content() }
  ]
  for (const { where, text } of haystacks) {
    expect(text.includes(secret), `the secret is in ${where}`).toBe(false)
    expect(text, where).not.toMatch(SECRET_SHAPED)
  }
})

test('ignores a finding until its file changes, and lists what it could not read', async ({
  page,
  harness
}) => {
  const secret = await seededSecret(harness)
  writeFileSync(join(folder, 'notes.md'), `key: ${secret}\n`)
  writeFileSync(join(folder, 'blob.bin'), Buffer.from([0, 1, 2, 3]))
  symlinkSync('/etc/hostname', join(folder, 'link.txt'))
  const scan = new ScanPage(page)
  await page.goto(harness.url)
  await scan.open()
  await scan.addFolder(folder)
  await scan.scan()

  await expect(page.getByText(/1 binary file skipped/)).toBeVisible()
  await page.getByText('1 file or folder not read').click()
  await expect(page.getByRole('list', { name: 'Files and folders not read' })).toContainText(
    'symbolic link, not followed'
  )

  await scan.row('notes.md').getByRole('button', { name: 'Ignore' }).click()
  await expect(page.getByRole('heading', { name: 'Every finding is ignored' })).toBeVisible()
  await scan.scan()
  await expect(page.getByRole('heading', { name: 'Every finding is ignored' })).toBeVisible()

  writeFileSync(join(folder, 'notes.md'), `the key:\n${secret}\n`)
  await scan.scan()
  await expect(scan.row('notes.md')).toContainText(KEY)
})

test("Rotate… on a finding opens that key's rotation with its files chosen, and replaces the secret in them", async ({
  page,
  harness
}) => {
  const name = 'support-console'
  const { keys: listed } = await invoke(harness, 'keys.list', { accountId: 'sandbox' })
  const key = listed.find((k) => k.name === name)!
  const { secret } = await invoke(harness, 'keys.revealSecret', {
    accountId: 'sandbox',
    keyId: key.id
  })
  mkdirSync(join(folder, 'web'))
  mkdirSync(join(folder, 'old'))
  const used = join(folder, 'web', '.env')
  const ignored = join(folder, 'old', 'notes.txt')
  writeFileSync(used, `VECTARA_API_KEY=${secret}\r\nDEBUG=1\r\n`)
  writeFileSync(ignored, `old key: ${secret}\n`)
  const scan = new ScanPage(page)
  await page.goto(harness.url)
  await scan.open()
  await scan.addFolder(folder)
  await scan.scan()
  await scan.row('old/notes.txt').getByRole('button', { name: 'Ignore' }).click()
  await expect(page.getByRole('checkbox', { name: 'Show ignored (1)' })).toBeVisible()

  await scan.row('web/.env').getByRole('button', { name: 'Rotate…' }).click()
  const rotation = new RotationPage(page, new KeysPage(page))
  const dialog = rotation.dialog(name)
  await expect(dialog.getByRole('button', { name: 'Start rotation' })).toBeVisible()
  await expect(dialog).toContainText('web/.env')
  await dialog.getByRole('button', { name: 'Start rotation' }).click()
  const swap = rotation.step(dialog, 'Swap it in')
  // The finding the user acted on comes chosen; the ignored one is listed, not chosen.
  const usedBox = swap.getByRole('checkbox', { name: /web\/\.env/ })
  const ignoredBox = swap.getByRole('checkbox', { name: /old\/notes\.txt/ })
  await expect(usedBox).toBeChecked()
  await expect(ignoredBox).not.toBeChecked()
  await swap.getByRole('button', { name: 'Replace in files' }).click()
  await expect(swap.getByRole('status')).toContainText('Replaced in 1 place')

  const { keys: after } = await invoke(harness, 'keys.list', { accountId: 'sandbox' })
  const twin = after.find((k) => k.name.startsWith(`${name} (rotated`))!
  const { secret: fresh } = await invoke(harness, 'keys.revealSecret', {
    accountId: 'sandbox',
    keyId: twin.id
  })
  expect(readFileSync(used, 'utf8')).toBe(`VECTARA_API_KEY=${fresh}\r\nDEBUG=1\r\n`)
  expect(readFileSync(ignored, 'utf8')).toBe(`old key: ${secret}\n`)
  expect(await page.content()).not.toContain(fresh)

  const { rotations } = await invoke(harness, 'rotations.list', { accountId: 'sandbox' })
  for (const r of rotations.filter((r) => r.status === 'active'))
    await invoke(harness, 'rotations.cancel', { id: r.id })
})

async function expectAccessible(page: Page, where: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    // A dialog fading in has colours between its two states: judge the ones it settles on.
    await page.waitForFunction(() =>
      document
        .getAnimations()
        .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity)
    )
    const { violations } = await new AxeBuilder({ page }).analyze()
    const serious = violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.help}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`)
    expect(serious, `serious or critical axe violations: ${where}, ${colorScheme}`).toEqual([])
  }
  await page.emulateMedia({ colorScheme: 'light' })
}

test('no findings says how many files were read; the view passes axe in light and dark', async ({
  page,
  harness
}) => {
  writeFileSync(join(folder, 'readme.md'), '# nothing here\n')
  writeFileSync(join(folder, 'config.yaml'), 'token: zqt_short\n')
  const scan = new ScanPage(page)
  await page.goto(harness.url)
  await scan.open()
  await scan.addFolder(folder)
  await scan.scan()
  await expect(
    page.getByRole('heading', { name: 'No Vectara keys found in 2 files' })
  ).toBeVisible()
  await expectAccessible(page, 'Scan view with no findings')
})

test('the Findings table, the Disable dialog and the Keys badge pass axe in light and dark', async ({
  page,
  harness
}) => {
  test.setTimeout(120_000)
  writeFileSync(join(folder, '.env'), `VECTARA_API_KEY=${await seededSecret(harness)}\n`)
  const unknown = 'zwt_' + randomBytes(30).toString('base64url').slice(0, 38)
  writeFileSync(join(folder, 'notes.md'), `other: ${unknown}\n`)
  const scan = new ScanPage(page)
  await page.goto(harness.url)
  await scan.open()
  await scan.addFolder(folder)
  await scan.scan()
  await expect(scan.row('notes.md')).toBeVisible()
  await expectAccessible(page, 'Findings')
  await scan.row('.env').getByRole('button', { name: 'Disable key' }).click()
  await expect(page.getByRole('alertdialog')).toBeVisible()
  await expectAccessible(page, 'Disable key dialog')
  await page.getByRole('button', { name: 'Cancel' }).click()
  const keys = new KeysPage(page)
  await keys.open()
  await expect(keys.row(KEY)).toContainText('in 1 file')
  await expectAccessible(page, 'Keys list with an "in 1 file" badge')
})

test('Cancel stops a scan of a big tree and keeps the results before it', async ({
  page,
  harness
}) => {
  const unknown = 'zqt_' + randomBytes(30).toString('base64url').slice(0, 38)
  writeFileSync(join(folder, '.env'), `OTHER_VENDOR_TOKEN=${unknown}\n`)
  const scan = new ScanPage(page)
  await page.goto(harness.url)
  await scan.open()
  await scan.addFolder(folder)
  await scan.scan()
  await expect(scan.row('.env')).toContainText('unknown key')

  // 30,000 files in 300 folders: about a second of work for the scan threads. In memory when
  // the machine has a tmpfs, so that writing them does not take longer than the test.
  const big = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), 'vkm-e2e-big-'))
  try {
    const text = 'const greeting = "hello, world" // nothing secret here\n'.repeat(60)
    for (let d = 0; d < 300; d++) {
      const dir = join(big, `pkg-${d}`, 'src')
      mkdirSync(dir, { recursive: true })
      for (let f = 0; f < 100; f++) writeFileSync(join(dir, `file-${f}.ts`), text)
    }
    await scan.addFolder(big)
    // Cancel is pressed the moment it shows: a scan this size must not end first.
    await page.evaluate(() => {
      const observer = new MutationObserver(() => {
        const cancel = Array.from(document.querySelectorAll('button')).find(
          (b) => b.textContent?.trim() === 'Cancel'
        )
        if (!cancel) return
        observer.disconnect()
        cancel.click()
      })
      observer.observe(document.body, { childList: true, subtree: true })
    })
    await page.getByRole('button', { name: 'Scan', exact: true }).click()
    await expect(page.getByText(/The last scan was cancelled/)).toBeVisible({ timeout: 15_000 })
    await expect(scan.progress).toBeHidden()
    await expect(page.getByRole('button', { name: 'Scan', exact: true })).toBeEnabled()
    expect((await invoke(harness, 'scan.state', undefined)).lastScan).toMatchObject({
      outcome: 'cancelled',
      counts: null
    })
    await expect(scan.row('.env')).toContainText('unknown key')
  } finally {
    rmSync(big, { recursive: true, force: true })
  }
})
