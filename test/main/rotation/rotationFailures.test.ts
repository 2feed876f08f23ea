import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Rotation } from '@shared/contract/rotations'
import { keySecretEntry } from '../../../src/main/secrets/secretStore'
import { step, TestApp } from './helpers'

/**
 * Every step's failure and retry, against the real Sandbox with faults injected in front of it:
 * a failed step says why and runs again on Retry, and nothing that succeeded happens twice.
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

const TWIN = 'website-search twin'

async function start(disableOld: Rotation['disableOld'] = 'on_confirm') {
  const key = (await app.keyNamed('website-search'))!
  return app.call('rotations.start', {
    accountId: 'sandbox',
    keyId: key.id,
    newName: TWIN,
    corpusKeys: ['product-faq'],
    disableOld,
    deleteOld: 'after_1d'
  })
}

describe('step 1, create the new key', () => {
  it('an answer lost on the way back: Retry finds the key by its planned name, never a second twin', async () => {
    app.faults.add({ method: 'POST', path: /^\/v2\/api_keys$/, fault: 'lost' })
    const run = await start()
    const create = step(run.rotation, 'create')
    expect(create).toMatchObject({ state: 'failed', error: { code: 'NETWORK_ERROR' } })
    expect(run.rotation.newKey.id).toBeNull()
    // Vectara did make it:
    expect(await app.keysAtVectaraNamed(TWIN)).toBe(1)

    const retried = await app.call('rotations.retry', { id: run.rotation.id })
    expect(step(retried.rotation, 'create')).toMatchObject({ state: 'done', attempts: 2 })
    expect(retried.rotation.newKey.id).toMatch(/^aky_/)
    expect(await app.keysAtVectaraNamed(TWIN)).toBe(1)
    expect(await app.secrets.get(keySecretEntry('sandbox', retried.rotation.newKey.id!))).toMatch(
      /^zqt_/
    )
  })

  it('the app closed while creating: shown as failed at the next start; Retry adopts the key', async () => {
    const run = await start()
    const id = run.rotation.id
    // What the table holds if the app stopped after Vectara made the key, before its id was
    // written: create running, unsure, no id.
    const row = app.core.db.prepare('SELECT steps FROM rotations WHERE id = ?').get(id) as {
      steps: string
    }
    const steps = JSON.parse(row.steps)
    steps.create = {
      state: 'running',
      startedAt: steps.create.startedAt,
      attempts: 1,
      unsure: true
    }
    steps.swap = { state: 'pending', attempts: 0 }
    steps.verify = { state: 'pending', attempts: 0 }
    steps.disable = { state: 'pending', attempts: 0 }
    await app.core.services.rotations.stop()
    app.core.db
      .prepare('UPDATE rotations SET steps = ?, new_key_id = NULL WHERE id = ?')
      .run(JSON.stringify(steps), id)

    await app.restart()
    await app.core.services.rotations.runDue()
    const resumed = await app.rotation(id)
    expect(step(resumed, 'create')).toMatchObject({ state: 'failed', error: { code: 'CANCELLED' } })
    expect(step(resumed, 'create').error!.message).toMatch(
      /closed while the new key was being created/
    )

    const retried = await app.call('rotations.retry', { id })
    expect(retried.rotation.newKey.id).toBe(run.rotation.newKey.id)
    expect(step(retried.rotation, 'create').state).toBe('done')
    expect(await app.keysAtVectaraNamed(TWIN)).toBe(1)
  })

  it('the network down: nothing was made, and Retry makes exactly one', async () => {
    app.faults.add({ method: 'POST', path: /^\/v2\/api_keys$/, fault: 'network' })
    const run = await start()
    expect(step(run.rotation, 'create').error?.code).toBe('NETWORK_ERROR')
    expect(step(run.rotation, 'create').error?.message).toMatch(/could not reach/i)
    await app.call('rotations.retry', { id: run.rotation.id })
    expect(await app.keysAtVectaraNamed(TWIN)).toBe(1)
  })

  it.each([
    [429, 'API_RATE_LIMITED'],
    [503, 'API_SERVER_ERROR'],
    [500, 'API_SERVER_ERROR']
  ])('Vectara answers %i: the reason is shown, Retry makes exactly one', async (status, code) => {
    app.faults.add({ method: 'POST', path: /^\/v2\/api_keys$/, fault: status })
    const run = await start()
    expect(step(run.rotation, 'create')).toMatchObject({ state: 'failed', error: { code } })
    expect(step(run.rotation, 'verify').state).toBe('pending')
    const retried = await app.call('rotations.retry', { id: run.rotation.id })
    expect(step(retried.rotation, 'create').state).toBe('done')
    expect(await app.keysAtVectaraNamed(TWIN)).toBe(1)
  })

  it('the keychain refuses the secret: handed over once, the step fails; Retry keeps it, no new key', async () => {
    app.secrets.unavailable = true
    const run = await start()
    expect(run.oneTimeSecret).toMatch(/^zqt_/)
    expect(run.keychainProblem).toBeTruthy()
    expect(step(run.rotation, 'create')).toMatchObject({
      state: 'failed',
      error: { code: 'KEYCHAIN_UNAVAILABLE' }
    })
    expect(run.rotation.newKey.secretStored).toBe(false)
    expect(step(run.rotation, 'verify').state).toBe('pending')
    // Never in SQLite, the one-time secret included.
    const dump = JSON.stringify(app.core.db.prepare('SELECT * FROM rotations').all())
    expect(dump).not.toContain(run.oneTimeSecret!)

    app.secrets.unavailable = false
    const retried = await app.call('rotations.retry', { id: run.rotation.id })
    expect(retried.oneTimeSecret).toBeUndefined()
    expect(step(retried.rotation, 'create').state).toBe('done')
    expect(await app.secrets.get(keySecretEntry('sandbox', retried.rotation.newKey.id!))).toBe(
      run.oneTimeSecret
    )
    expect(await app.keysAtVectaraNamed(TWIN)).toBe(1)
  })

  it('Retry refuses when no step has failed', async () => {
    const run = await start()
    const error = await app.failure('rotations.retry', { id: run.rotation.id })
    expect(error.message).toMatch(/No step/)
  })
})

describe('step 3, verify the new key', () => {
  it('probes until the limit, fails with the last reason, and Retry probes again', async () => {
    const newKeyQueries = {
      method: 'POST',
      path: /\/query$/,
      times: Infinity,
      fault: 'network' as const
    }
    app.faults.add(newKeyQueries)
    const run = await start()
    const id = run.rotation.id
    await app.core.services.rotations.runDue()
    expect(step(await app.rotation(id), 'verify').state).toBe('running')
    app.clock.advance(2 * 60_000)
    await app.core.services.rotations.runDue()
    expect(step(await app.rotation(id), 'verify').state).toBe('running')
    app.clock.advance(3 * 60_000)
    await app.core.services.rotations.runDue()
    const failed = step(await app.rotation(id), 'verify')
    expect(failed).toMatchObject({ state: 'failed', error: { code: 'NETWORK_ERROR' } })
    expect(failed.error!.message).toMatch(/did not serve within 5 minutes/)
    // The old key stays as it was while the new one is not known to serve.
    expect(step(await app.rotation(id), 'disable').state).toBe('pending')

    app.faults.clear()
    const retried = await app.call('rotations.retry', { id })
    expect(step(retried.rotation, 'verify')).toMatchObject({
      state: 'done',
      outcome: 'confirmed',
      attempts: 2
    })
  })
})

describe('step 4, disable the old key', () => {
  it('a 5xx on disable is shown; Retry disables once', async () => {
    app.faults.add({ method: 'PATCH', path: /^\/v2\/api_keys\//, fault: 503 })
    const run = await start('now')
    const failed = await app.stepReaches(run.rotation.id, 'disable', 'failed')
    expect(failed.error?.code).toBe('API_SERVER_ERROR')
    expect((await app.keyNamed('website-search'))!.enabled).toBe(true)

    await app.call('rotations.retry', { id: run.rotation.id })
    await app.stepReaches(run.rotation.id, 'disable', 'done')
    expect((await app.keyNamed('website-search'))!.enabled).toBe(false)
    const patches = app.faults.seen.filter((r) => r.method === 'PATCH')
    expect(patches).toHaveLength(2)
  })

  it('an old key still served 5 minutes later fails the step; Retry watches again until blocked', async () => {
    app.core.sandbox.setPropagationMs(60 * 60_000)
    const run = await start('now')
    await app.stepReaches(run.rotation.id, 'disable', 'running')
    // Vectara accepted the disable; the block has not reached queries yet.
    await new Promise((resolve) => setTimeout(resolve, 1_500))
    expect(step(await app.rotation(run.rotation.id), 'disable').state).toBe('running')
    app.clock.advance(6 * 60_000)
    const failed = await app.stepReaches(run.rotation.id, 'disable', 'failed')
    expect(failed.error?.message).toMatch(/still accepted the old key/)

    app.core.sandbox.setPropagationMs(0)
    await app.call('rotations.retry', { id: run.rotation.id })
    const done = await app.stepReaches(run.rotation.id, 'disable', 'done')
    expect(done.outcome).toBe('confirmed')
    // Vectara was asked to disable once: the retry only watched again.
    expect(app.faults.seen.filter((r) => r.method === 'PATCH')).toHaveLength(1)
  })
})

describe('step 5, delete the old key', () => {
  it('a failed delete is shown; Retry deletes', async () => {
    const run = await start('now')
    await app.stepReaches(run.rotation.id, 'disable', 'done')
    app.clock.advance(25 * 60 * 60_000)
    await app.core.services.rotations.runDue()
    app.faults.add({ method: 'DELETE', path: /^\/v2\/api_keys\//, fault: 'network' })
    const failed = await app.call('rotations.confirmDelete', {
      id: run.rotation.id,
      keyName: 'website-search'
    })
    expect(step(failed, 'delete')).toMatchObject({
      state: 'failed',
      error: { code: 'NETWORK_ERROR' }
    })
    expect(await app.keyNamed('website-search')).toBeDefined()
    const retried = await app.call('rotations.retry', { id: run.rotation.id })
    expect(step(retried.rotation, 'delete').state).toBe('done')
    expect(retried.rotation.status).toBe('finished')
    expect(await app.keysAtVectaraNamed('website-search')).toBe(0)
  })
})
