import type { Bridge, CallInput, CallOutput, EventPayload } from '@shared/contract'
import type { KeyList, KeyRow } from '@shared/contract/keys'
import { call, getBridge } from './bridge'

export type CreateKeyInput = CallInput<'keys.create'>
export type CreateKeyResult = CallOutput<'keys.create'>
export type PropagationUpdate = EventPayload<'propagation.update'>

export interface KeysClient {
  list(accountId: string): Promise<KeyList>
  refresh(accountId: string): Promise<KeyList>
  create(input: CreateKeyInput): Promise<CreateKeyResult>
  setEnabled(accountId: string, keyId: string, enabled: boolean): Promise<KeyRow>
  delete(accountId: string, keyId: string): Promise<{ keyId: string }>
  copySecret(accountId: string, keyId: string): Promise<{ clearsAfterMs: number }>
  revealSecret(accountId: string, keyId: string): Promise<{ secret: string; hideAfterMs: number }>
  storeSecret(accountId: string, keyId: string, secret: string): Promise<KeyRow>
  /** Main fetches the secret from Vectara into the keychain; only the row comes back. */
  fetchSecret(accountId: string, keyId: string): Promise<KeyRow>
  onPropagation(listener: (update: PropagationUpdate) => void): () => void
  onChanged(listener: (event: { accountId: string }) => void): () => void
}

export function createKeysClient(bridge: Bridge = getBridge()): KeysClient {
  return {
    list: (accountId) => call(bridge, 'keys.list', { accountId }),
    refresh: (accountId) => call(bridge, 'keys.refresh', { accountId }),
    create: (input) => call(bridge, 'keys.create', input),
    setEnabled: (accountId, keyId, enabled) =>
      call(bridge, 'keys.setEnabled', { accountId, keyId, enabled }),
    delete: (accountId, keyId) => call(bridge, 'keys.delete', { accountId, keyId }),
    copySecret: (accountId, keyId) => call(bridge, 'keys.copySecret', { accountId, keyId }),
    revealSecret: (accountId, keyId) => call(bridge, 'keys.revealSecret', { accountId, keyId }),
    storeSecret: (accountId, keyId, secret) =>
      call(bridge, 'keys.storeSecret', { accountId, keyId, secret }),
    fetchSecret: (accountId, keyId) => call(bridge, 'keys.fetchSecret', { accountId, keyId }),
    onPropagation: (listener) => bridge.on('propagation.update', listener),
    onChanged: (listener) => bridge.on('keys.changed', listener)
  }
}
