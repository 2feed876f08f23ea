import { afterEach, describe, expect, it } from 'vitest'
import { AuditTable } from '../../../src/main/db/tables/auditTable'
import { DAY, startHealthApp, syncSandbox, type HealthApp } from './healthApp'

let app: HealthApp | undefined
afterEach(async () => {
  await app?.core.close()
  app = undefined
})

async function setUp(): Promise<{ app: HealthApp; siteId: string }> {
  app = await startHealthApp()
  const ids = await syncSandbox(app)
  return { app, siteId: ids.get('website-search')! }
}

describe('expiry.set', () => {
  it('keeps a date on the key, shows it in the key list, and audits it', async () => {
    const { app, siteId } = await setUp()
    const at = app.now() + 30 * DAY
    const row = await app.call('expiry.set', {
      accountId: 'sandbox',
      keyId: siteId,
      expiresAt: at,
      disableAtExpiry: true
    })
    expect(row).toMatchObject({ id: siteId, expiry: { at, disableAtExpiry: true } })
    const listed = (await app.call('keys.list', { accountId: 'sandbox' })).keys.find(
      (k) => k.id === siteId
    )
    expect(listed!.expiry).toEqual({ at, disableAtExpiry: true })
    expect(new AuditTable(app.core.db).recent(1)[0]).toMatchObject({
      action: 'key.setExpiry',
      keyId: siteId,
      detail: `${new Date(at).toISOString()}, disable at expiry`
    })
    expect(app.events.some((e) => e.name === 'health.changed')).toBe(true)

    const cleared = await app.call('expiry.set', {
      accountId: 'sandbox',
      keyId: siteId,
      expiresAt: null,
      disableAtExpiry: false
    })
    expect(cleared.expiry).toBeUndefined()
    expect(new AuditTable(app.core.db).recent(1)[0].action).toBe('key.clearExpiry')
  })

  it('refuses "Disable at expiry" on the key the app itself signs in with', async () => {
    const { app } = await setUp()
    const admin = (await app.call('keys.list', { accountId: 'sandbox' })).keys.find(
      (k) => k.accountCredential
    )!
    const input = {
      accountId: 'sandbox',
      keyId: admin.id,
      expiresAt: app.now() + 30 * DAY,
      disableAtExpiry: true
    }
    expect(await app.failure('expiry.set', input)).toMatchObject({
      code: 'BAD_INPUT',
      fieldErrors: { disableAtExpiry: 'The app signs in with this key' }
    })
    // A reminder-only date is fine.
    const row = await app.call('expiry.set', { ...input, disableAtExpiry: false })
    expect(row.expiry).toEqual({ at: input.expiresAt, disableAtExpiry: false })
  })

  it('refuses a date that has passed, one decades away, and an unknown key', async () => {
    const { app, siteId } = await setUp()
    const base = { accountId: 'sandbox', keyId: siteId, disableAtExpiry: false }
    expect(await app.failure('expiry.set', { ...base, expiresAt: app.now() - 1000 })).toMatchObject(
      { code: 'BAD_INPUT', fieldErrors: { expiresAt: 'Choose a date in the future' } }
    )
    expect(
      await app.failure('expiry.set', { ...base, expiresAt: app.now() + 20 * 366 * DAY })
    ).toMatchObject({ code: 'BAD_INPUT' })
    expect(
      await app.failure('expiry.set', { ...base, keyId: 'aky_missing', expiresAt: app.now() + DAY })
    ).toMatchObject({ code: 'NOT_FOUND' })
  })
})

describe('expiry reminders and "Disable at expiry"', () => {
  it('reminds 14 days and 1 day before and at the date, each once', async () => {
    const { app, siteId } = await setUp()
    const at = app.now() + 20 * DAY
    await app.call('expiry.set', {
      accountId: 'sandbox',
      keyId: siteId,
      expiresAt: at,
      disableAtExpiry: false
    })
    await app.core.services.expiry.checkNow()
    expect(app.notifications()).toEqual([])

    app.advance(7)
    await app.core.services.expiry.checkNow()
    await app.core.services.expiry.checkNow()
    expect(app.notifications()).toEqual([
      {
        title: 'Key expires in 13 days',
        body: expect.stringMatching(
          /^“website-search” \(Sandbox\) expires on .* Rotate it or extend/
        )
      }
    ])

    app.advance(12.5)
    await app.core.services.expiry.checkNow()
    expect(app.notifications().map((n) => n.title)).toEqual([
      'Key expires in 13 days',
      'Key expires within a day'
    ])

    app.advance(1)
    await app.core.services.expiry.checkNow()
    await app.core.services.expiry.checkNow()
    expect(app.notifications().map((n) => n.title)).toEqual([
      'Key expires in 13 days',
      'Key expires within a day',
      'Key expired'
    ])
    // Without "Disable at expiry", the key keeps working; Health says so.
    const listed = (await app.call('keys.list', { accountId: 'sandbox' })).keys
    expect(listed.find((k) => k.id === siteId)!.enabled).toBe(true)
    const finding = (await app.call('health.findings', { accountId: 'sandbox' })).findings.find(
      (f) => f.id === `expiry:${siteId}`
    )
    expect(finding).toMatchObject({ severity: 'high', title: 'Expired today' })
  })

  it('disables the key when its date passes, says so in the audit log and a notification, once', async () => {
    const { app, siteId } = await setUp()
    await app.call('expiry.set', {
      accountId: 'sandbox',
      keyId: siteId,
      expiresAt: app.now() + 30 * DAY,
      disableAtExpiry: true
    })
    app.advance(31)
    await app.core.services.expiry.checkNow()
    const row = (await app.call('keys.list', { accountId: 'sandbox' })).keys.find(
      (k) => k.id === siteId
    )!
    expect(row.enabled).toBe(false)
    const audit = new AuditTable(app.core.db).recent(3).map((e) => [e.action, e.outcome, e.keyId])
    expect(audit).toContainEqual(['key.disableAtExpiry', 'ok', siteId])
    expect(audit).toContainEqual(['key.disable', 'ok', siteId])
    expect(app.notifications()).toEqual([
      {
        title: 'Key disabled at expiry',
        body: expect.stringContaining('“website-search” (Sandbox) passed its expiry date')
      }
    ])
    expect(app.events.some((e) => e.name === 'keys.changed')).toBe(true)

    // Enabled again by the user: the app does not fight them.
    await app.call('keys.setEnabled', { accountId: 'sandbox', keyId: siteId, enabled: true })
    await app.core.services.expiry.checkNow()
    expect(
      (await app.call('keys.list', { accountId: 'sandbox' })).keys.find((k) => k.id === siteId)!
        .enabled
    ).toBe(true)
    expect(app.notifications()).toHaveLength(1)
  })

  it('catches up at the next start on a date that passed while the app was closed', async () => {
    const first = await setUp()
    await first.app.call('expiry.set', {
      accountId: 'sandbox',
      keyId: first.siteId,
      expiresAt: first.app.now() + 2 * DAY,
      disableAtExpiry: true
    })
    await first.app.core.close()
    app = await startHealthApp({
      dataDir: first.app.dataDir,
      secrets: first.app.secrets,
      offsetMs: 3 * DAY,
      watchExpiry: true
    })
    const restarted = app
    await expect
      .poll(
        async () =>
          (await restarted.call('keys.list', { accountId: 'sandbox' })).keys.find(
            (k) => k.id === first.siteId
          )?.enabled
      )
      .toBe(false)
    // Skipped reminders are not sent late: one notification says where things stand.
    expect(restarted.notifications().map((n) => n.title)).toEqual(['Key disabled at expiry'])
  })

  it('says once when it could not disable the key, and tries again', async () => {
    const { app, siteId } = await setUp()
    await app.call('expiry.set', {
      accountId: 'sandbox',
      keyId: siteId,
      expiresAt: app.now() + DAY,
      disableAtExpiry: true
    })
    app.advance(2)
    await app.core.sandbox.stop()
    await app.core.services.expiry.checkNow()
    await app.core.services.expiry.checkNow()
    expect(app.notifications().map((n) => n.title)).toEqual(['Could not disable an expired key'])
    expect(new AuditTable(app.core.db).recent(1)[0]).toMatchObject({
      action: 'key.disableAtExpiry',
      outcome: 'error'
    })
    await app.core.sandbox.start()
    await app.core.services.expiry.checkNow()
    expect(app.notifications().map((n) => n.title)).toEqual([
      'Could not disable an expired key',
      'Key disabled at expiry'
    ])
  })
})
