/**
 * Issue 4's list targets, measured as a user meets them: the real app in Chromium through the web
 * harness, with the Sandbox seeded with 10,000 extra keys.
 * - rows_painted_ms: from the moment the list of 10,000 keys reaches the renderer's store (the
 *   store's `vkm:keys-applied` event) to the end of the next frame with the rows in it (sort,
 *   render, layout, paint). The median of LOADS page loads, each a fresh renderer (the worst is
 *   rows_painted_max_ms). transport_ms reports, separately, from the end of the HTTP answer
 *   to that moment (JSON parsing and the bridge's schema check).
 * - filter_keystroke_p95_ms: one character typed into the search box until the filtered rows are
 *   in the DOM and laid out, i.e. the frame is ready to paint (the work a keystroke costs; the
 *   wait for the display's next vsync is not work and is reported apart, to_frame).
 * - js_heap_mb: JS heap in use after load and a forced GC.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { chromiumLaunchOptions } from '../test/e2e/browser'
import { startHarnessProcess } from '../test/e2e/harnessProcess'
import type { BenchResult } from './run'

export const name = 'keys list (10,000 keys, Chromium)'

const SEEDED = 10_000
const QUERY = 'search-4'
const LOADS = 7
// Typing rounds of QUERY: 160 keystrokes. With 80, the p95 was the 4th-worst keystroke, and one
// run to the next swung from 12 to 24 ms on the same build; the 8th-worst is a steadier figure.
const ROUNDS = 20

declare global {
  interface Window {
    __vkmBench: {
      listAnswers?: number[]
      appliedAt?: number
      renderedAt?: number
      paintedAt?: number
    }
  }
}

export async function run(): Promise<BenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vkm-bench-keys-'))
  const harness = await startHarnessProcess(['--data', dataDir, '--seed-keys', String(SEEDED)])
  // A profile on disk, as the app's window has (its session lives in userData): Chromium keeps
  // V8's code cache only for such profiles, never for an incognito-like default context.
  const profileDir = mkdtempSync(join(tmpdir(), 'vkm-bench-profile-'))
  const browser = await chromium.launchPersistentContext(profileDir, {
    ...chromiumLaunchOptions(),
    viewport: { width: 1280, height: 800 }
  })
  try {
    const page = await browser.newPage()
    await page.addInitScript(() => {
      const state: Window['__vkmBench'] = {}
      window.__vkmBench = state
      // Every list answer; the one that carried the applied list ended last before it.
      state.listAnswers = []
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) {
          if (/\/__api\/invoke\/keys\.(list|refresh)/.test(entry.name))
            state.listAnswers!.push((entry as PerformanceResourceTiming).responseEnd)
        }
      }).observe({ type: 'resource', buffered: true })
      addEventListener('vkm:keys-applied', (event) => {
        if (state.appliedAt !== undefined || (event as CustomEvent<number>).detail <= 10_000) return
        state.appliedAt = performance.now()
        const channel = new MessageChannel()
        channel.port1.onmessage = () => {
          void document.body.offsetHeight
          state.renderedAt = performance.now()
        }
        channel.port2.postMessage(null)
        requestAnimationFrame(() => setTimeout(() => (state.paintedAt = performance.now()), 0))
      })
    })
    // Each load is a fresh renderer meeting 10,000 keys: the first from the API (empty cache),
    // the others from the cache, as every later start of the app does. One load on a shared
    // machine is noise; the median of several is the figure.
    const loads: Array<Required<Window['__vkmBench']>> = []
    for (let load = 0; load < LOADS; load++) {
      if (load === 0) await page.goto(harness.url)
      else await page.reload()
      await page.waitForFunction(() => window.__vkmBench.paintedAt !== undefined, undefined, {
        timeout: 120_000
      })
      loads.push((await page.evaluate(() => window.__vkmBench)) as Required<Window['__vkmBench']>)
      const rowsInDom = await page.evaluate(
        () => document.querySelectorAll('[role="table"][aria-label="API keys"] [role="row"]').length
      )
      if (rowsInDom < 10)
        throw new Error(`only ${rowsInDom} rows rendered: the benchmark measured nothing`)
    }
    const painted = percentiles(loads.map((l) => l.paintedAt - l.appliedAt))
    const rendered = percentiles(loads.map((l) => l.renderedAt - l.appliedAt))
    const transport = percentiles(
      loads.map((l) => l.appliedAt - Math.max(...l.listAnswers.filter((t) => t <= l.appliedAt)))
    )
    // Keystrokes on a settled list: the refresh that follows a cached load re-applies 10,000
    // rows, and typing into that would measure the refresh. Settled means the refresh is done
    // and the page is idle: the work the new list leaves behind (its render, the search texts
    // warmed in an idle callback, collecting the old list) is over, as it is long before a
    // person reaches the search box.
    await page.waitForFunction(
      () => !document.querySelector('button[aria-busy="true"][aria-keyshortcuts="r"]'),
      undefined,
      { timeout: 120_000 }
    )
    await page.evaluate(
      () =>
        new Promise<void>((resolve) =>
          requestIdleCallback(() => requestIdleCallback(() => resolve(), { timeout: 5_000 }), {
            timeout: 5_000
          })
        )
    )

    // No named helpers inside evaluate: tsx would wrap them in a __name() the page does not have.
    const keystrokes = await page.evaluate(
      async ({ query, rounds }) => {
        const input = document.querySelector<HTMLInputElement>('input[type="search"]')!
        const table = document.querySelector('[role="table"][aria-label="API keys"]')!
        const work: number[] = []
        const toFrame: number[] = []
        const counts: number[] = []
        for (let round = 0; round < rounds; round++) {
          for (const ch of query) {
            const started = performance.now()
            input.value += ch
            input.dispatchEvent(new Event('input', { bubbles: true }))
            // A message-channel task runs after Vue's microtask flush; reading layout then forces
            // style and layout of the new rows, as the next frame would.
            await new Promise<void>((resolve) => {
              const channel = new MessageChannel()
              channel.port1.onmessage = () => resolve()
              channel.port2.postMessage(null)
            })
            void table.getBoundingClientRect().height
            void document.body.offsetHeight
            work.push(performance.now() - started)
            await new Promise<void>((resolve) =>
              requestAnimationFrame(() => setTimeout(resolve, 0))
            )
            toFrame.push(performance.now() - started)
            counts.push(Number(table.getAttribute('aria-rowcount')))
          }
          input.value = ''
          input.dispatchEvent(new Event('input', { bubbles: true }))
          await new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
        }
        return { work, toFrame, counts }
      },
      { query: QUERY, rounds: ROUNDS }
    )
    if (new Set(keystrokes.counts).size < 2) {
      throw new Error('typing did not change the rows: the benchmark measured nothing')
    }

    const cdp = await page.context().newCDPSession(page)
    await cdp.send('HeapProfiler.collectGarbage')
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number }

    const work = percentiles(keystrokes.work)
    const toFrame = percentiles(keystrokes.toFrame)
    return {
      figures: {
        keys: SEEDED,
        loads: LOADS,
        rows_painted_ms: round(painted.p50),
        rows_painted_max_ms: round(painted.max),
        rows_rendered_ms: round(rendered.p50),
        transport_ms: round(transport.p50),
        filter_keystroke_p95_ms: round(work.p95),
        filter_keystroke_median_ms: round(work.p50),
        filter_keystroke_to_frame_p95_ms: round(toFrame.p95),
        js_heap_mb: round(heap.usedSize / 1024 / 1024)
      },
      targets: {
        rows_painted_ms: { max: 50 },
        filter_keystroke_p95_ms: { max: 16 },
        js_heap_mb: { max: 60 }
      }
    }
  } finally {
    await browser.close()
    rmSync(profileDir, { recursive: true, force: true })
    await harness.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

function percentiles(values: number[]): { p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b)
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))]
  return { p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] }
}

function round(value: number): number {
  return Math.round(value * 10) / 10
}
