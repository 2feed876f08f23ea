import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { KeytarSecretStore, type KeytarLike } from '../../../src/main/secrets/keytarSecretStore'
import { AppError } from '@shared/errors'
import { requirePrerequisite } from '../../fixtures/prerequisites'

const ROOT = join(import.meta.dirname, '../../..')

async function errorOf(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(AppError)
    return error as AppError
  }
  throw new Error('expected the call to fail')
}

describe('KeytarSecretStore with a keychain that hangs or is missing', () => {
  const hung: KeytarLike = {
    getPassword: () => new Promise(() => {}),
    setPassword: () => new Promise(() => {}),
    deletePassword: () => new Promise(() => {}),
    findCredentials: () => new Promise(() => {})
  }

  it('fails every call with KEYCHAIN_TIMEOUT after the timeout instead of hanging', async () => {
    const store = new KeytarSecretStore({
      service: 'svc',
      timeoutMs: 40,
      loadKeytar: async () => hung
    })
    for (const call of [
      store.get('a'),
      store.set('a', 'zqt_secret_value_123456'),
      store.delete('a'),
      store.list()
    ]) {
      const error = await errorOf(call)
      expect(error.code).toBe('KEYCHAIN_TIMEOUT')
      expect(error.message).not.toContain('zqt_')
    }
    expect(await store.isAvailable()).toBe(false)
  })

  it('uses a 5 second timeout by default', async () => {
    const { DEFAULT_KEYCHAIN_TIMEOUT_MS } =
      await import('../../../src/main/secrets/keytarSecretStore')
    expect(DEFAULT_KEYCHAIN_TIMEOUT_MS).toBe(5000)
  })

  it('reports KEYCHAIN_UNAVAILABLE when the native module cannot load, and retries loading later', async () => {
    let attempts = 0
    const store = new KeytarSecretStore({
      service: 'svc',
      loadKeytar: async () => {
        attempts++
        throw new Error('no native module')
      }
    })
    expect((await errorOf(store.get('a'))).code).toBe('KEYCHAIN_UNAVAILABLE')
    expect((await errorOf(store.get('a'))).code).toBe('KEYCHAIN_UNAVAILABLE')
    expect(attempts).toBe(2)
  })

  it('turns keytar errors into KEYCHAIN_UNAVAILABLE with a setup hint', async () => {
    const failing: KeytarLike = {
      ...hung,
      setPassword: async () => {
        throw new Error('The name org.freedesktop.secrets was not provided by any .service files')
      }
    }
    const store = new KeytarSecretStore({ service: 'svc', loadKeytar: async () => failing })
    const error = await errorOf(store.set('profile:x', 'zut_abcdefghijklmnopqrstuvwxyz'))
    expect(error.code).toBe('KEYCHAIN_UNAVAILABLE')
    expect(error.message).toMatch(/org\.freedesktop\.secrets/)
    expect(error.message).not.toContain('zut_abcdefghijklmnopqrstuvwxyz')
  })

  it('lists account names only, never the secrets findCredentials returns', async () => {
    const fake: KeytarLike = {
      ...hung,
      findCredentials: async () => [
        { account: 'profile:b', password: 'zut_b_secret_value_123' },
        { account: 'key:b:aky_1', password: 'zqt_a_secret_value_456' }
      ]
    }
    const store = new KeytarSecretStore({ service: 'svc', loadKeytar: async () => fake })
    const names = await store.list()
    expect(names).toEqual(['key:b:aky_1', 'profile:b'])
    expect(JSON.stringify(names)).not.toContain('secret_value')
  })
})

describe('KeytarSecretStore against a process with no Secret Service', () => {
  it('fails with a typed KEYCHAIN_* error quickly, never silently succeeding', () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/vkm-bus',
      DISPLAY: ''
    }
    delete env.WAYLAND_DISPLAY
    const started = Date.now()
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'test/fixtures/keychainProbe.ts'], {
      cwd: ROOT,
      env,
      encoding: 'utf8',
      timeout: 30_000
    })
    expect(run.status, run.stderr).toBe(0)
    const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as Record<string, unknown>
    expect(result.set).toMatch(/^KEYCHAIN_(UNAVAILABLE|TIMEOUT)$/)
    expect(result.get).toMatch(/^KEYCHAIN_(UNAVAILABLE|TIMEOUT)$/)
    expect(typeof result.available).toBe('string')
    expect(result.available).toMatch(/Secret Service|keychain/i)
    expect(Date.now() - started).toBeLessThan(25_000)
  })
})

// The real Secret Service: `npm test` runs this file inside a private D-Bus session with an
// unlocked gnome-keyring on a fresh data dir (never the user's login keyring).
const service = `vectara-key-manager-test-${randomUUID()}`
const real = new KeytarSecretStore({ service })
const problem = await real.checkAvailable()
const haveSecretService = requirePrerequisite(
  problem === null,
  `a reachable Secret Service (${problem ?? ''})`,
  'Run the tests through `npm test`, which starts a private gnome-keyring session.'
)

describe.runIf(haveSecretService)('KeytarSecretStore against a real Secret Service', () => {
  afterAll(async () => {
    for (const account of await real.list()) await real.delete(account)
  })

  it('stores, reads, lists and deletes secrets under its own service name', async () => {
    const secret = `zqt_${randomUUID().replace(/-/g, '')}`
    await real.set('key:p1:aky_1', secret)
    await real.set('profile:p1', 'zut_profile_secret_value_0001')
    expect(await real.get('key:p1:aky_1')).toBe(secret)
    expect(await real.list()).toEqual(['key:p1:aky_1', 'profile:p1'])
    expect(await real.delete('key:p1:aky_1')).toBe(true)
    expect(await real.delete('key:p1:aky_1')).toBe(false)
    expect(await real.get('key:p1:aky_1')).toBeNull()
    expect(await real.list()).toEqual(['profile:p1'])
  })

  it('overwrites a secret in place', async () => {
    await real.set('profile:p2', 'zut_first_value_00000001')
    await real.set('profile:p2', 'zut_second_value_0000002')
    expect(await real.get('profile:p2')).toBe('zut_second_value_0000002')
  })

  it('does not see secrets of another service name', async () => {
    const other = new KeytarSecretStore({ service: `${service}-other` })
    await other.set('profile:p3', 'zut_other_service_value_1')
    try {
      expect(await real.get('profile:p3')).toBeNull()
    } finally {
      await other.delete('profile:p3')
    }
  })

  it('reports itself available', async () => {
    expect(await real.isAvailable()).toBe(true)
  })
})
