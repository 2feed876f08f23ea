import { realpath, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { isAbsolute, join, resolve, sep } from 'node:path'
import { AppError } from '@shared/errors'

/**
 * A folder the user typed or picked, as main will scan it: absolute, existing, a directory,
 * and resolved through symbolic links (the scanner never follows links, so a linked folder is
 * remembered by where it really is). Every failure is a field error the form can show.
 */
export async function checkedFolder(raw: string): Promise<string> {
  const typed = raw.trim()
  const expanded =
    typed === '~' ? homedir() : typed.startsWith('~/') ? join(homedir(), typed.slice(2)) : typed
  if (!isAbsolute(expanded)) {
    throw folderError(
      `Enter the folder's full path, e.g. ${sep === '/' ? '/home/you/projects' : 'C:\\Users\\you\\projects'}`
    )
  }
  const path = resolve(expanded)
  let real: string
  try {
    real = await realpath(path)
    const stats = await stat(real)
    if (!stats.isDirectory()) throw folderError(`${path} is a file, not a folder`)
  } catch (error) {
    if (error instanceof AppError) throw error
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT' || code === 'ENOTDIR') throw folderError(`There is no folder at ${path}`)
    if (code === 'EACCES' || code === 'EPERM') throw folderError(`This app may not open ${path}`)
    throw folderError(`${path} cannot be opened (${code ?? 'unknown error'})`)
  }
  return real
}

/** The chosen folder a file belongs to: the innermost one that holds it. */
export function folderOf<F extends { path: string }>(file: string, folders: F[]): F | undefined {
  let best: F | undefined
  for (const folder of folders) {
    const inside =
      file === folder.path ||
      file.startsWith(folder.path.endsWith(sep) ? folder.path : folder.path + sep)
    if (inside && (!best || folder.path.length > best.path.length)) best = folder
  }
  return best
}

function folderError(message: string): AppError {
  return new AppError('BAD_INPUT', message, { fieldErrors: { path: message } })
}
