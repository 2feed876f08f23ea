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
import type { ControlMessage, ScanMessage, ScanWorkerData } from './protocol'
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
const MAX_READERS = 4

export async function runScan(options: ScanOptions, hooks: ScanHooks = {}): Promise<ScanResult> {
  const { signal } = hooks
  signal?.throwIfAborted()
  const roots = validRoots(options.roots)
  const started = performance.now()
  const cancel = new SharedArrayBuffer(4)
  const data: ScanWorkerData = {
    role: 'scan',
    roots,
    skipGitObjects: options.skipGitObjects ?? true,
    skipNodeModules: options.skipNodeModules ?? true,
    maxFileBytes: (options.skipLargeFiles ?? true) ? LARGE_FILE_BYTES : null,
    previous: options.previous ?? null,
    threads: Math.max(1, Math.min(MAX_READERS, options.threads ?? availableParallelism())),
    cancel
  }
  const worker = startWorker(await scanWorkerEntry(), data)

  return new Promise<ScanResult>((resolve, reject) => {
    const findings: ScanFinding[] = []
    // Settled on the worker's exit, not on its last message: once runScan returns, no scan
    // thread is left, nor any file it had open.
    let outcome: (() => void) | undefined
    let killTimer: NodeJS.Timeout | undefined
    const end = (then: () => void): void => {
      outcome ??= then
    }
    const failWith = (error: unknown): void => {
      end(() => reject(error))
      void worker.terminate()
    }
    const onAbort = (): void => {
      Atomics.store(new Int32Array(cancel), 0, 1)
      worker.postMessage({ type: 'cancel' } satisfies ControlMessage)
      killTimer = setTimeout(() => failWith(signal?.reason), CANCEL_GRACE_MS)
    }
    signal?.addEventListener('abort', onAbort, { once: true })

    worker.on('message', (message: ScanMessage) => {
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
        failWith(error)
      }
    })
    worker.on('error', (error) => failWith(error))
    worker.on('exit', (code) => {
      signal?.removeEventListener('abort', onAbort)
      clearTimeout(killTimer)
      end(() => reject(new Error(`The scan stopped (exit code ${code}) before it finished`)))
      outcome!()
    })
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
