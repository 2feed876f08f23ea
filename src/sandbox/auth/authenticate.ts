import type { IncomingHttpHeaders } from 'node:http'
import type { SandboxStore } from '../store/openStore'
import type { ApiKeyRecord } from '../store/apiKeysTable'
import { unauthorized } from '../http/errors'
import { principalForKey, type Principal } from './principal'

export interface Propagation {
  now(): number
  delayMs(): number
}

/**
 * What requests see of a key right now. A change to `enabled` reaches request handling only
 * after the propagation delay (Vectara: about a minute to block, a couple of minutes to
 * re-enable; docs/vectara-api.md#propagation-delays); until then requests see the state from
 * before the change.
 */
export function effectiveEnabled(key: ApiKeyRecord, propagation: Propagation): boolean {
  const settled = propagation.now() - key.enabledChangedAt >= propagation.delayMs()
  return settled ? key.enabled : key.enabledBeforeChange
}

export function keyAuthenticates(key: ApiKeyRecord, propagation: Propagation): boolean {
  if (key.deletedAt !== null && propagation.now() - key.deletedAt >= propagation.delayMs())
    return false
  return effectiveEnabled(key, propagation)
}

const header = (headers: IncomingHttpHeaders, name: string): string | undefined => {
  const value = headers[name]
  return Array.isArray(value) ? value[0] : value
}

/**
 * `x-api-key` first, then `Authorization: Bearer`. A `customer-id` header (sent by v1-era
 * clients) is ignored, as v2 does. Messages never echo the credential.
 */
export function authenticate(
  headers: IncomingHttpHeaders,
  store: SandboxStore,
  propagation: Propagation
): Principal {
  const apiKey = header(headers, 'x-api-key')?.trim()
  if (apiKey) {
    const key = apiKey.length <= 256 ? store.apiKeys.bySecret(apiKey) : undefined
    if (!key) throw unauthorized('The API key is not valid. Check the x-api-key header.')
    if (!keyAuthenticates(key, propagation)) {
      throw unauthorized(
        key.deletedAt !== null ? 'The API key has been deleted.' : 'The API key is disabled.'
      )
    }
    return principalForKey(key)
  }
  const authorization = header(headers, 'authorization')?.trim()
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization)
    if (!match)
      throw unauthorized('Unsupported Authorization header; send "Bearer <access token>".')
    const clientId =
      match[1].length <= 512 ? store.oauth.tokenClient(match[1], propagation.now()) : undefined
    if (!clientId)
      throw unauthorized('The access token is invalid or has expired. Request a new one.')
    return { kind: 'account', via: 'oauth' }
  }
  throw unauthorized(
    'Missing credentials: send an x-api-key header or an Authorization: Bearer token.'
  )
}
