export const DEFAULT_BASE_URL = 'https://api.vectara.io'
export const DEFAULT_TOKEN_URL = 'https://auth.vectara.io/oauth2/token'

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]'])

/**
 * Main refuses plain-http addresses except loopback; saying so before the round trip lets the
 * user fix the field without waiting for a check that cannot pass.
 */
export function checkServiceUrl(value: string): string | null {
  let url: URL
  try {
    url = new URL(value.trim())
  } catch {
    return 'Enter a full address, like https://api.vectara.io'
  }
  if (url.protocol === 'https:') return null
  if (url.protocol === 'http:' && loopbackHosts.has(url.hostname)) return null
  return 'Use https:// (plain http is allowed only for 127.0.0.1 and localhost)'
}
