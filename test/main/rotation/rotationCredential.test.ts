import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '@shared/errors'
import { credentialEntry, keySecretEntry } from '../../../src/main/secrets/secretStore'
import { step, TestApp } from './helpers'

/**
 * Rotating the key the app itself signs in with: the new Personal key must list keys, the
 * account switches to it, and only then is the old one disabled. Any failure on the way leaves
 * the account working with the old credential.
 */
let app: TestApp

beforeEach(async () => {
  app = new TestApp()
  await app.open()
  await app.call('keys.refresh', { accountId: 'sandbox' })
})

afterEach(async () => {
  await app.close()
})

const ADMIN = 'Sandbox admin (personal)'

async function rotateAdmin(accountId = 'sandbox') {
  const list = await app.call('keys.refresh', { accountId })
  const admin = list.keys.find((k) => k.accountCredential)!
  const plan = await app.call('rotations.plan', { accountId, keyId: admin.id })
  expect(plan.oldKey.accountCredential).toBe(true)
  return app.call('rotations.start', {
    accountId,
    keyId: admin.id,
    newName: plan.defaultNewName,
    corpusKeys: [],
    disableOld: 'now',
    deleteOld: 'after_1d'
  })
}

/** A second account on the same Sandbox that signs in with a Personal key of its own. */
async function addOpsAccount() {
  const made = await app.call('keys.create', {
    accountId: 'sandbox',
    name: 'ops personal',
    access: 'personal'
  })
  const opsSecret = (
    await app.call('keys.revealSecret', { accountId: 'sandbox', keyId: made.key.id })
  ).secret
  const account = await app.call('accounts.add', {
    name: 'Ops',
    baseUrl: app.core.sandbox.url(),
    credential: { type: 'api_key', apiKey: opsSecret }
  })
  return { account, opsSecret }
}

describe("the app's own key", () => {
  it('Sandbox account: new Personal key, checked, signed in with, then the old one blocked', async () => {
    const oldSecret = app.core.sandbox.endpoint()!.personalKey
    const run = await rotateAdmin()
    expect(run.rotation.steps.map((s) => s.name)).toEqual([
      'create',
      'swap',
      'verify',
      'switchCredential',
      'disable',
      'delete'
    ])
    await app.stepReaches(run.rotation.id, 'switchCredential', 'done')
    const newSecret = await app.secrets.get(keySecretEntry('sandbox', run.rotation.newKey.id!))
    expect(newSecret).toMatch(/^zut_/)
    expect(app.core.sandbox.endpoint()!.personalKey).toBe(newSecret)
    const disable = await app.stepReaches(run.rotation.id, 'disable', 'done')
    expect(disable.outcome).toBe('confirmed')

    // The account works with the new key; the list marks it as the app's key now.
    const list = await app.call('keys.refresh', { accountId: 'sandbox' })
    expect(list.keys.find((k) => k.accountCredential)?.id).toBe(run.rotation.newKey.id)
    expect(list.keys.find((k) => k.name === ADMIN)?.enabled).toBe(false)
    const oldAnswer = await fetch(`${app.core.sandbox.url()}/v2/api_keys?limit=1`, {
      headers: { 'x-api-key': oldSecret }
    })
    expect(oldAnswer.status).toBe(401)

    // A restart keeps signing in with the new key, and no second admin key appears.
    await app.restart()
    const after = await app.call('keys.refresh', { accountId: 'sandbox' })
    expect(app.core.sandbox.endpoint()!.personalKey).toBe(newSecret)
    expect(after.keys.filter((k) => k.kind === 'personal')).toHaveLength(2)
    expect(after.keys.find((k) => k.accountCredential)?.id).toBe(run.rotation.newKey.id)
  })

  it('a new key that may not list keys: the switch fails, the old credential keeps working', async () => {
    const oldSecret = app.core.sandbox.endpoint()!.personalKey
    // The verify probe gets through; the check before the switch is refused.
    app.faults.add({
      method: 'GET',
      path: /^\/v2\/api_keys$/,
      fault: 403,
      skip: 1,
      apiKey: (key) => key !== null && key !== oldSecret
    })
    const run = await rotateAdmin()
    const failed = await app.stepReaches(run.rotation.id, 'switchCredential', 'failed')
    expect(failed.error?.code).toBe('API_FORBIDDEN')
    expect(failed.error?.message).toMatch(/keeps signing in with the old one/)
    expect(app.core.sandbox.endpoint()!.personalKey).toBe(oldSecret)
    expect(step(await app.rotation(run.rotation.id), 'disable').state).toBe('pending')
    const list = await app.call('keys.refresh', { accountId: 'sandbox' })
    expect(list.keys.find((k) => k.name === ADMIN)).toMatchObject({
      enabled: true,
      accountCredential: true
    })

    const retried = await app.call('rotations.retry', { id: run.rotation.id })
    expect(step(retried.rotation, 'switchCredential').state).toBe('done')
    await app.stepReaches(run.rotation.id, 'disable', 'done')
  })

  it('an account with a Personal key in the keychain: the keychain entry switches', async () => {
    const adminSecret = app.core.sandbox.endpoint()!.personalKey
    const { account, opsSecret } = await addOpsAccount()
    expect(opsSecret).not.toBe(adminSecret)

    const run = await rotateAdmin(account.id)
    expect(run.rotation.oldKey.name).toBe('ops personal')
    await app.stepReaches(run.rotation.id, 'disable', 'done', account.id)
    const stored = await app.secrets.get(credentialEntry(account.id))
    expect(stored).toBe(await app.secrets.get(keySecretEntry(account.id, run.rotation.newKey.id!)))
    expect(stored).not.toBe(opsSecret)
    const list = await app.call('keys.refresh', { accountId: account.id })
    expect(list.keys.find((k) => k.name === 'ops personal')?.enabled).toBe(false)
    expect(list.keys.find((k) => k.accountCredential)?.id).toBe(run.rotation.newKey.id)
  })

  it('the keychain fails at the switch: nothing changes, the old credential keeps working', async () => {
    const { account, opsSecret } = await addOpsAccount()
    await app.call('keys.refresh', { accountId: account.id })
    const secrets = app.secrets
    const realSet = secrets.set.bind(secrets)
    // Key secrets are kept; the account's credential entry is refused.
    secrets.set = async (entry, secret) => {
      if (entry === credentialEntry(account.id))
        throw new AppError('KEYCHAIN_UNAVAILABLE', 'The keychain is locked (test).')
      return realSet(entry, secret)
    }
    const run = await rotateAdmin(account.id)
    const failed = await app.stepReaches(run.rotation.id, 'switchCredential', 'failed', account.id)
    expect(failed.error).toMatchObject({ code: 'KEYCHAIN_UNAVAILABLE' })
    expect(await secrets.get(credentialEntry(account.id))).toBe(opsSecret)
    const list = await app.call('keys.refresh', { accountId: account.id })
    expect(list.keys.find((k) => k.name === 'ops personal')).toMatchObject({
      enabled: true,
      accountCredential: true
    })
  })
})

describe('Personal keys', () => {
  it('"Create key" makes a Personal key with no corpora, its secret in the keychain', async () => {
    const made = await app.call('keys.create', {
      accountId: 'sandbox',
      name: 'my personal key',
      access: 'personal'
    })
    expect(made.key).toMatchObject({ kind: 'personal', corpora: [] })
    expect(made.secretStored).toBe(true)
    const withCorpora = await app.failure('keys.create', {
      accountId: 'sandbox',
      name: 'x',
      access: 'personal',
      corpusKeys: ['product-faq']
    })
    expect(withCorpora.fieldErrors?.corpusKeys).toMatch(/no corpora/)
  })

  it('a credential that may not create one: the 403 is explained in words', async () => {
    const sandboxUrl = app.core.sandbox.url()
    const adminSecret = app.core.sandbox.endpoint()!.personalKey
    const viewer = (await (
      await fetch(`${sandboxUrl}/v2/api_keys`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': adminSecret },
        body: JSON.stringify({ name: 'viewer', api_key_role: 'personal', api_roles: ['viewer'] })
      })
    ).json()) as { secret_key: string }
    const account = await app.call('accounts.add', {
      name: 'Viewer',
      baseUrl: sandboxUrl,
      credential: { type: 'api_key', apiKey: viewer.secret_key }
    })
    const refused = await app.failure('keys.create', {
      accountId: account.id,
      name: 'mine',
      access: 'personal'
    })
    expect(refused.code).toBe('API_FORBIDDEN')
    expect(refused.message).toMatch(/refused to create a Personal key/)
    expect(refused.message).toMatch(/only allow reading/)
  })
})
