import { chromium } from '@playwright/test'
import { chromiumLaunchOptions } from '../e2e/browser'
import { startHarnessProcess } from '../e2e/harnessProcess'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
const dir = mkdtempSync(join(tmpdir(), 'tl-'))
let harness = await startHarnessProcess(['--data', dir, '--seed-keys', '10000'])
const browser = await chromium.launch(chromiumLaunchOptions())
async function visit() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await page.addInitScript(() => {
    const log: any[] = []
    ;(window as any).__log = log
    addEventListener('vkm:keys-applied', (e) => {
      const t = performance.now()
      queueMicrotask(() =>
        queueMicrotask(() =>
          log.push(['flush', (e as CustomEvent).detail, Math.round(performance.now() - t)])
        )
      )
      const ch = new MessageChannel()
      ch.port1.onmessage = () => {
        void document.body.offsetHeight
        log.push(['layout', Math.round(performance.now() - t)])
      }
      ch.port2.postMessage(null)
    })
  })
  await page.goto(harness.url)
  await page.waitForTimeout(7000)
  console.log(JSON.stringify(await page.evaluate(() => (window as any).__log)))
  await page.close()
}
await visit()
await visit()
await visit()
await browser.close()
await harness.stop()
