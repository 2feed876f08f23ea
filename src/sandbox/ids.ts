import { randomBytes } from 'node:crypto'

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'
/** 62 * 4 = 248: bytes at or above it are rejected so every character is equally likely. */
const UNBIASED_LIMIT = 248

/** Uniformly random base62 text from the OS CSPRNG. */
export function randomBase62(length: number): string {
  let out = ''
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte >= UNBIASED_LIMIT) continue
      out += BASE62[byte % 62]
      if (out.length === length) break
    }
  }
  return out
}

export type KeyRole = 'personal' | 'serving' | 'serving_and_indexing'

/**
 * Vectara documents each key kind's prefix, so clients may rely on it
 * (docs/vectara-api.md#key-kinds-prefixes-and-roles).
 */
export const SECRET_PREFIX: Record<KeyRole, string> = {
  personal: 'zut_',
  serving: 'zqt_',
  serving_and_indexing: 'zwt_'
}

/** Vectara publishes no length or alphabet; ours (docs/vectara-api.md#key-secrets-and-ids). */
const SECRET_BODY_LENGTH = 40

export const newSecret = (role: KeyRole): string =>
  SECRET_PREFIX[role] + randomBase62(SECRET_BODY_LENGTH)
export const newApiKeyId = (): string => `aky_${randomBase62(12)}`
export const newQueryHistoryId = (): string => `qry_${randomBase62(16)}`
export const newAccessToken = (): string => randomBase62(48)
export const newClientId = (): string => `app_${randomBase62(10)}`
export const newClientSecret = (): string => randomBase62(40)

/** The shape a caller-supplied personal key must have to be usable as `x-api-key`. */
export const PERSONAL_KEY_PATTERN = /^zut_[A-Za-z0-9_-]{8,200}$/
