import { redactSecrets } from '../../redact'

/**
 * Redacts every string inside a JSON value before it is written as code. Redacting the finished
 * snippet is not enough on its own: once quoted, a key typed after a tab or a newline reads
 * `\tzqt_…` or `\nzqt_…`, where no word boundary precedes the prefix and the pattern misses it.
 */
export function redactStrings<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T
  if (Array.isArray(value)) return value.map((item) => redactStrings(item)) as T
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [redactSecrets(name), redactStrings(item)])
    ) as T
  }
  return value
}
