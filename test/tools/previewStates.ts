/**
 * The states test/tools/preview.ts can show: each one gets the real app (through the web
 * harness) from the Keys view to what a screenshot should show, with the e2e page objects.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { Locator, Page } from '@playwright/test'
import type { CallName } from '../../src/shared/contract'
import type { AppErrorShape, Result } from '../../src/shared/errors'
import { invoke } from '../e2e/harnessApi'
import { harnessControl, type HarnessProcess } from '../e2e/harnessProcess'
import type { KeysPage } from '../e2e/pages/keysPage'
import type { PlaygroundPage } from '../e2e/pages/playgroundPage'
import { HealthPage } from '../e2e/pages/healthPage'
import { RotationPage, type RotationChoices } from '../e2e/pages/rotationPage'

export interface App {
  page: Page
  harness: HarnessProcess
  keys: KeysPage
  playground: PlaygroundPage
}

export interface State {
  /** Before the app loads (e.g. holding a call, to see what the wait looks like). */
  before?: (app: App) => Promise<void>
  /** The key list never arrives: wait for the table only, not for its keys. */
  listHeld?: true
  /** From the Keys view, its list loaded, to the state. */
  step?: (app: App) => Promise<void>
  /** Puts back what the step switched off in the harness, for the shots that follow. */
  cleanup?: (app: App) => Promise<void>
}

const QUERY_KEY = 'docs-widget'

/** A Query key whose secret the app holds, so the Playground can send with it. */
async function ensureQueryKey(harness: HarnessProcess): Promise<void> {
  const { keys } = await invoke(harness, 'keys.refresh', { accountId: 'sandbox' })
  if (keys.some((key) => key.name === QUERY_KEY)) return
  await invoke(harness, 'keys.create', {
    accountId: 'sandbox',
    name: QUERY_KEY,
    access: 'serving',
    corpusKeys: ['employee-handbook', 'product-faq']
  })
}

/**
 * Makes one call fail the way main would, for the few states the Sandbox never produces. The
 * error is typed from the contract's error shape, and the page's bridge checks it as usual.
 */
async function failCall(page: Page, name: CallName, error: AppErrorShape): Promise<void> {
  const answer: Result<never> = { ok: false, error }
  await page.route(`**/__api/invoke/${name}`, (route) => route.fulfill({ json: answer }))
}

async function sandboxUrl(harness: HarnessProcess): Promise<string> {
  const { accounts } = await invoke(harness, 'accounts.list', undefined)
  return accounts.find((account) => account.id === 'sandbox')!.baseUrl
}

/**
 * A folder holding two Sandbox keys' secrets and another product's token, scanned once per
 * harness, for the Scan view's states. It stays in the temp folder for the harness's lifetime.
 */
async function scannedFolder(harness: HarnessProcess): Promise<void> {
  if ((await invoke(harness, 'scan.state', undefined)).lastScan) return
  const { keys } = await invoke(harness, 'keys.refresh', { accountId: 'sandbox' })
  const secretOf = async (name: string): Promise<string> => {
    const keyId = keys.find((key) => key.name === name)!.id
    return (await invoke(harness, 'keys.revealSecret', { accountId: 'sandbox', keyId })).secret
  }
  const [assistant, search] = [
    await secretOf('handbook-assistant'),
    await secretOf('website-search')
  ]
  const stranger = 'zwt_' + randomBytes(30).toString('base64url').slice(0, 38)
  const root = mkdtempSync(join(tmpdir(), 'vkm-preview-scan-'))
  const files: Record<string, string> = {
    'webapp/.env': `# local\nVECTARA_API_KEY=${assistant}\n`,
    'webapp/config/search.yaml': `vectara:\n  api_key: ${search}\n`,
    'notebooks/try-search.ipynb': JSON.stringify({ cells: [{ source: [`k = "${assistant}"`] }] }),
    '.bash_history': `export OTHER_TOKEN=${stranger}\n`
  }
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  await invoke(harness, 'scan.addFolder', { path: root })
  await invoke(harness, 'scan.start', undefined)
  while ((await invoke(harness, 'scan.state', undefined)).running) {
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function openScan({ page, harness }: App): Promise<void> {
  await scannedFolder(harness)
  await page.getByRole('link', { name: 'Scan' }).click()
  await page.getByRole('table', { name: 'Findings' }).waitFor()
}

async function openAddAccount({ page }: App): Promise<void> {
  await page.getByRole('link', { name: 'Accounts' }).click()
  await page.getByRole('button', { name: 'Add account' }).first().click()
  await page.getByRole('dialog').getByRole('textbox', { name: 'Name' }).fill('Acme Research')
}

/** The Sandbox's sample keys sit among the seeded ones: search brings the key into view. */
async function openPlan({ page, keys }: App, name: string): Promise<Locator> {
  await page.getByLabel('Search keys').fill(name)
  return new RotationPage(page, keys).openPlan(name)
}

async function startRotation(app: App, choices: RotationChoices): Promise<Locator> {
  await app.page.getByLabel('Search keys').fill('support-console')
  return new RotationPage(app.page, app.keys).rotate('support-console', choices)
}

async function openHealth({ page }: App): Promise<HealthPage> {
  const health = new HealthPage(page)
  await health.open()
  return health
}

export const states: Record<string, State> = {
  keys: {},
  rotate: { step: (app) => openPlan(app, 'website-search').then(() => undefined) },
  'rotate-personal': {
    step: (app) => openPlan(app, 'Sandbox admin (personal)').then(() => undefined)
  },
  rotating: {
    step: async (app) => {
      const dialog = await startRotation(app, { disable: 'When I confirm' })
      await dialog.getByText(/Serving since/).waitFor()
    }
  },
  rotations: {
    step: async (app) => {
      await startRotation(app, { disable: 'Now' })
      await app.page.keyboard.press('Escape')
      await new RotationPage(app.page, app.keys).openPanel()
    }
  },
  menu: {
    step: async ({ page, keys }) => {
      await keys.table
        .getByRole('button', { name: /^Actions for / })
        .nth(2)
        .focus()
      await page.keyboard.press('Enter')
      await page.getByRole('menu').waitFor()
      await page.keyboard.press('ArrowDown')
    }
  },
  create: {
    step: async ({ keys }) => {
      const dialog = await keys.openCreateDialog()
      await keys.fillCreateDialog(dialog, {
        name: 'website-search-2025',
        corpora: [/Employee handbook/, /Release notes/]
      })
    }
  },
  'create-corpora': {
    step: async ({ page, keys }) => {
      const dialog = await keys.openCreateDialog()
      const corpora = dialog.getByRole('combobox', { name: 'Corpora' })
      await corpora.click()
      await page.getByRole('option', { name: /Employee handbook/ }).click()
      await corpora.fill('re')
    }
  },
  'create-invalid': {
    step: async ({ keys }) => {
      const dialog = await keys.openCreateDialog()
      await dialog.getByRole('button', { name: 'Create', exact: true }).click()
    }
  },
  delete: {
    step: async ({ page, keys }) => {
      await keys.table
        .getByRole('button', { name: /^Actions for / })
        .nth(3)
        .click()
      await page.getByRole('menuitem', { name: 'Delete…' }).click()
      await page.getByRole('alertdialog').getByRole('textbox').fill('data-')
    }
  },
  paste: {
    // The Sandbox always returns a key's secret; Vectara may not, for keys made elsewhere.
    before: ({ page }) =>
      failCall(page, 'keys.copySecret', {
        code: 'SECRET_UNKNOWN',
        message: 'The app does not hold this secret and Vectara did not return it.'
      }),
    step: async ({ page, keys }) => {
      await keys.table
        .getByRole('button', { name: /^Actions for / })
        .first()
        .click()
      await page.getByRole('menuitem', { name: 'Copy key' }).click()
      await page.getByRole('dialog').waitFor()
    }
  },
  reveal: {
    step: async ({ page, keys }) => {
      await page.getByLabel('Search keys').fill('Sandbox admin')
      await keys.chooseAction('Sandbox admin (personal)', 'Reveal key')
      await page.getByTestId('revealed-secret').waitFor()
      await page.mouse.move(0, 0)
    }
  },
  filter: {
    step: async ({ page }) => {
      await page.getByRole('button', { name: 'Filter by kind' }).click()
      await page.getByRole('menuitemcheckbox', { name: 'Query' }).click()
      await page.getByRole('menuitemcheckbox', { name: 'Index' }).click()
      await page.getByLabel('Search keys').press('Escape')
      await page.getByLabel('Search keys').fill('search')
    }
  },
  'no-match': {
    step: async ({ page }) => {
      await page.getByLabel('Search keys').fill('nothing is called this')
    }
  },
  loading: {
    // The list never answers: the table's busy skeleton, as on a slow first start.
    listHeld: true,
    before: async ({ page }) => {
      await page.route('**/__api/invoke/keys.list', () => undefined)
    }
  },
  offline: {
    step: async ({ page, harness }) => {
      await harnessControl(harness, 'sandbox', false)
      await page.getByRole('button', { name: 'Refresh', exact: true }).click()
      await page.getByText(/could not be reached/i).waitFor()
    },
    cleanup: async ({ harness }) => void (await harnessControl(harness, 'sandbox', true))
  },
  rejected: {
    // A credential revoked since the last visit: the cached list stays, the refresh is refused.
    before: ({ page }) =>
      failCall(page, 'keys.refresh', {
        code: 'API_UNAUTHORIZED',
        message: 'Vectara answered 401 Unauthorized.',
        status: 401
      }),
    step: async ({ page }) => {
      await page.getByRole('button', { name: 'Refresh', exact: true }).click()
      await page
        .getByText(/401|rejected|unauthori[sz]ed/i)
        .first()
        .waitFor()
    }
  },
  accounts: {
    step: async ({ page }) => {
      await page.getByRole('link', { name: 'Accounts' }).click()
    }
  },
  scan: { step: openScan },
  health: { step: (app) => openHealth(app).then(() => undefined) },
  coverage: { step: (app) => openHealth(app).then((health) => health.openCoverage()) },
  'scan-disable': {
    step: async (app) => {
      await openScan(app)
      await app.page
        .getByRole('table', { name: 'Findings' })
        .getByRole('row')
        .filter({ hasText: 'webapp/.env' })
        .getByRole('button', { name: 'Disable key' })
        .click()
      await app.page.getByRole('alertdialog').waitFor()
    }
  },
  tooltip: {
    step: async ({ page }) => {
      await page.getByRole('link', { name: 'Accounts' }).click()
      await page.getByRole('button', { name: 'Check Sandbox' }).hover()
      await page.getByRole('tooltip').first().waitFor()
    }
  },
  'add-account': { step: openAddAccount },
  'add-rejected': {
    step: async (app) => {
      await openAddAccount(app)
      const dialog = app.page.getByRole('dialog')
      await dialog.getByRole('textbox', { name: /base URL/i }).fill(await sandboxUrl(app.harness))
      await dialog
        .getByLabel(/Personal API key/)
        .first()
        .fill('zut_definitelyNotARealKey123')
      await dialog.getByRole('button', { name: /Check and save/ }).click()
      await dialog
        .getByText(/rejected/i)
        .first()
        .waitFor()
    }
  },
  switcher: {
    step: async ({ page }) => {
      await page.getByRole('button', { name: /Switch account/ }).click()
      await page.getByRole('menu').waitFor()
    }
  },
  playground: {
    before: async ({ harness }) => ensureQueryKey(harness),
    step: async ({ playground }) => {
      await playground.open()
      await playground.chooseKey(QUERY_KEY)
      await playground.chooseCorpus(/Employee handbook/)
      await playground.run('How many weeks of parental leave do employees get?')
      await playground.responseStatus.waitFor()
    }
  },
  'key-picker': {
    step: async ({ page, playground }) => {
      await playground.open()
      await playground.keyPicker.click()
      await page.getByRole('listbox', { name: 'API keys' }).waitFor()
    }
  },
  code: {
    before: async ({ harness }) => ensureQueryKey(harness),
    step: async ({ page, playground }) => {
      await playground.open()
      await playground.chooseKey(QUERY_KEY)
      await page.getByRole('button', { name: 'Show code' }).click()
      await page.getByRole('tablist', { name: 'Code' }).waitFor()
    }
  },
  unreachable: {
    step: async ({ page, playground }) => {
      await playground.open()
      await playground.chooseKey('website-search')
      await playground.chooseCorpus(/Employee handbook/)
      await playground.queryBox.fill('parental leave')
      await page.getByRole('button', { name: 'Send' }).click()
      await page.getByRole('alertdialog').waitFor()
    }
  },
  usage: {
    step: async ({ page }) => {
      await page.getByRole('link', { name: 'Usage' }).click()
      await page.getByRole('img', { name: /^Requests per day by key/ }).waitFor()
    }
  },
  // The last two change the account's keys: they come last in the standard set.
  disabling: {
    step: async ({ page, keys }) => {
      // A Query key still enabled: an earlier shot may have disabled another.
      const row = keys.table
        .getByRole('row')
        .filter({ hasText: 'Query' })
        .filter({ hasText: 'Enabled' })
        .first()
      await row.getByRole('button', { name: /^Actions for / }).click()
      await page.getByRole('menuitem', { name: 'Disable' }).click()
      await page.getByText('Disabling…').first().waitFor()
    }
  },
  onetime: {
    step: async ({ page, keys, harness }) => {
      await harnessControl(harness, 'keychain', false)
      const dialog = await keys.openCreateDialog()
      await keys.fillCreateDialog(dialog, {
        name: 'partner-portal-eu',
        access: 'Query & Index',
        corpora: [/Product FAQ/i]
      })
      await dialog.getByRole('button', { name: 'Create', exact: true }).click()
      await page.getByText('Save this secret now').first().waitFor()
    },
    cleanup: async ({ harness }) => void (await harnessControl(harness, 'keychain', true))
  }
}
