/**
 * Reads one file and runs the detector on its bytes, with as few system calls as the job allows:
 * open, fstat, one read into a buffer reused for every file, close. A file larger than the buffer
 * is read in windows, carrying line numbers and the bytes a key could straddle.
 *
 * Nothing here can hang or throw on a hostile tree: the file is opened non-blocking and without
 * following a final symbolic link, and only a regular file (checked on the open descriptor) is
 * read, so a FIFO, a device, or a symlink swapped in after listing is reported, never read.
 */
import type { Hash } from 'node:crypto'
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync } from 'node:fs'
import { LineCursor, WINDOW_OVERLAP, scanWindow, type SecretMatch } from './detector'
import type { FileStamp, SkipReason } from './types'

/**
 * node:crypto is some twenty internal modules, which each new scan thread would load and compile
 * up front; most threads never hash (only files with findings, and large files, are hashed).
 */
const sha256 = (): Hash => process.getBuiltinModule('node:crypto').createHash('sha256')

/** Where the first NUL byte makes a file binary. */
export const BINARY_PROBE_BYTES = 8192

// O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
// O_NOFOLLOW: a symbolic link put where a file was listed fails with ELOOP. Neither exists on
// Windows, which has no FIFOs in a folder tree, and where lstat runs before every open.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0)

export type FileOutcome =
  | { kind: 'scanned'; stamp: FileStamp; matches: SecretMatch[]; sha256: string | null }
  | { kind: 'binary'; stamp: FileStamp }
  | { kind: 'unchanged'; stamp: FileStamp }
  | { kind: 'skipped'; reason: SkipReason; code?: string }
  | { kind: 'cancelled' }

export interface FileScannerOptions {
  /** Files larger than this are skipped as `tooLarge`; null reads every size. */
  maxFileBytes: number | null
  /** The reused read buffer (and window) size. */
  bufferBytes?: number
  /** Checked between windows of a large file, so Cancel does not wait for a whole file. */
  isCancelled?: () => boolean
}

const DEFAULT_BUFFER_BYTES = 1024 * 1024
const MIN_BUFFER_BYTES = 4096

// Runs in the scan worker from source too (Node's type stripping): erasable TypeScript only.
export class FileScanner {
  private readonly options: FileScannerOptions
  private readonly buf: Buffer
  /** Bytes read by this scanner so far. */
  bytesRead = 0

  constructor(options: FileScannerOptions) {
    this.options = options
    this.buf = Buffer.alloc(Math.max(MIN_BUFFER_BYTES, options.bufferBytes ?? DEFAULT_BUFFER_BYTES))
  }

  /** `previous`: the stamp the last scan recorded, to skip a file that has not changed. */
  scan(path: string, previous?: FileStamp): FileOutcome {
    if (previous) {
      let stats
      try {
        stats = lstatSync(path, { throwIfNoEntry: false })
      } catch (error) {
        return failure(error)
      }
      if (!stats) return { kind: 'skipped', reason: 'vanished', code: 'ENOENT' }
      if (stats.isFile() && stats.size === previous.size && stats.mtimeMs === previous.mtimeMs) {
        return { kind: 'unchanged', stamp: previous }
      }
    }
    let fd: number
    try {
      fd = openSync(path, OPEN_FLAGS)
    } catch (error) {
      return failure(error)
    }
    try {
      const stats = fstatSync(fd)
      if (!stats.isFile()) {
        // A folder where a file was listed: the file is gone. Anything else is not for reading.
        return { kind: 'skipped', reason: stats.isDirectory() ? 'vanished' : 'special' }
      }
      const stamp = { size: stats.size, mtimeMs: stats.mtimeMs }
      const max = this.options.maxFileBytes
      if (max !== null && stats.size > max) return { kind: 'skipped', reason: 'tooLarge' }
      return this.read(fd, stamp)
    } catch (error) {
      return failure(error)
    } finally {
      closeSync(fd)
    }
  }

  private read(fd: number, stamp: FileStamp): FileOutcome {
    const buf = this.buf
    const matches: SecretMatch[] = []
    let cursor: LineCursor | null = null
    let hash: Hash | null = null
    let filled = 0
    let from = 0
    // One byte more than the size says, so that the usual file is known complete after one read.
    let want = Math.min(stamp.size + 1, buf.length)
    for (;;) {
      const read = readSync(fd, buf, filled, want - filled, null)
      this.bytesRead += read
      const final = read < want - filled
      if (cursor === null) {
        const probe = buf.subarray(0, Math.min(read, BINARY_PROBE_BYTES))
        if (probe.indexOf(0) !== -1) return { kind: 'binary', stamp }
        cursor = LineCursor.atStartOf(buf.subarray(0, read))
      }
      // More than one window: hash as the bytes go by, since they will not all be in memory.
      if (!final) hash ??= sha256()
      hash?.update(buf.subarray(filled, filled + read))
      filled += read
      const resume = scanWindow(buf, { from, end: filled, final }, cursor, matches)
      if (final) break
      if (this.options.isCancelled?.()) return { kind: 'cancelled' }
      const keepFrom = Math.max(0, resume - WINDOW_OVERLAP)
      if (cursor.pos < keepFrom) cursor.advance(buf.subarray(0, filled), keepFrom)
      buf.copyWithin(0, keepFrom, filled)
      cursor.shift(keepFrom)
      filled -= keepFrom
      from = resume - keepFrom
      want = buf.length
    }
    let digest: string | null = null
    if (hash) digest = hash.digest('hex')
    else if (matches.length > 0) digest = sha256().update(buf.subarray(0, filled)).digest('hex')
    return { kind: 'scanned', stamp, matches, sha256: digest }
  }
}

function failure(error: unknown): FileOutcome {
  const code = (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN'
  if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'skipped', reason: 'vanished', code }
  if (code === 'ELOOP') return { kind: 'skipped', reason: 'symlink', code }
  return { kind: 'skipped', reason: 'unreadable', code }
}
