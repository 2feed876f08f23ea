import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Rotation } from '@shared/contract/rotations'
import { keySecretEntry } from '../../../src/main/secrets/secretStore'
import { DAY, HOUR, step, TestApp } from './helpers'

/**
 * The rotation step machine against the real services and the embedded Sandbox, through the
 * router as the renderer calls it. The clock is fake: hours and days pass when a test says so.
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

async function startRotation(
  keyName: string,
  choices: Partial<{
    disableOld: Rotation['disableOld']
    deleteOld: Rotation['deleteOld']
    newName: string
    corpusKeys: string[]
  }> = {}
): Promise<Rotation> {
  const key = (await app.keyNamed(keyName))!
  const plan = await app.call('rotations.plan', { accountId: 'sandbox', keyId: key.id })
  const run = await app.call('rotations.start', {
    accountId: 'sandbox',
    keyId: key.id,
    newName: choices.newName ?? plan.defaultNewName,
    corpusKeys: choices.corpusKeys ?? plan.oldKey.corpora,
    disableOld: choices.disableOld ?? 'on_confirm',
    deleteOld: choices.deleteOld ?? 'after_7d'
  })
  return run.rotation
}

async function queryStatus(secret: string): Promise<number> {
  const response = await fetch(`${app.core.sandbox.url()}/v2/corpora/product-faq/query`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': secret },
    body: JSON.stringify({ query: 'refunds', search: { limit: 1 } })
  })
  await response.body?.cancel()
  return response.status
}

describe('the plan', () => {
  it('describes the old key and names the twin "<name> (rotated YYYY-MM-DD)", from the cache', async () => {
    const key = (await app.keyNamed('website-search'))!
    const plan = await app.call('rotations.plan', { accountId: 'sandbox', keyId: key.id })
    expect(plan).toMatchObject({
      oldKey: { name: 'website-search', kind: 'query', corpora: ['product-faq'], enabled: true },
      defaultNewName: 'website-search (rotated 2026-06-01)',
      files: { scanned: false, locations: [] },
      activeRotationId: null
    })
    expect(plan.refusal).toBeUndefined()
  })

  it('knows the app signs in with the Sandbox admin key', async () => {
    const admin = (await app.keyNamed('Sandbox admin (personal)'))!
    const plan = await app.call('rotations.plan', { accountId: 'sandbox', keyId: admin.id })
    expect(plan.oldKey).toMatchObject({ kind: 'personal', accountCredential: true, corpora: [] })
  })

  it('refuses a name another key has, a Personal key with corpora, a Query key without', async () => {
    const key = (await app.keyNamed('website-search'))!
    const base = { accountId: 'sandbox', keyId: key.id, corpusKeys: ['product-faq'] }
    const taken = await app.failure('rotations.start', { ...base, newName: 'handbook-assistant' })
    expect(taken.fieldErrors?.newName).toMatch(/exists already/)
    const none = await app.failure('rotations.start', { ...base, newName: 'x', corpusKeys: [] })
    expect(none.fieldErrors?.corpusKeys).toMatch(/at least one corpus/)
    const admin = (await app.keyNamed('Sandbox admin (personal)'))!
    const personal = await app.failure('rotations.start', {
      ...base,
      keyId: admin.id,
      newName: 'admin 2'
    })
    expect(personal.fieldErrors?.corpusKeys).toMatch(/no corpora/)
    expect((await app.call('rotations.list', { accountId: 'sandbox' })).rotations).toEqual([])
  })
})

describe('a rotation from start to end', () => {
  it('with "Now": twin, serving, old key blocked; delete asks after the grace period, then deletes', async () => {
    const old = (await app.keyNamed('website-search'))!
    const oldSecret = (await app.call('keys.revealSecret', { accountId: 'sandbox', keyId: old.id }))
      .secret
    expect(await queryStatus(oldSecret)).toBe(200)
    let rotation = await startRotation('website-search', {
      disableOld: 'now',
      deleteOld: 'after_1d'
    })
    expect(step(rotation, 'create').state).toBe('done')
    const newId = rotation.newKey.id!
    expect(rotation.newKey).toMatchObject({
      name: 'website-search (rotated 2026-06-01)',
      corpora: ['product-faq'],
      secretStored: true
    })
    // The twin's secret is in the keychain, and only there.
    const newSecret = await app.secrets.get(keySecretEntry('sandbox', newId))
    expect(newSecret).toMatch(/^zqt_/)

    const verify = await app.stepReaches(rotation.id, 'verify', 'done')
    expect(verify).toMatchObject({ outcome: 'confirmed', doneAt: app.clock.now() })
    const disable = await app.stepReaches(rotation.id, 'disable', 'done')
    expect(disable.outcome).toBe('confirmed')
    expect((await app.keyNamed('website-search'))!.enabled).toBe(false)
    rotation = await app.rotation(rotation.id)
    expect(step(rotation, 'swap').state).toBe('done')
    expect(step(rotation, 'delete')).toMatchObject({
      state: 'waiting',
      waitingFor: 'time',
      dueAt: disable.doneAt! + DAY
    })

    // At Vectara (the Sandbox), as any client sees it: the new key serves, the old one is refused.
    expect(await queryStatus(newSecret!)).toBe(200)
    expect(await queryStatus(oldSecret)).toBe(401)

    app.clock.advance(DAY - 1000)
    await app.core.services.rotations.runDue()
    expect(step(await app.rotation(rotation.id), 'delete').waitingFor).toBe('time')
    expect(app.desktop.notifications).toEqual([])

    app.clock.advance(2000)
    await app.core.services.rotations.runDue()
    expect(step(await app.rotation(rotation.id), 'delete')).toMatchObject({
      state: 'waiting',
      waitingFor: 'confirm'
    })
    expect(app.desktop.notifications).toEqual([
      expect.objectContaining({ title: 'Ready to delete website-search' })
    ])
    // Asked once: the timer running again does not repeat the notification.
    await app.core.services.rotations.runDue()
    expect(app.desktop.notifications).toHaveLength(1)

    const wrong = await app.failure('rotations.confirmDelete', {
      id: rotation.id,
      keyName: 'website'
    })
    expect(wrong.message).toMatch(/website-search/)
    rotation = await app.call('rotations.confirmDelete', {
      id: rotation.id,
      keyName: 'website-search'
    })
    expect(step(rotation, 'delete').state).toBe('done')
    expect(rotation.status).toBe('finished')
    expect(await app.keyNamed('website-search')).toBeUndefined()
    expect(await app.keysAtVectaraNamed('website-search')).toBe(0)
    expect(await app.secrets.get(keySecretEntry('sandbox', old.id))).toBeNull()

    const actions = app.audit().map((a) => `${a.action}:${a.outcome}`)
    for (const action of [
      'rotation.start',
      'rotation.create',
      'rotation.verify',
      'rotation.disable',
      'rotation.delete',
      'rotation.finish'
    ])
      expect(actions).toContain(`${action}:ok`)
    // The key actions underneath are audited as such too.
    expect(actions).toEqual(expect.arrayContaining(['key.create:ok', 'key.disable:ok']))
  })

  it('"When I confirm" waits for the user, across a restart, then disables', async () => {
    const rotation = await startRotation('support-console')
    await app.stepReaches(rotation.id, 'verify', 'done')
    const waiting = step(await app.rotation(rotation.id), 'disable')
    expect(waiting).toMatchObject({ state: 'waiting', waitingFor: 'confirm' })
    app.clock.advance(30 * DAY)
    await app.core.services.rotations.runDue()
    expect(step(await app.rotation(rotation.id), 'disable').state).toBe('waiting')
    expect((await app.keyNamed('support-console'))!.enabled).toBe(true)

    await app.restart()
    const resumed = await app.rotation(rotation.id)
    expect(resumed.steps.map((s) => [s.name, s.state])).toEqual([
      ['create', 'done'],
      ['swap', 'waiting'],
      ['verify', 'done'],
      ['disable', 'waiting'],
      ['delete', 'pending']
    ])
    await app.call('rotations.confirmSwap', { id: rotation.id })
    await app.call('rotations.confirmDisable', { id: rotation.id })
    await app.stepReaches(rotation.id, 'disable', 'done')
    expect((await app.keyNamed('support-console'))!.enabled).toBe(false)
  })

  it('"In 1 hour" keeps the old key enabled until the hour has passed', async () => {
    const rotation = await startRotation('handbook-assistant', { disableOld: 'in_1h' })
    await app.stepReaches(rotation.id, 'verify', 'done')
    expect(step(await app.rotation(rotation.id), 'disable')).toMatchObject({
      state: 'waiting',
      waitingFor: 'time',
      dueAt: rotation.startedAt + HOUR
    })
    app.clock.advance(HOUR - 60_000)
    await app.core.services.rotations.runDue()
    expect((await app.keyNamed('handbook-assistant'))!.enabled).toBe(true)
    app.clock.advance(2 * 60_000)
    await app.stepReaches(rotation.id, 'disable', 'done')
    expect((await app.keyNamed('handbook-assistant'))!.enabled).toBe(false)
  })

  it('"In 24 hours" can be brought forward: Disable now', async () => {
    const rotation = await startRotation('support-console', { disableOld: 'in_24h' })
    await app.stepReaches(rotation.id, 'verify', 'done')
    expect(step(await app.rotation(rotation.id), 'disable').waitingFor).toBe('time')
    await app.call('rotations.confirmDisable', { id: rotation.id })
    await app.stepReaches(rotation.id, 'disable', 'done')
    expect((await app.keyNamed('support-console'))!.enabled).toBe(false)
  })

  it('a step whose time passed while the app was closed runs at the next start', async () => {
    const rotation = await startRotation('handbook-assistant', { disableOld: 'in_1h' })
    await app.stepReaches(rotation.id, 'verify', 'done')
    await app.core.close()
    app.clock.advance(2 * HOUR)
    await app.open()
    await app.stepReaches(rotation.id, 'disable', 'done')
    expect((await app.keyNamed('handbook-assistant'))!.enabled).toBe(false)
  })

  it('a grace period that ended while the app was closed asks at the next start, and never deletes on its own', async () => {
    const rotation = await startRotation('website-search', { disableOld: 'now' })
    await app.stepReaches(rotation.id, 'disable', 'done')
    await app.core.close()
    app.clock.advance(8 * DAY)
    await app.open()
    await app.core.services.rotations.runDue()
    expect(step(await app.rotation(rotation.id), 'delete')).toMatchObject({
      state: 'waiting',
      waitingFor: 'confirm'
    })
    expect(app.desktop.notifications.map((n) => n.title)).toEqual([
      'Ready to delete website-search'
    ])
    app.clock.advance(30 * DAY)
    await app.core.services.rotations.runDue()
    expect(await app.keyNamed('website-search')).toBeDefined()
  })

  it('"Never" keeps the old key: the rotation finishes once it is blocked', async () => {
    const rotation = await startRotation('website-search', {
      disableOld: 'now',
      deleteOld: 'never'
    })
    expect(step(rotation, 'delete').state).toBe('skipped')
    await app.stepReaches(rotation.id, 'disable', 'done')
    expect((await app.rotation(rotation.id)).status).toBe('finished')
    expect(await app.keyNamed('website-search')).toBeDefined()
  })

  it('changes the corpora: the twin gets the corpora chosen in the plan', async () => {
    const rotation = await startRotation('website-search', {
      corpusKeys: ['product-faq', 'release-notes']
    })
    const twin = (await app.call('keys.list', { accountId: 'sandbox' })).keys.find(
      (k) => k.id === rotation.newKey.id
    )!
    expect(twin.corpora.sort()).toEqual(['product-faq', 'release-notes'])
    expect(twin.kind).toBe('query')
  })

  it('can be cancelled before the old key is disabled; not after', async () => {
    const first = await startRotation('support-console')
    const cancelled = await app.call('rotations.cancel', { id: first.id })
    expect(cancelled.status).toBe('cancelled')
    expect((await app.keyNamed('support-console'))!.enabled).toBe(true)

    const second = await startRotation('website-search', { disableOld: 'now' })
    await app.stepReaches(second.id, 'disable', 'done')
    const refused = await app.failure('rotations.cancel', { id: second.id })
    expect(refused.message).toMatch(/disabled already/)
  })
})

describe('an Index key that only queries, rotated to a Query key', () => {
  it('offers Query beside Index in the plan, creates a Query key, and probes it with a query', async () => {
    const key = (await app.keyNamed('release-notes-indexer'))!
    const plan = await app.call('rotations.plan', { accountId: 'sandbox', keyId: key.id })
    expect(plan.newKinds).toEqual(['index', 'query'])
    const run = await app.call('rotations.start', {
      accountId: 'sandbox',
      keyId: key.id,
      newName: 'release-notes-reader',
      corpusKeys: plan.oldKey.corpora,
      newKind: 'query'
    })
    expect(run.rotation.oldKey.kind).toBe('index')
    expect(run.rotation.newKey.kind).toBe('query')
    const list = await app.call('keys.refresh', { accountId: 'sandbox' })
    const twin = list.keys.find((k) => k.id === run.rotation.newKey.id)!
    expect(twin).toMatchObject({ name: 'release-notes-reader', kind: 'query' })
    expect(twin.maskedSecret).toMatch(/^zqt_/)
    await app.call('rotations.confirmSwap', { id: run.rotation.id })
    const verified = await app.stepReaches(run.rotation.id, 'verify', 'done')
    expect(verified.outcome).toBe('confirmed')
    // The choice survives a restart with the rest of the plan.
    await app.restart()
    expect((await app.rotation(run.rotation.id)).newKey.kind).toBe('query')
  })

  it('refuses to change any other kind', async () => {
    for (const [name, newKind] of [
      ['website-search', 'index'],
      ['release-notes-indexer', 'personal']
    ] as const) {
      const key = (await app.keyNamed(name))!
      const plan = await app.call('rotations.plan', { accountId: 'sandbox', keyId: key.id })
      const refused = await app.failure('rotations.start', {
        accountId: 'sandbox',
        keyId: key.id,
        newName: `${name} changed`,
        corpusKeys: plan.oldKey.corpora,
        newKind
      })
      expect(refused.code).toBe('BAD_INPUT')
      expect(refused.fieldErrors?.newKind).toMatch(/only an Index key may become a Query key/)
    }
    const website = (await app.keyNamed('website-search'))!
    const plan = await app.call('rotations.plan', { accountId: 'sandbox', keyId: website.id })
    expect(plan.newKinds).toEqual(['query'])
    expect(await app.keysAtVectaraNamed('website-search changed')).toBe(0)
  })
})

describe('plans that grow (issue 13: expiry)', () => {
  it('keeps extra plan fields in `extras` and hands them to the hooks once the new key exists', async () => {
    await app.close()
    const seen: unknown[] = []
    app = new TestApp({ rotationHooks: { twinCreated: (event) => void seen.push(event) } })
    await app.open()
    await app.call('keys.refresh', { accountId: 'sandbox' })
    const key = (await app.keyNamed('website-search'))!
    // What the start call passes once another feature adds a field to its schema.
    const run = await app.core.services.rotations.start({
      accountId: 'sandbox',
      keyId: key.id,
      newName: 'website-search expiring',
      corpusKeys: ['product-faq'],
      disableOld: 'on_confirm',
      deleteOld: 'never',
      newKeyExpiresAt: Date.UTC(2026, 8, 1)
    } as Parameters<typeof app.core.services.rotations.start>[0])
    expect(run.rotation.extras).toEqual({ newKeyExpiresAt: Date.UTC(2026, 8, 1) })
    expect(seen).toEqual([
      {
        rotationId: run.rotation.id,
        accountId: 'sandbox',
        oldKeyId: key.id,
        newKeyId: run.rotation.newKey.id,
        extras: { newKeyExpiresAt: Date.UTC(2026, 8, 1) }
      }
    ])
    await app.restart()
    expect((await app.rotation(run.rotation.id)).extras).toEqual({
      newKeyExpiresAt: Date.UTC(2026, 8, 1)
    })
  })
})

describe('one rotation per key', () => {
  it('refuses a second rotation of the same key and a rotation of a twin in progress', async () => {
    const rotation = await startRotation('website-search')
    const key = (await app.keyNamed('website-search'))!
    const plan = await app.call('rotations.plan', { accountId: 'sandbox', keyId: key.id })
    expect(plan.activeRotationId).toBe(rotation.id)
    expect(plan.refusal).toMatch(/already being rotated/)
    const again = await app.failure('rotations.start', {
      accountId: 'sandbox',
      keyId: key.id,
      newName: 'website-search second twin',
      corpusKeys: ['product-faq']
    })
    expect(again.code).toBe('CONFLICT')

    const twinPlan = await app.call('rotations.plan', {
      accountId: 'sandbox',
      keyId: rotation.newKey.id!
    })
    expect(twinPlan.refusal).toMatch(/new key of a rotation in progress/)
    expect(await app.keysAtVectaraNamed('website-search second twin')).toBe(0)
  })

  it('rotates the same key again once the first rotation has ended', async () => {
    const first = await startRotation('website-search')
    await app.call('rotations.cancel', { id: first.id })
    const second = await startRotation('website-search', { newName: 'website-search v3' })
    expect(step(second, 'create').state).toBe('done')
  })
})
