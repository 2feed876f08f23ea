/**
 * The scan, off main's event loop. One file, two roles (chosen by `workerData.role`):
 * - `scan`, started by runScan: lists the chosen folders and deals their files out, in batches,
 *   to reader workers; forwards findings to main as they come, progress ten times a second, and
 *   the result at the end;
 * - `reader`, started by the scan worker (from this same file): reads files and runs the detector.
 * Listing costs little next to reading, so the readers get the cores: on two cores, two readers
 * read while the lister waits on them most of the time.
 */
import { dirname } from 'node:path'
import { parentPort, type MessagePort, type Worker, workerData } from 'node:worker_threads'
import { FileScanner } from './fileScanner'
import type {
  BatchDone,
  ControlMessage,
  ReadBatch,
  ReaderWorkerData,
  ScanMessage,
  ScanWorkerData
} from './protocol'
import { startWorker } from './startWorker'
import { TreeWalker } from './treeWalker'
import {
  MAX_LISTED_SKIPS,
  emptySkipCounts,
  type ScanCounts,
  type ScanSkip,
  type SkipReason
} from './types'

/** Files per batch: small enough to share work evenly, big enough that messages cost little. */
const BATCH_FILES = 128
/** Batches a reader holds at once, so it never waits for the next one. */
const BATCHES_IN_FLIGHT = 2
/** Listed files waiting for a reader; listing pauses above this, so memory stays bounded. */
const MAX_QUEUED_FILES = 20_000
const PROGRESS_EVERY_MS = 100

const data = workerData as ScanWorkerData | ReaderWorkerData | undefined
if (parentPort && data?.role === 'reader') runReader(parentPort, data)
else if (parentPort && data?.role === 'scan') runScanWorker(parentPort, data)

function cancelCheck(cancel: SharedArrayBuffer): () => boolean {
  const flag = new Int32Array(cancel)
  return () => Atomics.load(flag, 0) !== 0
}

// ------------------------------------------------------------------------------------------------
// Reader

function runReader(port: MessagePort, data: ReaderWorkerData): void {
  const isCancelled = cancelCheck(data.cancel)
  const scanner = new FileScanner({ maxFileBytes: data.maxFileBytes, isCancelled })
  port.on('message', (batch: ReadBatch) => {
    port.postMessage(readBatch(scanner, batch, isCancelled))
  })
}

function readBatch(scanner: FileScanner, batch: ReadBatch, isCancelled: () => boolean): BatchDone {
  const done: BatchDone = {
    type: 'done',
    stampPaths: [],
    sizes: [],
    mtimes: [],
    unchanged: [],
    findings: [],
    skipped: [],
    filesScanned: 0,
    bytesScanned: 0,
    binaryFiles: 0,
    lastPath: null,
    cancelled: false
  }
  const bytesBefore = scanner.bytesRead
  for (let i = 0; i < batch.paths.length && !done.cancelled; i++) {
    if (isCancelled()) {
      done.cancelled = true
      break
    }
    const path = batch.paths[i]
    const outcome = scanner.scan(path, batch.previous[i] ?? undefined)
    done.lastPath = path
    if (outcome.kind === 'cancelled') {
      done.cancelled = true
    } else if (outcome.kind === 'skipped') {
      const { reason, code } = outcome
      done.skipped.push(code ? { path, reason, code } : { path, reason })
    } else {
      done.stampPaths.push(path)
      done.sizes.push(outcome.stamp.size)
      done.mtimes.push(outcome.stamp.mtimeMs)
      if (outcome.kind === 'unchanged') {
        done.unchanged.push(path)
        continue
      }
      done.filesScanned++
      if (outcome.kind === 'binary') {
        done.binaryFiles++
        continue
      }
      for (const match of outcome.matches) {
        done.findings.push({
          path,
          line: match.line,
          column: match.column,
          kind: match.kind,
          secret: match.secret,
          context: match.context,
          fileSha256: outcome.sha256 ?? ''
        })
      }
    }
  }
  done.bytesScanned = scanner.bytesRead - bytesBefore
  return done
}

// ------------------------------------------------------------------------------------------------
// Scan: lists folders, deals files out, reports

interface Reader {
  worker: Worker
  inFlight: number
}

function runScanWorker(port: MessagePort, data: ScanWorkerData): void {
  const isCancelled = cancelCheck(data.cancel)
  const send = (message: ScanMessage): void => port.postMessage(message)

  const counts: ScanCounts = {
    filesListed: 0,
    filesScanned: 0,
    bytesScanned: 0,
    filesUnchanged: 0,
    binaryFiles: 0,
    foldersScanned: 0,
    foldersExcluded: 0,
    skipped: emptySkipCounts()
  }
  const skipped: ScanSkip[] = []
  const listed = emptySkipCounts()
  let skippedTruncated = false
  const onSkip = (path: string, reason: SkipReason, code?: string): void => {
    counts.skipped[reason]++
    if (listed[reason] >= MAX_LISTED_SKIPS) {
      skippedTruncated = true
      return
    }
    listed[reason]++
    skipped.push(code ? { path, reason, code } : { path, reason })
  }

  const walker = new TreeWalker(
    data.roots,
    { skipGitObjects: data.skipGitObjects, skipNodeModules: data.skipNodeModules },
    onSkip
  )
  const stampPaths: string[] = []
  const sizes: number[] = []
  const mtimes: number[] = []
  const unchanged: string[] = []
  let findings = 0
  let lastFolder = ''

  let queue: string[] = []
  let head = 0
  const queued = (): number => queue.length - head

  const readers: Reader[] = []
  const readerData: ReaderWorkerData = {
    role: 'reader',
    maxFileBytes: data.maxFileBytes,
    cancel: data.cancel
  }
  let finished = false
  const fail = (message: string): void => {
    if (finished) return
    finished = true
    clearInterval(progressTimer)
    for (const reader of readers) void reader.worker.terminate()
    send({ type: 'failed', message })
    port.close()
  }
  for (let i = 0; i < Math.max(1, data.threads); i++) {
    const reader: Reader = {
      worker: startWorker(new URL(import.meta.url), readerData),
      inFlight: 0
    }
    reader.worker.on('message', (done: BatchDone) => onBatchDone(reader, done))
    reader.worker.on('error', (error) => fail(`A scan reader failed: ${error.message}`))
    reader.worker.on('exit', () => fail('A scan reader stopped before the scan ended'))
    readers.push(reader)
  }

  const progress = (): void =>
    send({
      type: 'progress',
      progress: {
        filesListed: counts.filesListed,
        filesScanned: counts.filesScanned,
        filesUnchanged: counts.filesUnchanged,
        bytesScanned: counts.bytesScanned,
        findings,
        currentFolder: walker.done ? lastFolder : walker.currentFolder,
        listingDone: walker.done
      }
    })
  const progressTimer = setInterval(progress, PROGRESS_EVERY_MS)

  function dispatch(): void {
    for (const reader of readers) {
      while (reader.inFlight < BATCHES_IN_FLIGHT && queued() > 0) {
        const paths = queue.slice(head, head + BATCH_FILES)
        head += paths.length
        const previous = data.previous
        const batch: ReadBatch = {
          type: 'batch',
          paths,
          previous: previous ? paths.map((path) => previous.get(path) ?? null) : []
        }
        reader.worker.postMessage(batch)
        reader.inFlight++
      }
    }
    if (head > 4096 && head * 2 > queue.length) {
      queue = queue.slice(head)
      head = 0
    }
  }

  let listing = false
  function listSome(): void {
    listing = false
    if (finished || isCancelled()) return finishIfIdle()
    if (walker.done || queued() >= MAX_QUEUED_FILES) return finishIfIdle()
    const files = walker.next(BATCH_FILES * readers.length)
    counts.filesListed += files.length
    for (const file of files) queue.push(file)
    dispatch()
    keepListing()
    finishIfIdle()
  }
  function keepListing(): void {
    if (listing || walker.done) return
    listing = true
    // setImmediate, not a loop: readers' results and Cancel get through between folders.
    setImmediate(listSome)
  }

  function onBatchDone(reader: Reader, done: BatchDone): void {
    reader.inFlight--
    counts.filesScanned += done.filesScanned
    counts.bytesScanned += done.bytesScanned
    counts.binaryFiles += done.binaryFiles
    counts.filesUnchanged += done.unchanged.length
    for (let i = 0; i < done.stampPaths.length; i++) {
      stampPaths.push(done.stampPaths[i])
      sizes.push(done.sizes[i])
      mtimes.push(done.mtimes[i])
    }
    for (const path of done.unchanged) unchanged.push(path)
    for (const skip of done.skipped) onSkip(skip.path, skip.reason, skip.code)
    if (done.lastPath !== null) lastFolder = dirname(done.lastPath)
    if (done.findings.length > 0) {
      findings += done.findings.length
      send({ type: 'findings', findings: done.findings })
    }
    if (!isCancelled()) {
      dispatch()
      keepListing()
    }
    finishIfIdle()
  }

  function finishIfIdle(): void {
    if (finished || readers.some((reader) => reader.inFlight > 0)) return
    const cancelled = isCancelled()
    if (!cancelled && (!walker.done || queued() > 0)) return
    finished = true
    clearInterval(progressTimer)
    counts.foldersScanned = walker.foldersScanned
    counts.foldersExcluded = walker.foldersExcluded
    // Idle readers hold no open file, so they can be stopped outright, even mid-start.
    for (const reader of readers) {
      reader.worker.removeAllListeners('exit')
      void reader.worker.terminate()
    }
    if (cancelled) {
      send({ type: 'cancelled' })
    } else {
      progress()
      send({
        type: 'result',
        result: { stampPaths, sizes, mtimes, unchanged, counts, skipped, skippedTruncated }
      })
    }
    port.close()
  }

  port.on('message', (message: ControlMessage) => {
    if (message.type === 'cancel') finishIfIdle()
  })
  progress()
  keepListing()
}
