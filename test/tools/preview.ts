/**
 * Developer aid: screenshots of the UI in named states, from the real app through the web
 * harness (the real router and services: nothing to drift from the contract), driven with the
 * e2e page objects. Build first (`npx electron-vite build`). Like `npm run harness` it needs a
 * keychain; on a headless Linux machine run it inside a private gnome-keyring (see the README).
 *   npx tsx test/tools/preview.ts --shot out.png [--state keys] [--width 1280] [--height 800]
 *        [--scheme light|dark]                                          one screenshot
 *   npx tsx test/tools/preview.ts --all <dir>                           the standard set
 *   [--seed-keys 60]   extra Sandbox keys, so the table is full (the harness's own flag)
 * For a URL to open in a browser instead, use `npm run harness`.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium, type Browser } from '@playwright/test'
import { chromiumLaunchOptions } from '../e2e/browser'
import { startHarnessProcess, type HarnessProcess } from '../e2e/harnessProcess'
import { KeysPage } from '../e2e/pages/keysPage'
import { PlaygroundPage } from '../e2e/pages/playgroundPage'
import { states, type App } from './previewStates'

interface Shot {
  state: string
  width: number
  height: number
  scheme: 'light' | 'dark'
}

async function shoot(
  browser: Browser,
  harness: HarnessProcess,
  shot: Shot,
  out: string
): Promise<void> {
  const state = states[shot.state]!
  const context = await browser.newContext({
    viewport: { width: shot.width, height: shot.height },
    colorScheme: shot.scheme
  })
  let app: App | undefined
  try {
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (error) => problems.push(String(error)))
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text())
    })
    app = { page, harness, keys: new KeysPage(page), playground: new PlaygroundPage(page) }
    await state.before?.(app)
    if (state.listHeld) {
      await page.goto(harness.url)
      await app.keys.table.waitFor()
    } else {
      await app.keys.goto(harness.url)
    }
    await state.step?.(app)
    await page.waitForTimeout(350) // let transitions finish
    await page.screenshot({ path: out })
    for (const problem of problems) console.warn(`[${shot.state}] ${problem}`)
  } finally {
    if (app) await state.cleanup?.(app)
    await context.close()
  }
}

const STANDARD_SET: Shot[] = [
  ...(['light', 'dark'] as const).flatMap((scheme) =>
    [1280, 760].map((width) => ({ state: 'keys', width, height: 800, scheme }))
  ),
  ...Object.keys(states)
    .filter((state) => state !== 'keys')
    .flatMap((state) =>
      (['light', 'dark'] as const).map((scheme) => ({ state, width: 1280, height: 800, scheme }))
    )
]

const { values } = parseArgs({
  options: {
    shot: { type: 'string' },
    state: { type: 'string', default: 'keys' },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '800' },
    scheme: { type: 'string', default: 'light' },
    all: { type: 'string' },
    'seed-keys': { type: 'string', default: '60' }
  }
})

if (!values.shot && !values.all) {
  console.error('usage: preview.ts --shot <out.png> [--state <name>] … | --all <dir>')
  console.error(`states: ${Object.keys(states).join(', ')}`)
  process.exit(2)
}

if (values.shot && !states[values.state]) {
  console.error(`unknown state ${values.state}; one of ${Object.keys(states).join(', ')}`)
  process.exit(2)
}

const harness = await startHarnessProcess(['--seed-keys', values['seed-keys']])
const browser = await chromium.launch(chromiumLaunchOptions())
try {
  if (values.shot) {
    await shoot(
      browser,
      harness,
      {
        state: values.state,
        width: Number(values.width),
        height: Number(values.height),
        scheme: values.scheme === 'dark' ? 'dark' : 'light'
      },
      values.shot
    )
  } else if (values.all) {
    mkdirSync(values.all, { recursive: true })
    for (const shot of STANDARD_SET) {
      const out = join(values.all, `${shot.state}-${shot.width}-${shot.scheme}.png`)
      await shoot(browser, harness, shot, out)
      console.log(out)
    }
  }
} finally {
  await browser.close()
  await harness.stop()
}
