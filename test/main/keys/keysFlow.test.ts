import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createAppCore, type AppCore } from '../../../src/main/core'
import { MemoryClipboard } from '../../../src/main/clipboard'
import { createLogger } from '../../../src/main/log'
import { MemorySecretStore } from '../../../src/main/secrets/memorySecretStore'
import { AuditTable } from '../../../src/main/db/tables/auditTable'
import type { CallInput, CallName, CallOutput } from '@shared/contract'
import type { AppErrorShape } from '@shared/errors'
import type { SandboxHandle } from '../../../src/sandbox'
import { sortByName } from '@shared/sortText'

let core: AppCore
let secrets: MemorySecretStore
let clipboard: MemoryClipboard
let dataDir: string
const logLines: string[] = []
let pushed: { name: string; payload: unknown }[] = []

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const result = await core.router.invoke(name, input)
  if (!result.ok) throw Object.assign(new Error(result.error.message), { shape: result.error })
  return result.value as CallOutput<N>
}

async function failure<N extends CallName>(name: N, input: CallInput<N>): Promise<AppErrorShape> {
  const result = await core.router.invoke(name, input)
  if (result.ok) throw new Error(`${name} was expected to fail`)
  return result.error
}

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'vkm-keys-'))
  secrets = new MemorySecretStore()
  clipboard = new MemoryClipboard()
  core = await createAppCore({
    runtime: 'harness',
    appVersion: 'test',
    dataDir,
    secrets,
    clipboard,
    sandboxPropagationMs: 0,
    logger: createLogger((line) => logLines.push(line), 'debug')
  })
  pushed = []
  core.events.subscribe((name, payload) => pushed.push({ name, payload }))
})

afterEach(async () => {
  await core.close()
})

describe('accounts', () => {
  it('creates the built-in Sandbox account on first run and opens it', async () => {
    const state = await call('accounts.list', undefined)
    expect(state.currentId).toBe('sandbox')
    expect(state.accounts).toEqual([
      expect.objectContaining({
        id: 'sandbox',
        name: 'Sandbox',
        authKind: 'sandbox',
        builtin: true
      })
    ])
    expect(state.accounts[0].baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
  })

  it('adds an account only after its credential lists keys, and keeps the credential in the keychain only', async () => {
    const personalKey = core.sandbox.endpoint()!.personalKey
    const account = await call('accounts.add', {
      name: 'Second',
      baseUrl: core.sandbox.url(),
      credential: { type: 'api_key', apiKey: personalKey }
    })
    expect(account).toMatchObject({ name: 'Second', authKind: 'api_key', builtin: false })
    expect(JSON.stringify(account)).not.toContain(personalKey)
    expect(await secrets.get(`profile:${account.id}`)).toBe(personalKey)
    const listed = await call('keys.refresh', { accountId: account.id })
    expect(listed.keys.length).toBeGreaterThan(0)
  })

  it('refuses a bad credential plainly and saves nothing', async () => {
    const error = await failure('accounts.add', {
      name: 'Bad',
      baseUrl: core.sandbox.url(),
      credential: { type: 'api_key', apiKey: 'zut_thisKeyDoesNotExist12345' }
    })
    expect(error.code).toBe('API_UNAUTHORIZED')
    expect(error.message).toMatch(/rejected this credential/)
    expect((await call('accounts.list', undefined)).accounts).toHaveLength(1)
    expect(await secrets.list()).toEqual([])
  })

  it('refuses a Query key as the admin credential (403) with a hint', async () => {
    const keys = await call('keys.refresh', { accountId: 'sandbox' })
    const created = await call('keys.create', {
      accountId: 'sandbox',
      name: 'not-admin',
      access: 'serving',
      corpusKeys: [keys.keys.find((k) => k.corpora.length)!.corpora[0]]
    })
    const querySecret = (
      await call('keys.revealSecret', { accountId: 'sandbox', keyId: created.key.id })
    ).secret
    const error = await failure('accounts.add', {
      name: 'Query key',
      baseUrl: core.sandbox.url(),
      credential: { type: 'api_key', apiKey: querySecret }
    })
    expect(error.code).toBe('API_FORBIDDEN')
    expect(error.message).toMatch(/Personal API key/)
  })

  it('rejects a non-https remote base URL as a field error', async () => {
    const error = await failure('accounts.add', {
      name: 'Plain http',
      baseUrl: 'http://api.example.com',
      credential: { type: 'api_key', apiKey: 'zut_abcdefghijkl' }
    })
    expect(error.code).toBe('BAD_INPUT')
    expect(error.fieldErrors?.baseUrl).toMatch(/https/)
  })

  it('accepts an OAuth client and removes every keychain entry of an account on remove', async () => {
    // The running Sandbox's handle carries its seeded OAuth app client.
    const oauth = (core.sandbox.endpoint() as SandboxHandle).oauthClient
    const account = await call('accounts.add', {
      name: 'OAuth',
      baseUrl: core.sandbox.url(),
      credential: {
        type: 'oauth',
        clientId: oauth.clientId,
        clientSecret: oauth.clientSecret,
        tokenUrl: `${core.sandbox.url()}/oauth2/token`
      }
    })
    expect(account).toMatchObject({ authKind: 'oauth', oauthClientId: oauth.clientId })
    await secrets.set(`key:${account.id}:aky_x`, 'zqt_keptSecretValue1234')
    await secrets.set('key:sandbox:aky_y', 'zqt_otherAccountSecret99')
    expect(await call('accounts.remove', { id: account.id })).toEqual({ removedSecrets: 2 })
    expect(await secrets.list()).toEqual(['key:sandbox:aky_y'])
    expect((await call('accounts.list', undefined)).accounts.map((a) => a.id)).toEqual(['sandbox'])
  })

  it('will not edit or remove the built-in account', async () => {
    expect((await failure('accounts.remove', { id: 'sandbox' })).code).toBe('BAD_INPUT')
    expect((await failure('accounts.update', { id: 'sandbox', name: 'x' })).code).toBe('BAD_INPUT')
  })
})

describe('keys', () => {
  it('lists the cache at once, then every page from the API with first-seen times', async () => {
    const cached = await call('keys.list', { accountId: 'sandbox' })
    expect(cached).toEqual({ accountId: 'sandbox', keys: [], syncedAt: null })
    const fresh = await call('keys.refresh', { accountId: 'sandbox' })
    expect(fresh.syncedAt).toEqual(expect.any(Number))
    expect(new Set(fresh.keys.map((k) => k.kind))).toEqual(new Set(['personal', 'query', 'index']))
    for (const key of fresh.keys) {
      expect(key.firstSeenAt).toBe(fresh.syncedAt)
      expect(key.lastUsedAt).toBeNull()
    }
    const again = await call('keys.list', { accountId: 'sandbox' })
    expect(again.keys.map((k) => k.id)).toEqual(fresh.keys.map((k) => k.id))
    // Sent in the list's default (name) order, so the renderer need not sort 10,000 rows.
    expect(again.keys.map((k) => k.id)).toEqual(sortByName(again.keys).map((k) => k.id))
  })

  it('creates a key, stores its secret in the keychain before answering, and never returns it', async () => {
    const { keys } = await call('keys.refresh', { accountId: 'sandbox' })
    const corpus = keys.flatMap((k) => k.corpora)[0]
    const result = await call('keys.create', {
      accountId: 'sandbox',
      name: 'website search',
      access: 'serving',
      corpusKeys: [corpus]
    })
    expect(result.secretStored).toBe(true)
    expect(result.oneTimeSecret).toBeUndefined()
    expect(result.key).toMatchObject({
      name: 'website search',
      kind: 'query',
      enabled: true,
      secretStored: true
    })
    expect(result.key.maskedSecret).toMatch(/^zqt_…\w{4}$/)
    const stored = await secrets.get(`key:sandbox:${result.key.id}`)
    expect(stored).toMatch(/^zqt_/)
    expect(JSON.stringify(result)).not.toContain(stored!)
  })

  it('hands the secret over once when the keychain write fails, so nothing is lost', async () => {
    const { keys } = await call('keys.refresh', { accountId: 'sandbox' })
    secrets.unavailable = true
    const result = await call('keys.create', {
      accountId: 'sandbox',
      name: 'no keychain',
      access: 'serving_and_indexing',
      corpusKeys: [keys.flatMap((k) => k.corpora)[0]]
    })
    expect(result.secretStored).toBe(false)
    expect(result.oneTimeSecret).toMatch(/^zwt_/)
    expect(result.keychainProblem).toMatch(/keychain/i)
  })

  it('shows API field errors by the form field name', async () => {
    const error = await failure('keys.create', {
      accountId: 'sandbox',
      name: 'bad corpus',
      access: 'serving',
      corpusKeys: ['no-such-corpus']
    })
    expect(error.code).toBe('API_BAD_REQUEST')
    expect(error.fieldErrors?.corpusKeys).toMatch(/no-such-corpus/)
  })

  it('disables with a probe that confirms the block, then enables and confirms serving', async () => {
    const { keys } = await call('keys.refresh', { accountId: 'sandbox' })
    const created = await call('keys.create', {
      accountId: 'sandbox',
      name: 'probe me',
      access: 'serving',
      corpusKeys: [keys.flatMap((k) => k.corpora)[0]]
    })
    const updates: unknown[] = []
    core.events.subscribe((name, payload) => name === 'propagation.update' && updates.push(payload))

    const disabled = await call('keys.setEnabled', {
      accountId: 'sandbox',
      keyId: created.key.id,
      enabled: false
    })
    expect(disabled.enabled).toBe(false)
    expect(disabled.propagation).toMatchObject({
      action: 'disable',
      mode: 'probing',
      state: 'pending'
    })
    await expect.poll(() => updates.length, { timeout: 10_000 }).toBe(1)
    expect(updates[0]).toMatchObject({
      keyId: created.key.id,
      propagation: { action: 'disable', state: 'confirmed', confirmedAt: expect.any(Number) }
    })

    const enabled = await call('keys.setEnabled', {
      accountId: 'sandbox',
      keyId: created.key.id,
      enabled: true
    })
    expect(enabled.propagation).toMatchObject({ action: 'enable', state: 'pending' })
    await expect.poll(() => updates.length, { timeout: 10_000 }).toBe(2)
    expect(updates[1]).toMatchObject({ propagation: { action: 'enable', state: 'confirmed' } })
    // Probes are the app checking, not use of the key.
    expect(
      (await call('keys.list', { accountId: 'sandbox' })).keys.find((k) => k.id === created.key.id)!
        .lastUsedAt
    ).toBeNull()
  })

  it('counts down when it holds no secret to probe with', async () => {
    const { keys } = await call('keys.refresh', { accountId: 'sandbox' })
    const target = keys.find((k) => k.kind === 'query' && !k.secretStored && k.enabled)!
    const row = await call('keys.setEnabled', {
      accountId: 'sandbox',
      keyId: target.id,
      enabled: false
    })
    expect(row.propagation).toMatchObject({ mode: 'countdown', state: 'pending' })
    expect(row.propagation!.expectedBy - row.propagation!.startedAt).toBe(60_000)
  })

  it('copies through main and clears the clipboard later; reveals for display; audits both', async () => {
    const { keys } = await call('keys.refresh', { accountId: 'sandbox' })
    const created = await call('keys.create', {
      accountId: 'sandbox',
      name: 'copy me',
      access: 'serving',
      corpusKeys: [keys.flatMap((k) => k.corpora)[0]]
    })
    const secret = (await secrets.get(`key:sandbox:${created.key.id}`))!
    expect(await call('keys.copySecret', { accountId: 'sandbox', keyId: created.key.id })).toEqual({
      clearsAfterMs: 30_000
    })
    expect(clipboard.readText()).toBe(secret)
    expect(
      await call('keys.revealSecret', { accountId: 'sandbox', keyId: created.key.id })
    ).toEqual({
      secret,
      hideAfterMs: 30_000
    })
    const audit = new AuditTable(core.db)
      .recent(10)
      .map((e) => `${e.action}:${e.outcome}:${e.keyId ?? ''}`)
    expect(audit).toEqual(
      expect.arrayContaining([
        `key.create:ok:${created.key.id}`,
        `key.copy:ok:${created.key.id}`,
        `key.reveal:ok:${created.key.id}`
      ])
    )
  })

  it('fetches a secret the app does not hold from the API, and keeps it in the keychain', async () => {
    const { keys } = await call('keys.refresh', { accountId: 'sandbox' })
    const target = keys.find((k) => !k.secretStored)!
    const { secret } = await call('keys.revealSecret', { accountId: 'sandbox', keyId: target.id })
    expect(secret).toMatch(/^z[uqw]t_/)
    expect(await secrets.get(`key:sandbox:${target.id}`)).toBe(secret)
    expect(
      (await call('keys.list', { accountId: 'sandbox' })).keys.find((k) => k.id === target.id)
    ).toMatchObject({
      secretStored: true
    })
  })

  it('stores a pasted secret, refusing one of the wrong kind', async () => {
    const { keys } = await call('keys.refresh', { accountId: 'sandbox' })
    const target = keys.find((k) => k.kind === 'query')!
    const wrong = await failure('keys.storeSecret', {
      accountId: 'sandbox',
      keyId: target.id,
      secret: 'zwt_indexKeySecret1234'
    })
    expect(wrong.fieldErrors?.secret).toMatch(/zqt_/)
    const row = await call('keys.storeSecret', {
      accountId: 'sandbox',
      keyId: target.id,
      secret: 'zqt_pastedSecretValue1234'
    })
    expect(row).toMatchObject({ secretStored: true, maskedSecret: 'zqt_…1234' })
  })

  it('deletes a key at Vectara, removes its keychain secret and its row', async () => {
    const { keys } = await call('keys.refresh', { accountId: 'sandbox' })
    const created = await call('keys.create', {
      accountId: 'sandbox',
      name: 'delete me',
      access: 'serving',
      corpusKeys: [keys.flatMap((k) => k.corpora)[0]]
    })
    await call('keys.delete', { accountId: 'sandbox', keyId: created.key.id })
    expect(await secrets.get(`key:sandbox:${created.key.id}`)).toBeNull()
    expect((await call('keys.list', { accountId: 'sandbox' })).keys.map((k) => k.id)).not.toContain(
      created.key.id
    )
    expect(
      (await call('keys.refresh', { accountId: 'sandbox' })).keys.map((k) => k.id)
    ).not.toContain(created.key.id)
  })

  it('keeps showing the cached list when the API is unreachable, and says so', async () => {
    const fresh = await call('keys.refresh', { accountId: 'sandbox' })
    await core.sandbox.stop()
    const error = await failure('keys.refresh', { accountId: 'sandbox' })
    expect(error.code).toBe('NETWORK_ERROR')
    expect((await call('keys.list', { accountId: 'sandbox' })).keys).toHaveLength(fresh.keys.length)
    await core.sandbox.start()
    expect((await call('keys.refresh', { accountId: 'sandbox' })).keys).toHaveLength(
      fresh.keys.length
    )
  })

  it('lists corpora for the picker', async () => {
    const { corpora } = await call('corpora.list', { accountId: 'sandbox' })
    expect(corpora.length).toBeGreaterThanOrEqual(3)
    expect(corpora[0]).toEqual(
      expect.objectContaining({ key: expect.any(String), name: expect.any(String) })
    )
  })

  it('lists the last known corpora when Vectara cannot be reached', async () => {
    const byKey = (list: { key: string }[]): string[] => list.map((c) => c.key).sort()
    const online = (await call('corpora.list', { accountId: 'sandbox' })).corpora
    await core.sandbox.stop()
    // The cache keeps them in name order, whatever order the API sent.
    const offline = (await call('corpora.list', { accountId: 'sandbox' })).corpora
    expect(byKey(offline)).toEqual(byKey(online))
    expect(offline).toEqual(expect.arrayContaining(online))
    await core.sandbox.start()
  })
})

describe('keys.changed', () => {
  const changes = (): number => pushed.filter((e) => e.name === 'keys.changed').length

  it('is pushed after every change to the list or a secret, so every view of the keys follows', async () => {
    const { keys } = await call('keys.refresh', { accountId: 'sandbox' })
    expect(changes()).toBe(0)
    const steps: [string, () => Promise<unknown>][] = []
    let keyId = ''
    steps.push([
      'create',
      async () => {
        keyId = (
          await call('keys.create', {
            accountId: 'sandbox',
            name: 'watched',
            access: 'serving',
            corpusKeys: [keys.flatMap((k) => k.corpora)[0]]
          })
        ).key.id
      }
    ])
    steps.push([
      'disable',
      () => call('keys.setEnabled', { accountId: 'sandbox', keyId, enabled: false })
    ])
    steps.push([
      'enable',
      () => call('keys.setEnabled', { accountId: 'sandbox', keyId, enabled: true })
    ])
    steps.push([
      'paste',
      () =>
        call('keys.storeSecret', {
          accountId: 'sandbox',
          keyId,
          secret: 'zqt_pastedSecretValue1234'
        })
    ])
    steps.push(['delete', () => call('keys.delete', { accountId: 'sandbox', keyId })])
    for (const [step, run] of steps) {
      const before = changes()
      await run()
      expect(changes(), step).toBe(before + 1)
      expect(pushed.at(-1), step).toEqual({
        name: 'keys.changed',
        payload: { accountId: 'sandbox' }
      })
    }
  })

  it('follows a reveal or fetch that brought a secret into the keychain, not one that was there', async () => {
    const { keys } = await call('keys.refresh', { accountId: 'sandbox' })
    const [first, second] = keys.filter((k) => !k.secretStored && k.kind !== 'personal')
    await call('keys.revealSecret', { accountId: 'sandbox', keyId: first.id })
    expect(changes()).toBe(1)
    await call('keys.revealSecret', { accountId: 'sandbox', keyId: first.id })
    expect(changes()).toBe(1)
    const row = await call('keys.fetchSecret', { accountId: 'sandbox', keyId: second.id })
    expect(row).toMatchObject({ id: second.id, secretStored: true })
    expect(JSON.stringify(row)).not.toMatch(/z[qwu]t_[A-Za-z0-9_-]{8,}/)
    expect(await secrets.get(`key:sandbox:${second.id}`)).toMatch(/^z[qw]t_/)
    expect(changes()).toBe(2)
    const audit = new AuditTable(core.db).recent(10).map((e) => `${e.action}:${e.outcome}`)
    expect(audit).toEqual(expect.arrayContaining(['key.fetchSecret:ok', 'key.reveal:ok']))
  })
})

describe('secrets stay out of SQLite and logs', () => {
  it('after a full round of actions, no secret appears in any database file or log line', async () => {
    const { keys } = await call('keys.refresh', { accountId: 'sandbox' })
    const created = await call('keys.create', {
      accountId: 'sandbox',
      name: 'scan me',
      access: 'serving',
      corpusKeys: [keys.flatMap((k) => k.corpora)[0]]
    })
    await call('keys.copySecret', { accountId: 'sandbox', keyId: created.key.id })
    await call('keys.setEnabled', { accountId: 'sandbox', keyId: created.key.id, enabled: false })
    const secret = (await secrets.get(`key:sandbox:${created.key.id}`))!
    const personalKey = core.sandbox.endpoint()!.personalKey
    core.db.pragma('wal_checkpoint(TRUNCATE)')
    const appFiles = readdirSync(dataDir).filter((f) => f.startsWith('vkm.db'))
    expect(appFiles.length).toBeGreaterThan(0)
    for (const file of appFiles) {
      const bytes = readFileSync(join(dataDir, file)).toString('latin1')
      expect(bytes).not.toContain(secret)
      expect(bytes).not.toContain(personalKey)
    }
    const log = logLines.join('\n')
    expect(log).not.toContain(secret)
    expect(log).not.toContain(personalKey)
  })
})

describe("the account's own credential", () => {
  it('is marked in the list, and main refuses to disable or delete it', async () => {
    const { keys } = await call('keys.refresh', { accountId: 'sandbox' })
    const own = keys.filter((k) => k.accountCredential)
    expect(own).toHaveLength(1)
    expect(own[0].kind).toBe('personal')
    const disable = await failure('keys.setEnabled', {
      accountId: 'sandbox',
      keyId: own[0].id,
      enabled: false
    })
    expect(disable.code).toBe('BAD_INPUT')
    expect(disable.message).toMatch(/lock the app out/)
    const remove = await failure('keys.delete', { accountId: 'sandbox', keyId: own[0].id })
    expect(remove.message).toMatch(/lock the app out/)
    // Nothing was sent: the key still works for the app.
    expect(
      (await call('keys.refresh', { accountId: 'sandbox' })).keys.find((k) => k.id === own[0].id)
        ?.enabled
    ).toBe(true)
  })
})
