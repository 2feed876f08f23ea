/**
 * The scanner's public shapes, shared by the main-side wrapper (runScan) and the worker. Plain
 * data only: every value here crosses a worker channel by structured clone.
 */
import type { SecretKind } from './detector'

export type { SecretKind }

/** 10 MiB: the "skip files over 10 MB" option's limit. */
export const LARGE_FILE_BYTES = 10 * 1024 * 1024

export interface ScanOptions {
  /** Folders to scan (absolute paths). A folder inside another chosen one is scanned once. */
  roots: string[]
  /** Skip `.git/objects` (packed history: compressed, so never readable text). Default true. */
  skipGitObjects?: boolean
  /** Skip every `node_modules` folder. Default true. */
  skipNodeModules?: boolean
  /** Skip files over LARGE_FILE_BYTES. Default true. */
  skipLargeFiles?: boolean
  /**
   * The previous scan's `files`: a file whose size and modification time are both unchanged is not
   * read again, and is listed in `unchanged` so the caller keeps its earlier findings.
   */
  previous?: ReadonlyMap<string, FileStamp>
  /** Threads that read files; default: the machine's cores, at most 4. */
  threads?: number
}

export interface FileStamp {
  size: number
  mtimeMs: number
}

/**
 * One secret found in a file. `secret` is the only sensitive field: it travels from the worker to
 * main over the worker channel, never further (fingerprint it, then drop it).
 */
export interface ScanFinding {
  path: string
  line: number
  /** In characters (code points) from the start of the line, 1-based. */
  column: number
  kind: SecretKind
  secret: string
  /** `VECTARA_API_KEY=`, `x-api-key:`… when a word names the value on the same line. */
  context: string | null
  /** SHA-256 (hex) of the file's bytes as read: the expected content for replaceInFile. */
  fileSha256: string
}

/** Why a file or folder was not read. */
export type SkipReason =
  | 'unreadable' // permission denied, or an I/O error (`code` says which)
  | 'vanished' // deleted or renamed between listing and reading
  | 'special' // FIFO, socket or device: never opened for reading
  | 'symlink' // symbolic links are never followed
  | 'tooLarge'
  | 'loop' // a folder reached twice (bind mount, or a mount of a parent)

export interface ScanSkip {
  path: string
  reason: SkipReason
  /** The system error code (`EACCES`, `EIO`…), when there was one. */
  code?: string
}

export interface ScanCounts {
  filesListed: number
  filesScanned: number
  bytesScanned: number
  filesUnchanged: number
  /** Files with a NUL byte in their first 8 KB: binary, not searched. */
  binaryFiles: number
  foldersScanned: number
  /** `node_modules` and `.git/objects` folders left out by the options. */
  foldersExcluded: number
  skipped: Record<SkipReason, number>
}

/** Sent about ten times a second while a scan runs: counts only, never a secret or a path's content. */
export interface ScanProgress {
  filesListed: number
  filesScanned: number
  filesUnchanged: number
  bytesScanned: number
  findings: number
  /** The folder being listed, or the last file's folder once listing is done. */
  currentFolder: string
  listingDone: boolean
}

export interface ScanResult {
  findings: ScanFinding[]
  /** Every file read or found unchanged, with its stamp: the `previous` of the next scan. */
  files: Map<string, FileStamp>
  /** Files not read because their stamp matched `previous`: keep their earlier findings. */
  unchanged: string[]
  counts: ScanCounts
  /** Files and folders not read, and why (at most MAX_LISTED_SKIPS of each reason). */
  skipped: ScanSkip[]
  /** True when more were skipped than `skipped` lists (counts.skipped has every one). */
  skippedTruncated: boolean
  durationMs: number
}

/** Per reason, so that many symbolic links cannot crowd unreadable files out of the list. */
export const MAX_LISTED_SKIPS = 500

export function emptySkipCounts(): Record<SkipReason, number> {
  return { unreadable: 0, vanished: 0, special: 0, symlink: 0, tooLarge: 0, loop: 0 }
}
