/**
 * Rotation's "Replace in files": swaps an old secret for a new one in one file that a scan found,
 * all at once or not at all.
 *
 * The new content goes to a temporary file in the same folder (so that the rename stays on one
 * file system), is flushed to disk, takes the original's mode, and replaces the original by
 * rename, so a reader sees the old file or the new one, never a mix. Every byte other than the
 * secret is kept: line endings, encoding, a missing final newline.
 *
 * The file is skipped, untouched, and the reason reported when it is not the file the scan read
 * (its SHA-256 differs), when it is read-only (never chmod-ed: someone made it so), when the path
 * is a symbolic link or resolves outside the allowed folder, when it has other hard links (they
 * would keep the old secret), or when the old secret no longer occurs in it.
 */
import { createHash, randomBytes } from 'node:crypto'
import { constants } from 'node:fs'
import { lstat, open, realpath, rename, unlink, type FileHandle } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, sep } from 'node:path'
import { isWholeToken } from './detector'

export interface ReplaceRequest {
  /** The file, as the scan found it (absolute). */
  path: string
  /** The folder the file must stay inside: the scanned folder it was found in (absolute). */
  root: string
  /** SHA-256 (hex) of the file's bytes when it was scanned (ScanFinding.fileSha256). */
  expectedSha256: string
  oldSecret: string
  newSecret: string
}

export type ReplaceSkipReason =
  | 'notFound'
  | 'notAFile'
  | 'symlink'
  | 'outsideRoot'
  | 'hardLinked'
  | 'readOnly'
  | 'changed' // the content is not what the scan read
  | 'secretAbsent'
  | 'failed' // an I/O error; `message` says which

export type ReplaceOutcome =
  | {
      status: 'replaced'
      path: string
      occurrences: number
      /** SHA-256 of the new content, to update the scan's record of the file. */
      sha256: string
    }
  | { status: 'skipped'; path: string; reason: ReplaceSkipReason; message: string }

const SHA256_HEX = /^[0-9a-f]{64}$/
const MESSAGES: Record<Exclude<ReplaceSkipReason, 'failed'>, string> = {
  notFound: 'The file no longer exists',
  notAFile: 'The path is no longer a regular file',
  symlink: 'The path is a symbolic link; links are never written through',
  outsideRoot: 'The file is outside the scanned folder',
  hardLinked: 'The file has other hard links, which would keep the old secret',
  readOnly: 'The file is read-only',
  changed: 'The file changed since the scan; scan again, then replace',
  secretAbsent: 'The old secret no longer occurs in the file'
}

export async function replaceInFile(request: ReplaceRequest): Promise<ReplaceOutcome> {
  validate(request)
  const { path, root, expectedSha256, oldSecret, newSecret } = request
  const skip = (reason: Exclude<ReplaceSkipReason, 'failed'>): ReplaceOutcome => ({
    status: 'skipped',
    path,
    reason,
    message: MESSAGES[reason]
  })
  try {
    const stats = await lstat(path).catch(ifMissing(null))
    if (!stats) return skip('notFound')
    if (stats.isSymbolicLink()) return skip('symlink')
    if (!stats.isFile()) return skip('notAFile')
    // Resolves links in the folders above the file too: none may lead out of the root.
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(path)])
    if (!realFile.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep)) {
      return skip('outsideRoot')
    }
    if (stats.nlink > 1) return skip('hardLinked')
    // Mode bits, not access(): root may write anything, yet a read-only file was meant to stay so.
    if ((stats.mode & 0o222) === 0) return skip('readOnly')

    const content = await readNoFollow(path)
    if (sha256(content) !== expectedSha256) return skip('changed')
    const replaced = replaceWholeTokens(content, Buffer.from(oldSecret), Buffer.from(newSecret))
    if (replaced.occurrences === 0) return skip('secretAbsent')

    const written = await writeAtomically(path, replaced.content, stats, async () => {
      // The last look before the rename: the file must still be the one read above.
      const now = await lstat(path).catch(ifMissing(null))
      return (
        now !== null &&
        now.ino === stats.ino &&
        now.size === stats.size &&
        now.mtimeMs === stats.mtimeMs
      )
    })
    if (!written) return skip('changed')
    return {
      status: 'replaced',
      path,
      occurrences: replaced.occurrences,
      sha256: sha256(replaced.content)
    }
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException
    if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return skip('readOnly')
    if (code === 'ENOENT') return skip('notFound')
    if (code === 'ELOOP') return skip('symlink')
    return { status: 'skipped', path, reason: 'failed', message: `Could not replace: ${message}` }
  }
}

function validate({ path, root, expectedSha256, oldSecret, newSecret }: ReplaceRequest): void {
  if (typeof path !== 'string' || !isAbsolute(path)) {
    throw new TypeError('The file to change must be an absolute path')
  }
  if (typeof root !== 'string' || !isAbsolute(root)) {
    throw new TypeError('The allowed folder must be an absolute path')
  }
  if (typeof expectedSha256 !== 'string' || !SHA256_HEX.test(expectedSha256)) {
    throw new TypeError('The expected content fingerprint must be a SHA-256 in hex')
  }
  if (typeof oldSecret !== 'string' || typeof newSecret !== 'string' || !oldSecret || !newSecret) {
    throw new TypeError('Both the old and the new secret are needed')
  }
  if (oldSecret === newSecret) throw new TypeError('The new secret is the old one')
}

const ifMissing =
  <T>(fallback: T) =>
  (error: NodeJS.ErrnoException): T => {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return fallback
    throw error
  }

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

async function readNoFollow(path: string): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0))
  try {
    return await handle.readFile()
  } finally {
    await handle.close()
  }
}

/** Every occurrence of `old` that is a whole token (never part of a longer one) becomes `next`. */
export function replaceWholeTokens(
  content: Buffer,
  old: Buffer,
  next: Buffer
): { content: Buffer; occurrences: number } {
  const parts: Buffer[] = []
  let occurrences = 0
  let copied = 0
  for (let at = content.indexOf(old); at !== -1; at = content.indexOf(old, at + 1)) {
    if (!isWholeToken(content, at, at + old.length)) continue
    parts.push(content.subarray(copied, at), next)
    copied = at + old.length
    occurrences++
  }
  if (occurrences === 0) return { content, occurrences }
  parts.push(content.subarray(copied))
  return { content: Buffer.concat(parts), occurrences }
}

/**
 * Writes `content` to a new file beside `path`, flushes it, then renames it over `path` if
 * `stillSame()` agrees at that moment. Returns false (and leaves `path` alone) if not.
 */
async function writeAtomically(
  path: string,
  content: Buffer,
  original: { mode: number; uid: number; gid: number },
  stillSame: () => Promise<boolean>
): Promise<boolean> {
  const temporary = join(
    dirname(path),
    `.${basename(path)}.${randomBytes(6).toString('hex')}.vkm-tmp`
  )
  let handle: FileHandle | undefined
  let renamed = false
  try {
    // `wx`: never reuse or follow anything already at that name.
    handle = await open(temporary, 'wx', 0o600)
    await handle.writeFile(content)
    // Owner first (chown may clear set-id bits), then the original's mode exactly: the creation
    // mask may have dropped bits. Only root may give a file away; others keep their own.
    await handle.chown(original.uid, original.gid).catch(() => {})
    await handle.chmod(original.mode & 0o7777)
    await handle.sync()
    await handle.close()
    handle = undefined
    if (!(await stillSame())) return false
    await rename(temporary, path)
    renamed = true
    await syncFolder(dirname(path))
    return true
  } finally {
    await handle?.close()
    if (!renamed) await unlink(temporary).catch(() => {})
  }
}

/** Makes the rename itself durable. Windows cannot open a folder, and needs no such step. */
async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined
  try {
    handle = await open(folder, 'r')
    await handle.sync()
  } catch {
    // Best effort: the content is already on disk, and the rename is atomic without it.
  } finally {
    await handle?.close()
  }
}
