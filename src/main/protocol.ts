import { extname, normalize, relative, resolve, sep } from 'node:path'
import { APP_HOST, APP_SCHEME, CONTENT_SECURITY_POLICY } from './security'

const MIME_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2'
}

export const privilegedAppScheme = {
  scheme: APP_SCHEME,
  // codeCache: V8 keeps the renderer's compiled code between starts (Chromium does this only
  // for http(s) unless a custom scheme asks), so from the second start on the first key list
  // is drawn by compiled code instead of code parsed and compiled on the spot.
  privileges: {
    standard: true,
    secure: true,
    supportFetchAPI: true,
    corsEnabled: false,
    codeCache: true
  }
}

/**
 * Maps `app://vkm/<path>` to a file under `rootDir`. Returns null for another host, or for any
 * path that would escape the folder (`..`, encoded separators, absolute paths).
 */
export function resolveAppFile(rawUrl: string, rootDir: string): string | null {
  let url: URL
  try {
    url = new URL(rawUrl)
  } catch {
    return null
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null
  let pathname: string
  try {
    pathname = decodeURIComponent(url.pathname)
  } catch {
    return null
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null
  // Refuse traversal outright rather than clamping it: no legitimate asset path contains `..`.
  if (pathname.split('/').includes('..')) return null
  const wanted = pathname === '/' || pathname === '' ? '/index.html' : pathname
  const root = resolve(rootDir)
  const file = resolve(root, '.' + normalize(wanted))
  const rel = relative(root, file)
  if (rel === '' || rel.startsWith('..') || rel.split(sep).includes('..')) return null
  return file
}

export function mimeTypeFor(file: string): string {
  return MIME_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
}

/** Headers every app:// response carries: the CSP again (belt and braces with the meta tag). */
export function responseHeadersFor(file: string): Record<string, string> {
  return {
    'content-type': mimeTypeFor(file),
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff'
  }
}
