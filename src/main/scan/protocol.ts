/**
 * Messages between main (runScan), the scan worker that lists folders, and its reader workers.
 * The only messages that carry secrets are `findings` (reader → scan worker → main).
 */
import type { MessagePort } from 'node:worker_threads'
import type {
  FileStamp,
  ScanCounts,
  ScanFinding,
  ScanProgress,
  ScanResult,
  ScanSkip,
  SkipReason
} from './types'

/** `workerData` of the scan worker. */
export interface ScanWorkerData {
  role: 'scan'
  /** One port per reader worker (main starts them all at once, so they start in parallel). */
  readers: MessagePort[]
  roots: string[]
  skipGitObjects: boolean
  skipNodeModules: boolean
  maxFileBytes: number | null
  previous: ReadonlyMap<string, FileStamp> | null
  /** One Int32: main sets it to 1 to cancel; every thread reads it between files. */
  cancel: SharedArrayBuffer
}

/** `workerData` of a reader worker. */
export interface ReaderWorkerData {
  role: 'reader'
  /** Its channel to the scan worker: batches come in, results go out. */
  port: MessagePort
  maxFileBytes: number | null
  cancel: SharedArrayBuffer
}

/** Scan worker → reader: files to read; `previous[i]` is the stamp of `paths[i]`, or null. */
export interface ReadBatch {
  type: 'batch'
  paths: string[]
  previous: (FileStamp | null)[]
}

/** Reader → scan worker. Stamps are columns, which clone faster than one object per file. */
export interface BatchDone {
  type: 'done'
  /** Files read, or found unchanged, with their stamps (the next scan's `previous`). */
  stampPaths: string[]
  sizes: number[]
  mtimes: number[]
  unchanged: string[]
  findings: ScanFinding[]
  skipped: ScanSkip[]
  filesScanned: number
  bytesScanned: number
  binaryFiles: number
  /** The last file handled, for the progress line's folder. */
  lastPath: string | null
  /** The batch stopped early because the scan was cancelled. */
  cancelled: boolean
}

/** The parts of a result the scan worker sends; runScan builds the Map. */
export type WorkerResult = Omit<ScanResult, 'files' | 'findings' | 'durationMs'> & {
  stampPaths: string[]
  sizes: number[]
  mtimes: number[]
}

/** Scan worker → main. */
export type ScanMessage =
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'findings'; findings: ScanFinding[] }
  | { type: 'result'; result: WorkerResult }
  | { type: 'cancelled' }
  | { type: 'failed'; message: string }

/** Main → scan worker, to wake it when it waits on readers. */
export type ControlMessage = { type: 'cancel' }

export type { ScanCounts, SkipReason }
