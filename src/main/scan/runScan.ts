/**
 * Main's entry to the scanner: runScan(options, hooks) → ScanResult. Main only waits on
 * messages; every folder is listed and every file read in worker threads (scanThreads.ts), which
 * are kept for a while after a scan so that the next one starts at once.
 *
 * `findings[].secret` is the one sensitive value: fingerprint it and drop it. Progress never
 * holds a secret, so it may go to the renderer as it is.
 */
import { availableParallelism } from 'node:os'
import { isAbsolute } from 'node:path'
import { ScanThreads, type ScanHooks } from './scanThreads'
import { LARGE_FILE_BYTES, type ScanOptions, type ScanResult } from './types'

export type { ScanHooks }

/** How long idle scan threads are kept for the next scan. */
const KEEP_IDLE_MS = 60_000
const MAX_THREADS = 4

let shared: ScanThreads | undefined
let idleTimer: NodeJS.Timeout | undefined

export async function runScan(options: ScanOptions, hooks: ScanHooks = {}): Promise<ScanResult> {
  hooks.signal?.throwIfAborted()
  const roots = validRoots(options?.roots)
  const size = threadCount(options.threads)
  clearTimeout(idleTimer)
  if (shared && (!shared.usable || (!shared.busy && shared.size !== size))) {
    await shared.close()
    shared = undefined
  }
  // Two scans at once (rare): the second gets threads of its own, closed after it.
  const threads = shared?.busy
    ? await ScanThreads.start(size)
    : (shared ??= await ScanThreads.start(size))
  try {
    return await threads.run(
      {
        roots,
        skipGitObjects: options.skipGitObjects ?? true,
        skipNodeModules: options.skipNodeModules ?? true,
        maxFileBytes: (options.skipLargeFiles ?? true) ? LARGE_FILE_BYTES : null,
        previous: options.previous ?? null
      },
      hooks
    )
  } finally {
    if (threads !== shared) await threads.close()
    else if (!shared.busy) keepIdle()
  }
}

/**
 * Starts the scan threads ahead of a scan (when the Scan view opens, say), so that the first scan
 * does not wait for them. They are ended after KEEP_IDLE_MS without a scan.
 */
export async function prepareScanThreads(threads?: number): Promise<void> {
  if (shared?.usable) return
  shared = await ScanThreads.start(threadCount(threads))
  keepIdle()
}

/** Ends the kept scan threads now (on quit, or in tests); the next scan starts new ones. */
export async function closeScanThreads(): Promise<void> {
  clearTimeout(idleTimer)
  const threads = shared
  shared = undefined
  await threads?.close()
}

function keepIdle(): void {
  clearTimeout(idleTimer)
  idleTimer = setTimeout(() => void closeScanThreads(), KEEP_IDLE_MS)
  idleTimer.unref()
}

function threadCount(wanted: number | undefined): number {
  return Math.max(1, Math.min(MAX_THREADS, wanted ?? availableParallelism()))
}

function validRoots(roots: unknown): string[] {
  if (!Array.isArray(roots) || roots.length === 0) {
    throw new TypeError('Choose at least one folder to scan')
  }
  for (const root of roots) {
    if (typeof root !== 'string' || !isAbsolute(root)) {
      throw new TypeError(`A folder to scan must be an absolute path: ${String(root)}`)
    }
  }
  return roots as string[]
}
