/**
 * Main's handle on a set of scan threads: one lister and, per further core, one reader, each
 * reader with a channel of its own to the lister. They run one scan at a time and may run many:
 * a thread's start and the compiling of its code cost more CPU than reading a few thousand
 * files, so runScan keeps them for the next scan (a rescan, typically) while they are idle.
 * Idle threads hold no open file and do not keep the process alive.
 */
import { pathToFileURL } from 'node:url'
import { MessageChannel, type Worker } from 'node:worker_threads'
import type {
  ListerCommand,
  ListerMessage,
  ListerWorkerData,
  ReaderWorkerData,
  ScanJob
} from './protocol'
import { startWorker } from './startWorker'
import type { FileStamp, ScanFinding, ScanProgress, ScanResult } from './types'

export interface ScanHooks {
  /** About ten times a second, and once at the end. */
  onProgress?: (progress: ScanProgress) => void
  /** Findings as they are found (the result holds them all too). */
  onFindings?: (findings: ScanFinding[]) => void
  /** Cancel: the scan stops between files and the scan rejects with the signal's reason. */
  signal?: AbortSignal
}

/** After Cancel, how long the threads get to stop between files before they are terminated. */
const CANCEL_GRACE_MS = 2000

interface Running {
  id: number
  onMessage(message: ListerMessage): void
  fail(error: unknown): void
}

export class ScanThreads {
  readonly size: number
  private readonly workers: Worker[]
  private readonly lister: Worker
  private running: Running | null = null
  private lastId = 0
  private closed = false

  private constructor(entry: URL, size: number) {
    this.size = size
    // Every thread starts at once; readers need not wait for the lister to start them.
    const channels = Array.from({ length: size - 1 }, () => new MessageChannel())
    const readers = channels.map(({ port2: port }) =>
      startWorker(entry, { role: 'reader', port } satisfies ReaderWorkerData, [port])
    )
    const ports = channels.map((channel) => channel.port1)
    this.lister = startWorker(
      entry,
      { role: 'lister', readers: ports } satisfies ListerWorkerData,
      ports
    )
    this.workers = [this.lister, ...readers]
    this.lister.on('message', (message: ListerMessage) => {
      if (message.id === this.running?.id) this.running.onMessage(message)
    })
    for (const worker of this.workers) {
      worker.unref()
      worker.on('error', (error) => this.breakDown(error))
      worker.on('exit', (code) =>
        this.breakDown(new Error(`A scan thread stopped (exit code ${code})`))
      )
    }
  }

  /** `size`: threads that read files (the lister is one of them). */
  static async start(size: number): Promise<ScanThreads> {
    return new ScanThreads(await scanWorkerEntry(), Math.max(1, size))
  }

  /** False once a thread failed or close() was called: start new threads then. */
  get usable(): boolean {
    return !this.closed
  }

  get busy(): boolean {
    return this.running !== null
  }

  async close(): Promise<void> {
    this.closed = true
    await Promise.all(this.workers.map((worker) => worker.terminate()))
  }

  run(job: Omit<ScanJob, 'id' | 'cancel'>, hooks: ScanHooks = {}): Promise<ScanResult> {
    if (this.closed) return Promise.reject(new Error('These scan threads are closed'))
    if (this.running) return Promise.reject(new Error('A scan is already running'))
    const { signal } = hooks
    if (signal?.aborted) return Promise.reject(signal.reason)
    const id = ++this.lastId
    const cancel = new SharedArrayBuffer(4)
    const started = performance.now()
    const findings: ScanFinding[] = []
    for (const worker of this.workers) worker.ref()

    return new Promise<ScanResult>((resolve, reject) => {
      let killTimer: NodeJS.Timeout | undefined
      let hookError: { error: unknown } | undefined
      const stop = (): void => {
        Atomics.store(new Int32Array(cancel), 0, 1)
        this.lister.postMessage({ type: 'cancel', id } satisfies ListerCommand)
        // A thread stuck in one long system call gets this long, then the threads are ended.
        killTimer ??= setTimeout(() => {
          const reason = hookError ? hookError.error : signal?.reason
          void this.close()
          end(() => reject(reason))
        }, CANCEL_GRACE_MS)
      }
      const end = (settle: () => void): void => {
        if (this.running?.id !== id) return
        this.running = null
        clearTimeout(killTimer)
        signal?.removeEventListener('abort', stop)
        for (const worker of this.workers) worker.unref()
        settle()
      }
      this.running = {
        id,
        fail: (error) => end(() => reject(error)),
        onMessage: (message) => {
          if (message.type === 'result') {
            const { stampPaths, sizes, mtimes, ...rest } = message.result
            const files = new Map<string, FileStamp>()
            for (let i = 0; i < stampPaths.length; i++) {
              files.set(stampPaths[i], { size: sizes[i], mtimeMs: mtimes[i] })
            }
            const durationMs = Math.round(performance.now() - started)
            end(() => resolve({ ...rest, findings, files, durationMs }))
          } else if (message.type === 'cancelled') {
            const reason = hookError ? hookError.error : signal?.reason
            end(() => reject(reason ?? new Error('The scan was cancelled')))
          } else if (message.type === 'failed') {
            end(() => reject(new Error(message.message)))
          } else if (!hookError) {
            try {
              if (message.type === 'progress') hooks.onProgress?.(message.progress)
              else {
                for (const finding of message.findings) findings.push(finding)
                hooks.onFindings?.(message.findings)
              }
            } catch (error) {
              // A hook that throws ends the scan (it stops as Cancel does), not main's event loop.
              hookError = { error }
              stop()
            }
          }
        }
      }
      signal?.addEventListener('abort', stop, { once: true })
      const command: ListerCommand = { type: 'start', job: { ...job, id, cancel } }
      this.lister.postMessage(command)
    })
  }

  private breakDown(error: unknown): void {
    if (this.closed && !this.running) return
    void this.close()
    this.running?.fail(error)
  }
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
