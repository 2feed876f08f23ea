import type { SkipReason } from '@shared/contract/scan'

/** `12.3 MB` (`4 kB` below a megabyte); the scanner counts bytes, people read megabytes. */
export function formatMegabytes(bytes: number): string {
  if (bytes < 1_000_000) return `${Math.ceil(bytes / 1000).toLocaleString()} kB`
  const mb = bytes / 1_000_000
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb).toLocaleString()} MB`
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`
}

/** Why a file or folder was not read, in words. */
export const skipReasonLabels: Record<SkipReason, string> = {
  unreadable: 'could not be read',
  vanished: 'gone before it was read',
  special: 'not a regular file (pipe, socket or device)',
  symlink: 'symbolic link, not followed',
  tooLarge: 'over 10 MB',
  loop: 'folder reached twice'
}
