import { createHash } from 'node:crypto'

/**
 * What the app keeps of a found secret: its SHA-256 in hex. A Vectara secret carries 28 random
 * bytes, so the hash cannot be turned back into it; equal secrets give equal fingerprints, which
 * is all that matching a finding to a known key, and "Ignore", need.
 */
export function secretFingerprint(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex')
}
