/**
 * Security policy in one place, as pure functions, so each rule has a unit test and no rule
 * depends on Electron being present.
 */

/** The production renderer is served from this origin (see protocol.ts), never from file://. */
export const APP_SCHEME = 'app'
export const APP_HOST = 'vkm'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`

/**
 * The renderer makes no network request of its own: everything goes through main. `style-src`
 * allows no inline styles either; components set styles through the CSSOM, which CSP permits.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'"
].join('; ')

/**
 * Only our own window's top frame may call main. `trustedOrigins` holds the app:// origin and,
 * in development only, the dev server's origin.
 */
export function isTrustedSenderUrl(
  raw: string | undefined,
  trustedOrigins: readonly string[]
): boolean {
  if (!raw) return false
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return false
  }
  // app:// is registered as a standard scheme, so URL gives it a real origin.
  const origin = url.protocol === `${APP_SCHEME}:` ? `${url.protocol}//${url.host}` : url.origin
  return trustedOrigins.includes(origin)
}

/** Navigation away from the app is never allowed; in-page (hash) navigation does not fire this. */
export function shouldBlockNavigation(_targetUrl: string): boolean {
  return true
}
