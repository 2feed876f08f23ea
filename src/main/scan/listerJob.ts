/**
 * One scan, as the lister thread runs it: lists the chosen folders, deals files out in batches to
 * the reader threads, reads batches itself in between (listing costs little next to reading, so
 * on two cores two threads read), forwards findings as they come, progress ten times a second,
 * and the result once every batch is back.
 */
import { dirname } from 'node:path'
import type { MessagePort } from 'node:worker_threads'
import { FileScanner } from './fileScanner'
import type { BatchDone, ListerMessage, ReadBatch, ReaderSetup, ScanJob } from './protocol'
import { cancelCheck, readBatch } from './readBatch'
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

export interface Reader {
  port: MessagePort
  inFlight: number
}

export interface RunningJob {
  /** Checks the cancel flag now, instead of at the next turn. */
  wake(): void
  onBatchDone(reader: Reader, done: BatchDone): void
}

type Send = (message: ListerMessage) => void

// Runs in the scan worker from source too (Node's type stripping): erasable TypeScript only.
export function startJob(
  job: ScanJob,
  readers: Reader[],
  send: Send,
  onEnd: () => void
): RunningJob {
  const { id } = job
  const isCancelled = cancelCheck(job.cancel)

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
    job.roots,
    { skipGitObjects: job.skipGitObjects, skipNodeModules: job.skipNodeModules },
    onSkip
  )
  const scanner = new FileScanner({ maxFileBytes: job.maxFileBytes, isCancelled })
  const stampPaths: string[] = []
  const sizes: number[] = []
  const mtimes: number[] = []
  const unchanged: string[] = []
  let findings = 0
  let lastFolder = ''
  let finished = false

  let queue: string[] = []
  let head = 0
  const queued = (): number => queue.length - head
  const take = (count: number): ReadBatch => {
    const paths = queue.slice(head, head + count)
    head += paths.length
    const previous = job.previous
    return {
      type: 'batch',
      paths,
      previous: previous ? paths.map((path) => previous.get(path) ?? null) : []
    }
  }

  const progress = (): void =>
    send({
      id,
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
      send({ id, type: 'findings', findings: done.findings })
    }
  }

  function finishIfIdle(): void {
    if (finished || readers.some((reader) => reader.inFlight > 0)) return
    const cancelled = isCancelled()
    if (!cancelled && (!walker.done || queued() > 0)) return
    finished = true
    clearInterval(progressTimer)
    counts.foldersScanned = walker.foldersScanned
    counts.foldersExcluded = walker.foldersExcluded
    onEnd()
    if (cancelled) {
      send({ id, type: 'cancelled' })
      return
    }
    progress()
    send({
      id,
      type: 'result',
      result: { stampPaths, sizes, mtimes, unchanged, counts, skipped, skippedTruncated }
    })
  }

  const setup: ReaderSetup = { type: 'setup', maxFileBytes: job.maxFileBytes, cancel: job.cancel }
  for (const reader of readers) reader.port.postMessage(setup)
  progress()
  keepStepping()

  return {
    wake: finishIfIdle,
    onBatchDone(reader, done) {
      reader.inFlight--
      merge(done)
      if (!isCancelled()) dispatch()
      finishIfIdle()
    }
  }
}
