import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { expect, test } from './fixtures'
import { harnessControl, type HarnessProcess } from '../harnessProcess'
import { KeysPage } from '../pages/keysPage'

/**
 * The key lifecycle as a user does it, against the real main-process code, the real keychain
 * (a private gnome-keyring session) and the embedded Sandbox. One harness for the file, in order,
 * so the final test can scan everything the run wrote for the secrets it created.
 */
test.use({ harnessArgs: ['--propagation-ms', '0'] })
test.describe.configure({ mode: 'serial' })

let page: Page
let keys: KeysPage
const secretsSeen = new Set<string>()

test.beforeAll(async ({ browser, harness }) => {
  page = await browser.newPage()
  keys = new KeysPage(page)
  await keys.goto(harness.url)
})

test.afterAll(async () => {
  await page?.close()
})

async function clipboardText(harness: HarnessProcess): Promise<string> {
  return String((await harnessControl(harness, 'clipboard')).text)
}

test('the Sandbox account opens with its seeded keys of every kind', async () => {
  await expect(page.getByRole('button', { name: /Sandbox/ }).first()).toBeVisible()
  await expect(keys.row('website-search')).toBeVisible()
  for (const kind of ['Personal', 'Query', 'Index']) {
    await expect(keys.table.getByText(new RegExp(`^${kind}`)).first()).toBeVisible()
  }
  await expect(page.getByText(/updated/)).toBeVisible()
})

test('create a Query key: its secret goes to the keychain, never to the page', async () => {
  const dialog = await keys.openCreateDialog()
  const access = dialog.getByRole('radiogroup', { name: 'Access' })
  await expect(access.getByRole('radio', { name: 'Query', exact: true })).toBeChecked()
  await access.getByRole('radio', { name: 'Query & Index', exact: true }).click()
  await expect(access.getByRole('radio', { name: 'Query & Index', exact: true })).toBeChecked()
  await keys.fillCreateDialog(dialog, {
    name: 'e2e docs widget',
    access: 'Query',
    corpora: [/Trailglow product FAQ/]
  })
  await dialog.getByRole('button', { name: 'Create', exact: true }).click()
  await expect(dialog).toBeHidden()
  const row = keys.row('e2e docs widget')
  await expect(row).toBeVisible()
  await expect(row).toContainText('Query')
  await expect(row).toContainText(/zqt_…\w{4}/)
  const html = await page.content()
  expect(html).not.toMatch(/zqt_[A-Za-z0-9]{20,}/)
})

test('copy the key: main writes the clipboard and the toast says it clears', async ({
  harness
}) => {
  await keys.openMenu('e2e docs widget')
  const items = await page.getByRole('menuitem').allInnerTexts()
  expect(items.map((t) => t.trim())).toEqual(
    expect.arrayContaining(['Copy key', 'Reveal key', 'Use in playground', 'Disable', 'Delete…'])
  )
  await page.getByRole('menuitem', { name: 'Copy key' }).click()
  await expect(page.getByText(/clipboard clears in 30/i)).toBeVisible()
  const secret = await clipboardText(harness)
  expect(secret).toMatch(/^zqt_[A-Za-z0-9]{20,}$/)
  secretsSeen.add(secret)
  await expect(keys.row('e2e docs widget')).toContainText(`zqt_…${secret.slice(-4)}`)
  // The copy came from the keychain entry written at creation, under the test service name.
  const keyId = (await keys.row('e2e docs widget').innerText()).match(/aky_\w+/)![0]
  const keytar = (await import('@github/keytar')).default
  expect(await keytar.getPassword('vectara-key-manager-test', `key:sandbox:${keyId}`)).toBe(secret)
})

test('Escape closes the menu without acting', async ({ harness }) => {
  await harnessControl(harness, 'clipboard') // read only
  await keys.openMenu('e2e docs widget')
  await page.keyboard.press('ArrowDown')
  await page.keyboard.press('Escape')
  await expect(page.getByRole('menu')).toBeHidden()
  await expect(keys.menuButton('e2e docs widget')).toBeFocused()
  await expect(keys.row('e2e docs widget')).toContainText('Enabled')
})

test('disable: "Disabling…" at once, then "Blocked since" once a probe is refused; enable: "Serving since"', async () => {
  // "Disabling…" lasts until the first probe, a second later: watched from inside the page, since
  // on a loaded machine that second can fall between two polls.
  let shown = await keys.watchRow('e2e docs widget')
  await keys.chooseAction('e2e docs widget', 'Disable')
  const row = keys.row('e2e docs widget')
  await shown('Disabling…')
  await expect(row).toContainText(/Blocked since \d{1,2}:\d{2}/, { timeout: 20_000 })

  shown = await keys.watchRow('e2e docs widget')
  await keys.openMenu('e2e docs widget')
  await expect(page.getByRole('menuitem', { name: 'Enable' })).toBeVisible()
  await page.getByRole('menuitem', { name: 'Enable' }).click()
  await shown('Enabling…')
  await expect(row).toContainText(/Serving since \d{1,2}:\d{2}/, { timeout: 20_000 })
})

test('reveal shows the secret for a while and a Hide button masks it again', async () => {
  await keys.chooseAction('e2e docs widget', 'Reveal key')
  const secret = [...secretsSeen][0]
  const row = keys.row('e2e docs widget')
  await expect(row).toContainText(secret)
  await row.getByRole('button', { name: /Hide/ }).click()
  await expect(row).not.toContainText(secret)
})

test('delete asks for the exact name; Escape cancels; typing it deletes', async () => {
  await keys.chooseAction('e2e docs widget', 'Delete…')
  let dialog = page.getByRole('alertdialog')
  await expect(dialog).toContainText(/permanent/i)
  await expect(dialog).toContainText(/uses this key will be blocked/i)
  await expect(dialog).toContainText(/never|ago/)
  await page.keyboard.press('Escape')
  await expect(dialog).toBeHidden()
  await expect(keys.row('e2e docs widget')).toBeVisible()

  await keys.chooseAction('e2e docs widget', 'Delete…')
  dialog = page.getByRole('alertdialog')
  const confirm = dialog.getByRole('textbox', { name: 'Type e2e docs widget to confirm' })
  const deleteButton = dialog.getByRole('button', { name: 'Delete key' })
  await expect(deleteButton).toBeDisabled()
  await confirm.fill('e2e docs')
  await expect(deleteButton).toBeDisabled()
  await confirm.fill('e2e docs widget')
  await expect(deleteButton).toBeEnabled()
  await deleteButton.click()
  await expect(dialog).toBeHidden()
  await expect(keys.row('e2e docs widget')).toHaveCount(0)
})

test("the account's own key cannot be disabled or deleted from here, and the menu says why", async () => {
  await expect(keys.row('Sandbox admin (personal)')).toContainText("app's key")
  await keys.openMenu('Sandbox admin (personal)')
  await expect(page.getByRole('menuitem', { name: 'Disable' })).toBeDisabled()
  await expect(page.getByRole('menuitem', { name: 'Delete…' })).toBeDisabled()
  await expect(page.getByRole('menu')).toContainText(/signs in to the account with this key/)
  await page.keyboard.press('Escape')
  await expect(keys.row('Sandbox admin (personal)')).toContainText('Enabled')
})

test('a 403 on delete is shown in the dialog, which stays open', async () => {
  // An account whose Personal key may only read (RBAC viewer): listing works, deleting is refused.
  const viewerKey = await page.evaluate(async () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each call answers another shape
    type Api = { invoke: (n: string, i: unknown) => Promise<{ ok: boolean; value: any }> }
    const api = (window as unknown as { api: Api }).api
    const state = (await api.invoke('accounts.list', undefined)).value
    const keys = (await api.invoke('keys.list', { accountId: 'sandbox' })).value.keys
    const admin = keys.find((k: { accountCredential?: boolean }) => k.accountCredential)
    const adminSecret = (
      await api.invoke('keys.revealSecret', { accountId: 'sandbox', keyId: admin.id })
    ).value.secret
    const base = state.accounts.find((a: { id: string }) => a.id === 'sandbox').baseUrl
    return { base, adminSecret }
  })
  secretsSeen.add(viewerKey.adminSecret)
  const created = await fetch(`${viewerKey.base}/v2/api_keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': viewerKey.adminSecret },
    body: JSON.stringify({ name: 'e2e auditor', api_key_role: 'personal', api_roles: ['viewer'] })
  })
  const auditor = (await created.json()) as { secret_key: string }
  secretsSeen.add(auditor.secret_key)

  await page.getByRole('link', { name: 'Accounts' }).click()
  await page
    .getByRole('button', { name: /Add account/ })
    .first()
    .click()
  const form = page.getByRole('dialog')
  await form.getByRole('textbox', { name: 'Name' }).fill('Read-only auditor')
  await form.getByRole('textbox', { name: /base URL/i }).fill(viewerKey.base)
  await form
    .getByLabel(/Personal API key/)
    .first()
    .fill(auditor.secret_key)
  await form.getByRole('button', { name: /Check and save/ }).click()
  await expect(form).toBeHidden()
  await expect(page.getByText('Read-only auditor').first()).toBeVisible()
  expect(await page.content()).not.toContain(auditor.secret_key)

  await page.getByRole('button', { name: /Switch account/ }).click()
  await page.getByRole('menuitemradio', { name: /Read-only auditor/ }).click()
  await keys.open()
  await expect(keys.row('website-search')).toBeVisible()

  await keys.chooseAction('website-search', 'Delete…')
  const dialog = page.getByRole('alertdialog')
  await dialog
    .getByRole('textbox', { name: 'Type website-search to confirm' })
    .fill('website-search')
  await dialog.getByRole('button', { name: 'Delete key' }).click()
  await expect(dialog.getByRole('alert')).toContainText(
    /not allowed|only allow reading|permission/i
  )
  await expect(dialog).toBeVisible()
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await expect(keys.row('website-search')).toBeVisible()

  // Back to the Sandbox account for the rest of the run.
  await page.getByRole('button', { name: /Switch account/ }).click()
  await page.getByRole('menuitemradio', { name: /^Sandbox/ }).click()
  await expect(keys.row('e2e auditor')).toBeVisible()
})

test('edit renames an account; remove deletes it, its keychain credential and its cached keys', async () => {
  await page.getByRole('link', { name: 'Accounts' }).click()
  await page.getByRole('button', { name: 'Edit Read-only auditor' }).click()
  const form = page.getByRole('dialog')
  await form.getByRole('textbox', { name: 'Name' }).fill('Auditor (read-only)')
  await form.getByRole('button', { name: /^(Save|Check and save)$/ }).click()
  await expect(form).toBeHidden()
  await expect(page.getByText('Auditor (read-only)').first()).toBeVisible()

  const accountId = await page.evaluate(async () => {
    type Api = {
      invoke: (
        n: string,
        i: unknown
      ) => Promise<{ value: { accounts: { id: string; name: string }[] } }>
    }
    const api = (window as unknown as { api: Api }).api
    return (await api.invoke('accounts.list', undefined)).value.accounts.find(
      (a) => a.name === 'Auditor (read-only)'
    )!.id
  })
  const keytar = (await import('@github/keytar')).default
  expect(await keytar.getPassword('vectara-key-manager-test', `profile:${accountId}`)).toMatch(
    /^zut_/
  )

  await page.getByRole('button', { name: 'Remove Auditor (read-only)' }).click()
  const confirm = page.getByRole('alertdialog')
  await expect(confirm).toContainText(/keychain/)
  await confirm.getByRole('button', { name: 'Remove account' }).click()
  await expect(confirm).toBeHidden()
  await expect(page.getByText('Auditor (read-only)')).toHaveCount(0)
  expect(await keytar.getPassword('vectara-key-manager-test', `profile:${accountId}`)).toBeNull()
  await keys.open()
})

test('the network going down during refresh keeps the cached list and says so', async ({
  harness
}) => {
  await harnessControl(harness, 'sandbox', false)
  try {
    await page.getByRole('button', { name: 'Refresh', exact: true }).click()
    await expect(page.getByText(/could not be reached/i)).toBeVisible()
    await expect(keys.row('website-search')).toBeVisible()
  } finally {
    await harnessControl(harness, 'sandbox', true)
  }
  await page
    .getByRole('button', { name: /Retry|Refresh/ })
    .first()
    .click()
  await expect(page.getByText(/could not be reached/i)).toBeHidden()
})

test('with the keychain unavailable, a new key secret is shown once so nothing is lost', async ({
  harness
}) => {
  await harnessControl(harness, 'keychain', false)
  try {
    const dialog = await keys.openCreateDialog()
    await keys.fillCreateDialog(dialog, { name: 'e2e no keychain', corpora: [/Release notes/] })
    await dialog.getByRole('button', { name: 'Create', exact: true }).click()
    await expect(dialog).toContainText(/keychain/i)
    const shown = await dialog.getByText(/^zqt_[A-Za-z0-9]{20,}$/).innerText()
    secretsSeen.add(shown.trim())
    await dialog.getByRole('button', { name: /saved it/i }).click()
    await expect(page.getByRole('dialog')).toBeHidden()
  } finally {
    await harnessControl(harness, 'keychain', true)
  }
})

test('a bad credential on add account is refused plainly and nothing is saved', async ({
  harness
}) => {
  await page.getByRole('link', { name: 'Accounts' }).click()
  await page
    .getByRole('button', { name: /Add account/ })
    .first()
    .click()
  const dialog = page.getByRole('dialog')
  await dialog.getByRole('textbox', { name: 'Name' }).fill('Bad one')
  await dialog.getByRole('textbox', { name: /base URL/i }).fill(new URL(harness.url).origin)
  const sandboxUrl = String(
    await page.evaluate(async () => {
      const api = (
        window as unknown as {
          api: {
            invoke: (
              n: string,
              i: unknown
            ) => Promise<{ value: { accounts: { baseUrl: string }[] } }>
          }
        }
      ).api
      return (await api.invoke('accounts.list', undefined)).value.accounts[0].baseUrl
    })
  )
  await dialog.getByRole('textbox', { name: /base URL/i }).fill(sandboxUrl)
  await dialog
    .getByLabel(/Personal API key/)
    .first()
    .fill('zut_definitelyNotARealKey123')
  await dialog.getByRole('button', { name: /Check and save/ }).click()
  await expect(dialog.getByText(/rejected/i).first()).toBeVisible()
  await expect(dialog).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByText('Bad one')).toHaveCount(0)
  await keys.open()
})

test('no secret created in this run is in SQLite, the harness log or the page storage', async ({
  harness
}) => {
  expect(secretsSeen.size).toBeGreaterThanOrEqual(2)
  const storage = await page.evaluate(
    () => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage })
  )
  const files = readdirSync(harness.dataDir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(harness.dataDir, f))
    .filter((f) => statSync(f).isFile() && !f.includes(`${join('sandbox', '')}`))
  expect(files.some((f) => f.endsWith('vkm.db'))).toBe(true)
  const haystacks = [
    ...files.map((f) => ({ where: f, text: readFileSync(f).toString('latin1') })),
    { where: 'harness log', text: harness.logs() },
    { where: 'page storage', text: storage }
  ]
  for (const secret of secretsSeen) {
    for (const { where, text } of haystacks) {
      expect(text.includes(secret), `${secret.slice(0, 6)}… found in ${where}`).toBe(false)
    }
  }
})
