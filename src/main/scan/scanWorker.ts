/**
 * The scan, off main's event loop. One file, two roles (chosen by `workerData.role`), started
 * together by runScan, one thread per core:
 * - `scan`: lists the chosen folders, deals files out in batches to the other threads over the
 *   ports main gave it, and reads batches itself in between; forwards findings to main as they
 *   come, progress ten times a second, and the result at the end;
 * - `reader`: reads the batches it is sent.
 * Listing costs little next to reading, so the lister reads too: on two cores, two threads read.
 */
import { dirname } from 'node:path'
import { parentPort, type MessagePort, workerData } from 'node:worker_threads'
import { FileScanner } from './fileScanner'
import type {
  BatchDone,
  ControlMessage,
  ReadBatch,
  ReaderWorkerData,
  ScanMessage,
  ScanWorkerData
} from './protocol'
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
/** The lister reads smaller batches, so that it answers the readers soon after each one. */
const OWN_BATCH_FILES = 32
/** Batches a reader holds at once, so it never waits for the next one. */
const BATCHES_IN_FLIGHT = 2
/** Listed files waiting for a reader; listing pauses above this, so memory stays bounded. */
const MAX_QUEUED_FILES = 20_000
const PROGRESS_EVERY_MS = 100

const data = workerData as ScanWorkerData | ReaderWorkerData | undefined
if (data?.role === 'reader') runReader(data)
else if (parentPort && data?.role === 'scan') runScanWorker(parentPort, data)

function cancelCheck(cancel: SharedArrayBuffer): () => boolean {
  const flag = new Int32Array(cancel)
  return () => Atomics.load(flag, 0) !== 0
}

// ------------------------------------------------------------------------------------------------
// Reader

function runReader(data: ReaderWorkerData): void {
  const { port } = data
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
  port: MessagePort
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

  let finished = false
  const readers: Reader[] = data.readers.map((port) => ({ port, inFlight: 0 }))
  for (const reader of readers) {
    reader.port.on('message', (done: BatchDone) => onBatchDone(reader, done))
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
        reader.port.postMessage(take(BATCH_FILES))
        reader.inFlight++
      }
    }
    if (head > 4096 && head * 2 > queue.length) {
      queue = queue.slice(head)
      head = 0
    }
  }

  const scanner = new FileScanner({ maxFileBytes: data.maxFileBytes, isCancelled })
  const take = (count: number): ReadBatch => {
    const paths = queue.slice(head, head + count)
    head += paths.length
    const previous = data.previous
    return {
      type: 'batch',
      paths,
      previous: previous ? paths.map((path) => previous.get(path) ?? null) : []
    }
  }

  /** One turn: list a little, keep the readers fed, read a batch, then let messages in. */
  let stepping = false
  function step(): void {
    stepping = false
    if (finished) return
    if (isCancelled()) return finishIfIdle()
    if (!walker.done && queued() < MAX_QUEUED_FILES) {
      const files = walker.next(BATCH_FILES * (readers.length + 1))
      counts.filesListed += files.length
      for (const file of files) queue.push(file)
    }
    dispatch()
    if (queued() > 0) {
      merge(readBatch(scanner, take(OWN_BATCH_FILES), isCancelled))
      dispatch()
    }
    if (!walker.done || queued() > 0) keepStepping()
    else finishIfIdle()
  }
  function keepStepping(): void {
    if (stepping) return
    stepping = true
    // setImmediate, not a loop: readers' results and Cancel get through between turns.
    setImmediate(step)
  }

  function merge(done: BatchDone): void {
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
  }

  function onBatchDone(reader: Reader, done: BatchDone): void {
    reader.inFlight--
    merge(done)
    if (!isCancelled()) dispatch()
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
    // Main stops the readers once it has the outcome: they are idle, with no file open.
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
  keepStepping()
}
