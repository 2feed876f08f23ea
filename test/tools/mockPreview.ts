/**
 * Developer aid: look at the built renderer with canned data, no main process needed.
 * Build first (`npx electron-vite build`), then either
 *   npx tsx test/tools/mockPreview.ts [--port 5199]                 serve and print the URL
 *   npx tsx test/tools/mockPreview.ts --shot out.png [--state keys] [--width 1280]
 *        [--height 800] [--scheme light|dark] [--scenario normal]     one screenshot
 *   npx tsx test/tools/mockPreview.ts --all <dir>                     the standard set
 * States: keys, menu, create, create-corpora, create-invalid, onetime, delete, delete-403,
 * paste, reveal, disabling, accounts, tooltip, filter, add-account, add-rejected, switcher,
 * empty, offline, rejected, loading.
 */
import { createServer, type Server } from 'node:http'
import { mkdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium, type Page } from '@playwright/test'
import { chromiumLaunchOptions } from '../e2e/browser'
import { mimeTypeFor, resolveAppFile } from '../../src/main/protocol'
import { CONTENT_SECURITY_POLICY } from '../../src/main/security'
import { installMockApi } from './mockApi'

const ROOT = join(import.meta.dirname, '../..')
const RENDERER_DIR = join(ROOT, 'out/renderer')
// tsx keeps function names through an `__name` helper that the serialized source still calls.
const MOCK_SCRIPT = `var __name = (f) => f;\n(${installMockApi.toString()})()\n`

async function serve(port: number): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      const headers = {
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'cache-control': 'no-store'
      }
      if (url.pathname === '/__mock/api.js') {
        res.writeHead(200, { ...headers, 'content-type': 'text/javascript; charset=utf-8' })
        res.end(MOCK_SCRIPT)
        return
      }
      if (url.pathname === '/' || url.pathname === '/index.html') {
        const html = await readFile(join(RENDERER_DIR, 'index.html'), 'utf8')
        res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' })
        // Before the app's module script, so window.api exists when the app starts.
        res.end(html.replace(/<script\b/, '<script src="/__mock/api.js"></script>\n<script'))
        return
      }
      const file = resolveAppFile(`app://vkm${url.pathname}`, RENDERER_DIR)
      try {
        if (!file) throw new Error('outside')
        const body = await readFile(file)
        res.writeHead(200, { ...headers, 'content-type': mimeTypeFor(file) })
        res.end(body)
      } catch {
        res.writeHead(404).end('Not found')
      }
    })()
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const address = server.address()
  const actual = typeof address === 'object' && address ? address.port : port
  return { server, origin: `http://127.0.0.1:${actual}` }
}

type Step = (page: Page) => Promise<void>

const rowMenu = (page: Page, index: number) =>
  page
    .getByRole('table', { name: 'API keys' })
    .getByRole('button', { name: /^Actions for / })
    .nth(index)

async function openCreate(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Create key', exact: true }).click()
  await page.getByRole('dialog').waitFor()
}

const states: Record<string, { path: string; scenario?: string; step?: Step }> = {
  keys: { path: '/keys' },
  empty: { path: '/keys', scenario: 'empty' },
  offline: { path: '/keys', scenario: 'offline' },
  rejected: { path: '/keys', scenario: 'rejected' },
  loading: { path: '/keys', scenario: 'slow' },
  menu: {
    path: '/keys',
    step: async (page) => {
      await rowMenu(page, 2).focus()
      await page.keyboard.press('Enter')
      await page.getByRole('menu').waitFor()
      await page.keyboard.press('ArrowDown')
    }
  },
  create: {
    path: '/keys',
    step: async (page) => {
      await openCreate(page)
      await page.getByLabel('Name', { exact: true }).fill('website-search-2025')
      const corpora = page.getByRole('combobox', { name: 'Corpora' })
      await corpora.click()
      await page.getByRole('option', { name: /Product documentation/ }).click()
      await page.getByRole('option', { name: /Release notes/ }).click()
      await page.getByRole('dialog').getByText('Create API key').click()
    }
  },
  'create-corpora': {
    path: '/keys',
    step: async (page) => {
      await openCreate(page)
      await page.getByRole('combobox', { name: 'Corpora' }).click()
      await page.getByRole('option', { name: /Support tickets/ }).click()
      await page.getByRole('combobox', { name: 'Corpora' }).fill('re')
    }
  },
  'create-invalid': {
    path: '/keys',
    step: async (page) => {
      await openCreate(page)
      await page.getByRole('button', { name: 'Create', exact: true }).click()
    }
  },
  onetime: {
    path: '/keys',
    scenario: 'onetime',
    step: async (page) => {
      await openCreate(page)
      await page.getByLabel('Name', { exact: true }).fill('partner-portal-eu')
      await page.getByRole('radio', { name: 'Query & Index' }).click()
      await page.getByRole('combobox', { name: 'Corpora' }).click()
      await page.getByRole('option', { name: /Marketing site/ }).click()
      await page.getByRole('dialog').getByText('Create API key').click()
      await page.getByRole('button', { name: 'Create', exact: true }).click()
      await page.getByText('Save this secret now').first().waitFor()
    }
  },
  delete: {
    path: '/keys',
    step: async (page) => {
      await rowMenu(page, 3).click()
      await page.getByRole('menuitem', { name: 'Delete…' }).click()
      const dialog = page.getByRole('alertdialog')
      await dialog.getByRole('textbox').fill('docs-wid')
    }
  },
  'delete-403': {
    path: '/keys',
    step: async (page) => {
      // The mock refuses to delete Personal keys with a 403.
      const personal = page.getByRole('row').filter({ hasText: 'Personal' }).first()
      await personal.getByRole('button', { name: /^Actions for / }).click()
      await page.getByRole('menuitem', { name: 'Delete…' }).click()
      const dialog = page.getByRole('alertdialog')
      const title = (await dialog.getByRole('heading').textContent()) ?? ''
      await dialog.getByRole('textbox').fill(title.replace(/^Delete /, '').replace(/\?$/, ''))
      await dialog.getByRole('button', { name: 'Delete key' }).click()
      await dialog.getByRole('alert').waitFor()
    }
  },
  paste: {
    path: '/keys',
    step: async (page) => {
      const row = page
        .getByRole('row')
        .filter({ has: page.getByText('not stored', { exact: true }) })
        .first()
      await row.getByRole('button', { name: /^Actions for / }).click()
      await page.getByRole('menuitem', { name: 'Copy key' }).click()
      await page.getByRole('dialog').waitFor()
    }
  },
  reveal: {
    path: '/keys',
    step: async (page) => {
      await rowMenu(page, 1).click()
      await page.getByRole('menuitem', { name: 'Reveal key' }).click()
      await page.getByTestId('revealed-secret').waitFor()
      await page.mouse.move(0, 0)
    }
  },
  disabling: {
    path: '/keys',
    step: async (page) => {
      await rowMenu(page, 4).click()
      await page.getByRole('menuitem', { name: /^(Disable|Enable)$/ }).click()
      await page.waitForTimeout(900)
    }
  },
  accounts: { path: '/accounts' },
  tooltip: {
    path: '/accounts',
    step: async (page) => {
      await page.getByRole('button', { name: 'Edit Sandbox' }).hover()
      await page.getByRole('tooltip').first().waitFor()
    }
  },
  filter: {
    path: '/keys',
    step: async (page) => {
      await page.getByRole('button', { name: 'Filter by kind' }).click()
      await page.getByRole('menuitemcheckbox', { name: 'Query' }).click()
      await page.getByRole('menuitemcheckbox', { name: 'Index' }).click()
      await page.getByLabel('Search keys').press('Escape')
      await page.getByLabel('Search keys').fill('crawler')
    }
  },
  'add-account': {
    path: '/accounts',
    step: async (page) => {
      await page.getByRole('button', { name: 'Add account' }).click()
      await page.getByLabel('Name', { exact: true }).fill('Acme Research')
    }
  },
  'add-rejected': {
    path: '/accounts',
    step: async (page) => {
      await page.getByRole('button', { name: 'Add account' }).click()
      await page.getByLabel('Name', { exact: true }).fill('Acme Research')
      await page.getByLabel('Personal API key').fill('zqt_not-a-personal-key')
      await page.getByRole('button', { name: 'Check and save' }).click()
      await page.getByText('Credential rejected').waitFor()
    }
  },
  switcher: {
    path: '/keys',
    step: async (page) => {
      await page.getByRole('button', { name: /^Account: / }).click()
      await page.getByRole('menu').waitFor()
    }
  }
}

async function shoot(
  origin: string,
  state: string,
  out: string,
  width: number,
  height: number,
  scheme: 'light' | 'dark',
  scenario?: string
): Promise<void> {
  const spec = states[state]
  if (!spec) throw new Error(`unknown state ${state}; one of ${Object.keys(states).join(', ')}`)
  const browser = await chromium.launch(chromiumLaunchOptions())
  try {
    const page = await browser.newPage({ viewport: { width, height }, colorScheme: scheme })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text())
    })
    // No favicon in the app; the browser asks anyway.
    await page.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }))
    const query = `?scenario=${scenario ?? spec.scenario ?? 'normal'}`
    await page.goto(`${origin}/${query}#${spec.path}`)
    await page.getByRole('heading', { level: 1 }).waitFor()
    await page.waitForTimeout(spec.scenario === 'slow' ? 300 : 1100)
    if (spec.step) await spec.step(page)
    await page.waitForTimeout(350)
    await page.screenshot({ path: out })
    for (const e of errors) console.warn(`[${state}] ${e}`)
  } finally {
    await browser.close()
  }
}

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    shot: { type: 'string' },
    state: { type: 'string', default: 'keys' },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '800' },
    scheme: { type: 'string', default: 'light' },
    scenario: { type: 'string' },
    all: { type: 'string' }
  }
})

const { server, origin } = await serve(Number(values.port))
if (values.shot) {
  await shoot(
    origin,
    values.state,
    values.shot,
    Number(values.width),
    Number(values.height),
    values.scheme === 'dark' ? 'dark' : 'light',
    values.scenario
  )
  server.close()
} else if (values.all) {
  mkdirSync(values.all, { recursive: true })
  const set: Array<[string, number, number, 'light' | 'dark']> = [
    ['keys', 1280, 800, 'light'],
    ['keys', 1280, 800, 'dark'],
    ['keys', 600, 800, 'light'],
    ['keys', 600, 800, 'dark'],
    ['menu', 1280, 800, 'light'],
    ['menu', 1280, 800, 'dark'],
    ['create', 1280, 800, 'light'],
    ['create', 1280, 800, 'dark'],
    ['create-corpora', 1280, 800, 'light'],
    ['create-invalid', 1280, 800, 'light'],
    ['onetime', 1280, 800, 'dark'],
    ['delete', 1280, 800, 'light'],
    ['delete', 1280, 800, 'dark'],
    ['delete-403', 1280, 800, 'light'],
    ['paste', 1280, 800, 'light'],
    ['reveal', 1280, 800, 'light'],
    ['reveal', 600, 800, 'dark'],
    ['disabling', 1280, 800, 'light'],
    ['accounts', 1280, 800, 'light'],
    ['tooltip', 1280, 800, 'dark'],
    ['filter', 1280, 800, 'light'],
    ['accounts', 600, 800, 'dark'],
    ['add-account', 1280, 800, 'light'],
    ['add-rejected', 1280, 800, 'dark'],
    ['switcher', 1280, 800, 'light'],
    ['switcher', 600, 800, 'dark'],
    ['empty', 1280, 800, 'light'],
    ['offline', 1280, 800, 'light'],
    ['rejected', 1280, 800, 'dark'],
    ['loading', 1280, 800, 'light']
  ]
  for (const [state, width, height, scheme] of set) {
    const out = join(values.all, `${state}-${width}-${scheme}.png`)
    await shoot(origin, state, out, width, height, scheme)
    console.log(out)
  }
  server.close()
} else {
  console.log(`${origin}/?scenario=normal#/keys`)
}
