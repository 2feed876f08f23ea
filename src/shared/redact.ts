import { prefixOfSecret, SECRET_PREFIXES } from './keyKinds'

/**
 * Defence in depth for logs and error messages: anything shaped like a Vectara secret
 * (zut_/zqt_/zwt_ followed by a long token) or a bearer token is replaced before text leaves
 * main. Code must still never pass a secret to a log on purpose.
 *
 * No word boundary before the prefix: in escaped text (JSON, a quoted snippet) a key typed after
 * a tab or newline reads `\tzqt_…` or `\u0001zqt_…`, where `\b` finds no boundary and would let
 * it through. Redacting a rare look-alike inside a longer word is the cheaper mistake.
 */
const SECRET_PATTERN = new RegExp(`(${SECRET_PREFIXES.join('|')})[A-Za-z0-9_-]{8,}`, 'g')
const BEARER_PATTERN = /(Bearer\s+)[A-Za-z0-9._~+/-]{8,}=*/gi

export function redactSecrets(text: string): string {
  return text.replace(SECRET_PATTERN, '$1[redacted]').replace(BEARER_PATTERN, '$1[redacted]')
}

/** `zqt_…Ab3d`: enough to recognise a key, useless to an attacker. */
export function maskSecret(secret: string): string {
  const prefix = prefixOfSecret(secret) ?? ''
  const last4 = secret.length >= 12 ? secret.slice(-4) : ''
  return `${prefix}…${last4}`
}
