import { VectaraError } from './errors'

/**
 * Where the client may send credentials. A key or client secret must never travel in clear text
 * over a network, so only https is accepted, except for this machine (the embedded Sandbox and
 * local test servers), which is reachable over plain http only through the loopback interface.
 */
export function checkServiceUrl(raw: string, what: string): URL {
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new VectaraError('BAD_INPUT', `The ${what} is not a valid URL.`)
  }
  const shown = `${url.protocol}//${url.host}`
  if (url.username || url.password) {
    // Never echo the URL here: its user-info part is a credential.
    throw new VectaraError('BAD_INPUT', `The ${what} must not contain a user name or password.`)
  }
  if (url.search || url.hash) {
    throw new VectaraError('BAD_INPUT', `The ${what} must not have a query string or fragment.`)
  }
  if (url.protocol === 'https:') return url
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return url
  if (url.protocol === 'http:') {
    throw new VectaraError(
      'BAD_INPUT',
      `The ${what} ${shown} uses plain http. Use https; http is allowed only for this computer (localhost, 127.0.0.1, ::1).`
    )
  }
  throw new VectaraError('BAD_INPUT', `The ${what} must be an https URL (got ${url.protocol}).`)
}

/** 127.0.0.0/8, ::1 and localhost. `URL` has already normalised numeric and bracketed forms. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase()
  if (host === 'localhost' || host === '[::1]' || host === '::1') return true
  const octets = host.split('.')
  return (
    octets.length === 4 &&
    octets[0] === '127' &&
    octets.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255)
  )
}

/**
 * One path segment, percent-encoded. `.` and `..` are refused: URL parsers resolve them (even
 * as %2E), so `DELETE …/documents/..` would really be `DELETE /v2/corpora/{key}`.
 */
export function pathSegment(value: string, what: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new VectaraError('BAD_INPUT', `The ${what} is empty.`)
  }
  if (value === '.' || value === '..') {
    throw new VectaraError('BAD_INPUT', `The ${what} "${value}" cannot be addressed in a URL.`)
  }
  return encodeURIComponent(value)
}

export type QueryValue = string | number | boolean | undefined

/** base + path (+ query), keeping any path prefix the base URL has (e.g. behind a proxy). */
export function buildUrl(base: URL, path: string, query: Record<string, QueryValue> = {}): URL {
  const url = new URL(base.href.replace(/\/+$/, '') + path)
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined) url.searchParams.set(name, String(value))
  }
  return url
}
