/**
 * Main's side of a scan: starts the scan worker, relays its progress and findings, and resolves
 * with the result. Main only waits on messages; every file is listed and read in workers.
 *
 * `findings[].secret` is the one sensitive value: fingerprint it and drop it. Progress never
 * holds a secret, so it may go to the renderer as it is.
 */
import { availableParallelism } from 'node:os'
import { isAbsolute } from 'node:path'
import { pathToFileURL } from 'node:url'
import { MessageChannel } from 'node:worker_threads'
import type { ControlMessage, ReaderWorkerData, ScanMessage, ScanWorkerData } from './protocol'
import { startWorker } from './startWorker'
import {
  LARGE_FILE_BYTES,
  type FileStamp,
  type ScanFinding,
  type ScanOptions,
  type ScanProgress,
  type ScanResult
} from './types'

export interface ScanHooks {
  /** About ten times a second, and once at the end. */
  onProgress?: (progress: ScanProgress) => void
  /** Findings as they are found (the result holds them all too). */
  onFindings?: (findings: ScanFinding[]) => void
  /** Cancel: the scan stops between files and runScan rejects with the signal's reason. */
  signal?: AbortSignal
}

/** After Cancel, how long the workers get to stop between files before they are terminated. */
const CANCEL_GRACE_MS = 2000
const MAX_THREADS = 4

export async function runScan(options: ScanOptions, hooks: ScanHooks = {}): Promise<ScanResult> {
  const { signal } = hooks
  signal?.throwIfAborted()
  const roots = validRoots(options.roots)
  const started = performance.now()
  const cancel = new SharedArrayBuffer(4)
  const maxFileBytes = (options.skipLargeFiles ?? true) ? LARGE_FILE_BYTES : null
  const threads = Math.max(1, Math.min(MAX_THREADS, options.threads ?? availableParallelism()))
  const entry = await scanWorkerEntry()
  // Every thread starts at once (readers need not wait for the lister to start them), and each
  // reader gets a channel of its own to the lister, which reads too.
  const channels = Array.from({ length: threads - 1 }, () => new MessageChannel())
  const readers = channels.map(({ port2: port }) =>
    startWorker(entry, { role: 'reader', port, maxFileBytes, cancel } satisfies ReaderWorkerData, [
      port
    ])
  )
  const readerPorts = channels.map((channel) => channel.port1)
  const data: ScanWorkerData = {
    role: 'scan',
    readers: readerPorts,
    roots,
    skipGitObjects: options.skipGitObjects ?? true,
    skipNodeModules: options.skipNodeModules ?? true,
    maxFileBytes,
    previous: options.previous ?? null,
    cancel
  }
  const lister = startWorker(entry, data, readerPorts)
  const workers = [lister, ...readers]

  return new Promise<ScanResult>((resolve, reject) => {
    const findings: ScanFinding[] = []
    // Settled once every thread has exited, not on the last message: when runScan returns, no
    // scan thread is left, nor any file one had open.
    let outcome: (() => void) | undefined
    let running = workers.length
    let killTimer: NodeJS.Timeout | undefined
    const end = (then: () => void): void => {
      if (outcome) return
      outcome = then
      // Readers are idle once the lister has an outcome; stopping them closes nothing half-done.
      for (const worker of workers) void worker.terminate()
    }
    const onAbort = (): void => {
      Atomics.store(new Int32Array(cancel), 0, 1)
      lister.postMessage({ type: 'cancel' } satisfies ControlMessage)
      // A thread stuck in one long system call gets this long before it is stopped outright.
      killTimer = setTimeout(() => end(() => reject(signal?.reason)), CANCEL_GRACE_MS)
    }
    signal?.addEventListener('abort', onAbort, { once: true })

    lister.on('message', (message: ScanMessage) => {
      if (outcome) return
      try {
        switch (message.type) {
          case 'progress':
            hooks.onProgress?.(message.progress)
            break
          case 'findings':
            for (const finding of message.findings) findings.push(finding)
            hooks.onFindings?.(message.findings)
            break
          case 'result': {
            const { stampPaths, sizes, mtimes, ...rest } = message.result
            const files = new Map<string, FileStamp>()
            for (let i = 0; i < stampPaths.length; i++) {
              files.set(stampPaths[i], { size: sizes[i], mtimeMs: mtimes[i] })
            }
            const durationMs = Math.round(performance.now() - started)
            end(() => resolve({ ...rest, findings, files, durationMs }))
            break
          }
          case 'cancelled':
            end(() => reject(signal?.reason ?? new Error('The scan was cancelled')))
            break
          case 'failed':
            end(() => reject(new Error(message.message)))
            break
        }
      } catch (error) {
        // A hook that throws ends the scan, rather than main's event loop.
        end(() => reject(error))
      }
    })
    for (const worker of workers) {
      worker.on('error', (error) => end(() => reject(error)))
      worker.on('exit', (code) => {
        // A reader that fails says so with 'error'; one that just ends has lost its lister.
        if (worker === lister) {
          end(() => reject(new Error(`The scan stopped (exit code ${code}) before the end`)))
        }
        if (--running > 0) return
        signal?.removeEventListener('abort', onAbort)
        clearTimeout(killTimer)
        outcome!()
      })
    }
  })
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

/**
 * From the sources (vitest, tsx) the worker is scanWorker.ts beside this file. In the
 * electron-vite bundle, `?modulePath` makes electron-vite bundle scanWorker.ts as an entry of its
 * own and gives its path; the dynamic import is never reached from the sources.
 */
async function scanWorkerEntry(): Promise<URL> {
  if (import.meta.url.endsWith('.ts')) return new URL('./scanWorker.ts', import.meta.url)
  const { default: bundled } = await import('./scanWorker?modulePath')
  return pathToFileURL(bundled)
}
