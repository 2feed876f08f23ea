/**
 * Lists the regular files under the chosen folders, a few folders at a time, so the scan worker
 * can hand files to readers while it keeps listing.
 *
 * It follows no symbolic link at all: a link to a place inside the chosen folders is scanned
 * there, under its real path, and a link out of them must not be followed, so nothing is lost
 * and no link can loop. A folder reached twice by other means (a bind mount of a parent) is a
 * `loop`, found by device and inode. FIFOs, sockets and devices are listed as `special`, never
 * opened. Errors are reported per folder and never stop the walk.
 */
import { type Dirent, lstatSync, readdirSync, realpathSync, type Stats } from 'node:fs'
import { sep } from 'node:path'
import type { SkipReason } from './types'

export interface WalkOptions {
  skipGitObjects: boolean
  skipNodeModules: boolean
}

export type OnSkip = (path: string, reason: SkipReason, code?: string) => void

// Runs in the scan worker from source too (Node's type stripping): erasable TypeScript only.
export class TreeWalker {
  private readonly options: WalkOptions
  private readonly onSkip: OnSkip
  private readonly folders: string[] = []
  private readonly seen = new Set<string>()
  /** Root paths that are files, listed on the first call. */
  private rootFiles: string[] = []
  currentFolder = ''
  foldersScanned = 0
  foldersExcluded = 0

  constructor(roots: readonly string[], options: WalkOptions, onSkip: OnSkip) {
    this.options = options
    this.onSkip = onSkip
    const real: string[] = []
    for (const root of roots) {
      try {
        const path = realpathSync(root)
        if (lstatSync(path).isDirectory()) real.push(path)
        else this.rootFiles.push(path)
      } catch (error) {
        onSkip(root, reasonOf(error), codeOf(error))
      }
    }
    // A folder inside another chosen folder is scanned once, as part of the outer one.
    real.sort()
    for (const path of real) {
      const outer = this.folders.find((kept) => path === kept || path.startsWith(withSep(kept)))
      if (outer === undefined) this.folders.push(path)
    }
    this.folders.reverse()
  }

  get done(): boolean {
    return this.folders.length === 0 && this.rootFiles.length === 0
  }

  /** Lists folders until at least `atLeast` files are found, or none are left; returns the files. */
  next(atLeast: number): string[] {
    const files = this.rootFiles
    this.rootFiles = []
    while (files.length < atLeast && this.folders.length > 0) {
      this.list(this.folders.pop()!, files)
    }
    return files
  }

  private list(folder: string, files: string[]): void {
    this.currentFolder = folder
    let entries: Dirent[]
    try {
      // lstat, not stat: the folder may have been replaced by a link since it was listed.
      const stats = lstatSync(folder)
      if (!stats.isDirectory()) {
        this.onSkip(folder, stats.isSymbolicLink() ? 'symlink' : 'vanished')
        return
      }
      const id = `${stats.dev}:${stats.ino}`
      if (this.seen.has(id)) {
        this.onSkip(folder, 'loop')
        return
      }
      this.seen.add(id)
      entries = readdirSync(folder, { withFileTypes: true })
    } catch (error) {
      this.onSkip(folder, reasonOf(error), codeOf(error))
      return
    }
    this.foldersScanned++
    const prefix = withSep(folder)
    const inGit = folder.endsWith(`${sep}.git`)
    for (const entry of entries) {
      const path = prefix + entry.name
      if (entry.isFile()) files.push(path)
      else if (entry.isDirectory()) this.folder(path, entry.name, inGit)
      else if (entry.isSymbolicLink()) this.onSkip(path, 'symlink')
      else if (isSpecial(entry)) this.onSkip(path, 'special')
      else this.unknownType(path, entry.name, inGit, files)
    }
  }

  private folder(path: string, name: string, inGit: boolean): void {
    const excluded =
      (name === 'node_modules' && this.options.skipNodeModules) ||
      (name === 'objects' && inGit && this.options.skipGitObjects)
    if (excluded) this.foldersExcluded++
    else this.folders.push(path)
  }

  /** Some file systems do not give an entry's type with its name: ask lstat. */
  private unknownType(path: string, name: string, inGit: boolean, files: string[]): void {
    let stats: Stats
    try {
      stats = lstatSync(path)
    } catch (error) {
      this.onSkip(path, reasonOf(error), codeOf(error))
      return
    }
    if (stats.isFile()) files.push(path)
    else if (stats.isDirectory()) this.folder(path, name, inGit)
    else if (stats.isSymbolicLink()) this.onSkip(path, 'symlink')
    else this.onSkip(path, 'special')
  }
}

function isSpecial(entry: Dirent): boolean {
  return entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice()
}

function withSep(folder: string): string {
  return folder.endsWith(sep) ? folder : folder + sep
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? 'EUNKNOWN'
}

function reasonOf(error: unknown): SkipReason {
  const code = codeOf(error)
  return code === 'ENOENT' || code === 'ENOTDIR' ? 'vanished' : 'unreadable'
}
