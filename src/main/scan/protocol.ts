/**
 * Messages between main (ScanThreads), the lister thread and the reader threads. The only
 * messages that carry secrets are `findings` (reader → lister → main).
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

/** `workerData` of the lister: one port per reader thread. */
export interface ListerWorkerData {
  role: 'lister'
  readers: MessagePort[]
}

/** `workerData` of a reader: its channel to the lister. */
export interface ReaderWorkerData {
  role: 'reader'
  port: MessagePort
}

/** One scan, as the lister runs it. */
export interface ScanJob {
  id: number
  roots: string[]
  skipGitObjects: boolean
  skipNodeModules: boolean
  maxFileBytes: number | null
  previous: ReadonlyMap<string, FileStamp> | null
  /** One Int32: main sets it to 1 to cancel; every thread reads it between files. */
  cancel: SharedArrayBuffer
}

/** Main → lister. `cancel` only wakes the lister; the flag in `ScanJob.cancel` stops the work. */
export type ListerCommand = { type: 'start'; job: ScanJob } | { type: 'cancel'; id: number }

/** Lister → reader: the settings of the scan whose batches follow. */
export interface ReaderSetup {
  type: 'setup'
  maxFileBytes: number | null
  cancel: SharedArrayBuffer
}

/** Lister → reader: files to read; `previous[i]` is the stamp of `paths[i]`, or null. */
export interface ReadBatch {
  type: 'batch'
  paths: string[]
  previous: (FileStamp | null)[]
}

/** Reader → lister. Stamps are columns, which clone faster than one object per file. */
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

/** The parts of a result the lister sends; main builds the Map. */
export type WorkerResult = Omit<ScanResult, 'files' | 'findings' | 'durationMs'> & {
  stampPaths: string[]
  sizes: number[]
  mtimes: number[]
}

/** Lister → main, each about the scan `id`. */
export type ListerMessage = { id: number } & (
  | { type: 'progress'; progress: ScanProgress }
  | { type: 'findings'; findings: ScanFinding[] }
  | { type: 'result'; result: WorkerResult }
  | { type: 'cancelled' }
  | { type: 'failed'; message: string }
)

export type { ScanCounts, SkipReason }
