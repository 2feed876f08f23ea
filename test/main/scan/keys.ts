import { randomBytes } from 'node:crypto'

/**
 * Secret-shaped strings for scanner tests, made at run time so no key-shaped literal sits in the
 * repository. `vectaraKey` has the shape of Vectara's keys (38 base64url characters, which may
 * hold `_` and `-`); `sandboxKey` the Sandbox's (40 base62 characters).
 */
export function vectaraKey(prefix: 'zut_' | 'zqt_' | 'zwt_' = 'zqt_', body = 38): string {
  let text = ''
  while (text.length < body) text += randomBytes(48).toString('base64url')
  // Put both punctuation characters inside, as real keys have them.
  const chars = [...text.slice(0, body)]
  chars[5] = '_'
  chars[17] = '-'
  return prefix + chars.join('')
}

export function sandboxKey(prefix: 'zut_' | 'zqt_' | 'zwt_' = 'zqt_', body = 40): string {
  let text = ''
  while (text.length < body) text += randomBytes(64).toString('base64').replace(/[+/=]/g, '')
  return prefix + text.slice(0, body)
}
