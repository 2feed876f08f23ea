import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createAppCore,
  resolveDbPath,
  resolveKeychainService,
  type AppCore
} from '../../../src/main/core'
import { createLogger } from '../../../src/main/log'
import { MemorySecretStore } from '../../../src/main/secrets/memorySecretStore'
import { runtimeProblem } from '../../../src/main/runtimeGuard'
import { latestSchemaVersion } from '../../../src/main/db/migrations'

let core: AppCore | undefined
afterEach(async () => {
  await core?.close()
  core = undefined
})

describe('createAppCore + app.status', () => {
  it('answers app.status end to end through the router', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vkm-core-'))
    core = await createAppCore({
      runtime: 'harness',
      appVersion: '3.1.4',
      dataDir,
      secrets: new MemorySecretStore()
    })
    const result = await core.router.invoke('app.status', undefined)
    expect(result).toEqual({
      ok: true,
      value: {
        appVersion: '3.1.4',
        platform: process.platform,
        runtime: 'harness',
        keychain: { available: true, backend: 'memory' },
        database: { path: join(dataDir, 'vkm.db'), schemaVersion: latestSchemaVersion() }
      }
    })
  })

  it('reports an unavailable keychain with the reason, without failing the call', async () => {
    const secrets = new MemorySecretStore()
    secrets.unavailable = true
    core = await createAppCore({
      runtime: 'harness',
      appVersion: '1',
      dataDir: mkdtempSync(join(tmpdir(), 'vkm-core-')),
      secrets
    })
    const result = await core.router.invoke('app.status', undefined)
    expect(result).toMatchObject({
      ok: true,
      value: { keychain: { available: false, problem: expect.any(String) } }
    })
  })

  it('says when the database was recovered from an unreadable file, and logs it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'vkm-core-'))
    writeFileSync(join(dataDir, 'vkm.db'), 'garbage'.repeat(50))
    const lines: string[] = []
    core = await createAppCore({
      runtime: 'harness',
      appVersion: '1',
      dataDir,
      secrets: new MemorySecretStore(),
      logger: createLogger((l) => lines.push(l))
    })
    const result = await core.router.invoke('app.status', undefined)
    expect(result).toMatchObject({
      ok: true,
      value: { database: { recoveredFrom: expect.stringContaining('unreadable') } }
    })
    expect(lines.join('\n')).toMatch(/moved aside/)
  })
})

describe('configuration from the environment', () => {
  it('lets tests override the database path and keychain service', () => {
    expect(resolveDbPath('/data', {})).toBe('/data/vkm.db')
    expect(resolveDbPath('/data', { VKM_DB_PATH: '/tmp/t.db' })).toBe('/tmp/t.db')
    expect(resolveKeychainService({})).toBe('vectara-key-manager')
    expect(resolveKeychainService({ VKM_KEYCHAIN_SERVICE: 'vectara-key-manager-test' })).toBe(
      'vectara-key-manager-test'
    )
  })
})

describe('runtime guard', () => {
  it('refuses Node-API below 10 with a message that says what to install', () => {
    const problem = runtimeProblem({ napi: '9', node: '20.20.2' })
    expect(problem).toMatch(/Node-API 10/)
    expect(problem).toMatch(/20\.20\.2/)
    expect(problem).toMatch(/Node\.js 24/)
    expect(runtimeProblem({ napi: undefined, node: '18.0.0' })).not.toBeNull()
  })

  it('accepts Node-API 10 and newer', () => {
    expect(runtimeProblem({ napi: '10', node: '22.14.0' })).toBeNull()
    expect(runtimeProblem({ napi: '10', node: '24.1.0' })).toBeNull()
    expect(runtimeProblem()).toBeNull()
  })
})

describe('logger', () => {
  it('redacts anything shaped like a Vectara secret or bearer token', () => {
    const lines: string[] = []
    const log = createLogger((l) => lines.push(l), 'debug')
    log.error(
      'request failed for zqt_abcdefghijklmnopqrstuvwxyz',
      new Error('Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.x.y')
    )
    log.info('zut_0123456789abcdef and zwt_ABCDEFGHIJKLMNOP')
    const text = lines.join('\n')
    expect(text).not.toMatch(/zqt_abcdefghij|zut_0123456789|zwt_ABCDEFGH|eyJhbGci/)
    expect(text).toContain('zqt_[redacted]')
    expect(text).toContain('Bearer [redacted]')
  })

  it('drops messages below the chosen level', () => {
    const lines: string[] = []
    const log = createLogger((l) => lines.push(l), 'warn')
    log.info('quiet')
    log.warn('loud')
    expect(lines).toHaveLength(1)
  })
})
