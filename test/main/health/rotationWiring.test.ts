import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RotationStart } from '@shared/contract/rotations'
import { DAY, TestApp } from '../rotation/helpers'

/**
 * Health and rotation wired in the real core: the Rotate dialog's expiry reaches the new key,
 * a bad one is refused before anything is created, and a rotation that needs the user is a
 * finding whose fix opens it.
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

async function plan(name: string, extra: Partial<RotationStart> = {}): Promise<RotationStart> {
  const key = (await app.keyNamed(name))!
  return {
    accountId: 'sandbox',
    keyId: key.id,
    newName: `${name} next`,
    corpusKeys: ['product-faq'],
    disableOld: 'on_confirm',
    deleteOld: 'never',
    ...extra
  }
}

async function rotationFindings() {
  const report = await app.call('health.findings', { accountId: 'sandbox' })
  return report.findings.filter((f) => f.rule === 'rotationWaiting')
}

describe("the Rotate dialog's expiry", () => {
  it('is set on the new key once Vectara has created it, with "Disable at expiry"', async () => {
    const expiresAt = app.clock.now() + 90 * DAY
    const run = await app.call(
      'rotations.start',
      await plan('website-search', { expiresAt, disableAtExpiry: true })
    )
    const list = await app.call('keys.list', { accountId: 'sandbox' })
    const twin = list.keys.find((k) => k.id === run.rotation.newKey.id)!
    expect(twin.expiry).toEqual({ at: expiresAt, disableAtExpiry: true })
    // The old key keeps its own (none).
    expect(list.keys.find((k) => k.name === 'website-search')!.expiry).toBeUndefined()
    expect(app.audit().some((e) => e.action === 'key.setExpiry' && e.keyId === twin.id)).toBe(true)
  })

  it('without a date leaves the new key without one', async () => {
    const run = await app.call('rotations.start', await plan('website-search'))
    const list = await app.call('keys.list', { accountId: 'sandbox' })
    expect(list.keys.find((k) => k.id === run.rotation.newKey.id)!.expiry).toBeUndefined()
  })

  it('in the past is refused before any key is created', async () => {
    const refused = await app.failure(
      'rotations.start',
      await plan('website-search', { expiresAt: app.clock.now() - DAY })
    )
    expect(refused.code).toBe('BAD_INPUT')
    expect(refused.fieldErrors?.expiresAt).toMatch(/future/)
    expect((await app.call('rotations.list', { accountId: 'sandbox' })).rotations).toEqual([])
    expect(await app.keysAtVectaraNamed('website-search next')).toBe(0)
  })

  it('with "Disable at expiry" is refused for the key the app will sign in with', async () => {
    const list = await app.call('keys.list', { accountId: 'sandbox' })
    const admin = list.keys.find((k) => k.accountCredential)!
    const refused = await app.failure('rotations.start', {
      accountId: 'sandbox',
      keyId: admin.id,
      newName: 'admin next',
      corpusKeys: [],
      expiresAt: app.clock.now() + 30 * DAY,
      disableAtExpiry: true
    })
    expect(refused.fieldErrors?.disableAtExpiry).toMatch(/sign in/)
    expect((await app.call('rotations.list', { accountId: 'sandbox' })).rotations).toEqual([])
  })
})

describe('a rotation waiting for the user, in Health', () => {
  it('is a finding while a step waits for a confirmation, whose fix opens that rotation', async () => {
    const run = await app.call('rotations.start', await plan('website-search'))
    const waiting = await rotationFindings()
    expect(waiting).toHaveLength(1)
    expect(waiting[0]).toMatchObject({
      keyName: 'website-search',
      title: 'Rotation waiting for you to put the new key where the old one is used',
      fixes: [{ action: 'openRotation', rotationId: run.rotation.id }]
    })

    await app.call('rotations.confirmSwap', { id: run.rotation.id })
    await app.stepReaches(run.rotation.id, 'disable', 'waiting')
    const next = await rotationFindings()
    expect(next.map((f) => f.title)).toEqual([
      'Rotation waiting for your confirmation to disable the old key'
    ])

    await app.call('rotations.cancel', { id: run.rotation.id })
    expect(await rotationFindings()).toEqual([])
  })

  it('is not a finding while its steps wait only for time', async () => {
    const run = await app.call(
      'rotations.start',
      await plan('website-search', { disableOld: 'in_24h' })
    )
    await app.call('rotations.confirmSwap', { id: run.rotation.id })
    await app.stepReaches(run.rotation.id, 'disable', 'waiting')
    expect(await rotationFindings()).toEqual([])
  })
})
