/**
 * Developer aid: `npx tsx test/tools/screenshot.ts <url> <out.png> [width] [height] [light|dark]`.
 * Looks at the UI the way a user would, in Debian's Chromium.
 */
import { chromium } from '@playwright/test'
import { chromiumLaunchOptions } from '../e2e/browser'

const [url, out, width = '1280', height = '800', scheme = 'light'] = process.argv.slice(2)
if (!url || !out) {
  process.stderr.write('usage: screenshot.ts <url> <out.png> [width] [height] [light|dark]\n')
  process.exit(2)
}
const browser = await chromium.launch(chromiumLaunchOptions())
const page = await browser.newPage({
  viewport: { width: Number(width), height: Number(height) },
  colorScheme: scheme === 'dark' ? 'dark' : 'light'
})
await page.goto(url)
await page.waitForTimeout(1200)
await page.screenshot({ path: out })
await browser.close()
