import { describe, expect, it } from 'vitest'
import { MemorySecretStore } from '../../../src/main/secrets/memorySecretStore'
import { keySecretEntry, credentialEntry } from '../../../src/main/secrets/secretStore'

describe('MemorySecretStore', () => {
  it('behaves like a keychain', async () => {
    const store = new MemorySecretStore()
    await store.set(credentialEntry('p'), 'zut_x')
    await store.set(keySecretEntry('p', 'aky_1'), 'zqt_y')
    expect(await store.get('profile:p')).toBe('zut_x')
    expect(await store.list()).toEqual(['profile:p', 'key:p:aky_1'])
    expect(await store.delete('profile:p')).toBe(true)
    expect(await store.get('profile:p')).toBeNull()
  })

  it('fails like an unavailable keychain when switched off', async () => {
    const store = new MemorySecretStore()
    store.unavailable = true
    await expect(store.set('profile:p', 'x')).rejects.toMatchObject({
      code: 'KEYCHAIN_UNAVAILABLE'
    })
    expect(await store.isAvailable()).toBe(false)
  })
})
