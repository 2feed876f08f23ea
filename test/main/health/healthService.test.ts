import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { UsageEventsTable } from '../../../src/main/db/tables/usageEventsTable'
import { AuditTable } from '../../../src/main/db/tables/auditTable'
import { DAY, startHealthApp, syncSandbox, type HealthApp } from './healthApp'

let app: HealthApp
let ids: Map<string, string>

beforeEach(async () => {
  app = await startHealthApp()
  ids = await syncSandbox(app)
})
afterEach(async () => {
  await app.core.close()
})

const findings = (accountId: string | null = 'sandbox') =>
  app.call('health.findings', { accountId })

describe('health.findings', () => {
  it('has no stale keys on the first day, and finds the never-used ones after 30', async () => {
    const first = await findings()
    expect(first.findings.filter((f) => f.rule === 'stale')).toEqual([])
    expect(first.keysChecked).toBe(6)

    app.advance(31)
    const later = await findings()
    const stale = later.findings.filter((f) => f.rule === 'stale').map((f) => f.keyName)
    expect(stale).toContain('website-search')
    expect(stale).toContain('release-notes-indexer')
    // Disabled keys are not "stale", and the app's own credential is in use by the app.
    expect(stale).not.toContain('legacy-intranet-search')
    expect(stale).not.toContain('Sandbox admin (personal)')
    const site = later.findings.find((f) => f.id === `stale:${ids.get('website-search')}`)!
    expect(site).toMatchObject({
      accountId: 'sandbox',
      accountName: 'Sandbox',
      keyKind: 'query',
      severity: 'low',
      title: 'Never used in the 31 days the app has known it',
      fixes: [{ action: 'disable' }, { action: 'delete' }]
    })
  })

  it('sorts most severe first and counts each severity', async () => {
    app.advance(31)
    const report = await findings()
    const ranks = { high: 0, medium: 1, low: 2 }
    const order = report.findings.map((f) => ranks[f.severity])
    expect(order).toEqual([...order].sort((a, b) => a - b))
    expect(report.counts.medium).toBe(report.findings.filter((f) => f.severity === 'medium').length)
    expect(report.counts.low).toBe(report.findings.filter((f) => f.severity === 'low').length)
  })

  it('finds a corpus no enabled Query key reaches, and one more when its only key is disabled', async () => {
    const before = (await findings()).findings.filter((f) => f.rule === 'uncoveredCorpus')
    expect(before.map((f) => f.corpusKey)).toEqual(['release-notes'])
    await app.call('keys.setEnabled', {
      accountId: 'sandbox',
      keyId: ids.get('handbook-assistant')!,
      enabled: false
    })
    const after = (await findings()).findings.filter((f) => f.rule === 'uncoveredCorpus')
    expect(after.map((f) => f.corpusKey).sort()).toEqual(['employee-handbook', 'release-notes'])
    expect(after.find((f) => f.corpusKey === 'employee-handbook')!.fixes).toEqual([
      { action: 'createQueryKey', corpusKeys: ['employee-handbook'] }
    ])
  })

  it('knows how long a key has been disabled, from the audit log or from when it first saw it', async () => {
    await app.call('keys.setEnabled', {
      accountId: 'sandbox',
      keyId: ids.get('website-search')!,
      enabled: false
    })
    // legacy-intranet-search came disabled from the Sandbox: the clock starts now.
    await findings()
    app.advance(20)
    expect((await findings()).findings.filter((f) => f.rule === 'disabledLong')).toEqual([])
    app.advance(11)
    const long = (await findings()).findings.filter((f) => f.rule === 'disabledLong')
    expect(long.map((f) => [f.keyName, f.title]).sort()).toEqual([
      ['legacy-intranet-search', 'Disabled for 31 days'],
      ['website-search', 'Disabled for 31 days']
    ])
    expect(long[0].fixes).toEqual([{ action: 'delete' }])
    // Enabled again, the key is not "disabled long" any more, and its old time is forgotten.
    await app.call('keys.setEnabled', {
      accountId: 'sandbox',
      keyId: ids.get('website-search')!,
      enabled: true
    })
    const afterEnable = (await findings()).findings.filter((f) => f.rule === 'disabledLong')
    expect(afterEnable.map((f) => f.keyName)).toEqual(['legacy-intranet-search'])
  })

  it('flags an Index key used only for queries, prefilled with the corpora it queried', async () => {
    const created = await app.call('keys.create', {
      accountId: 'sandbox',
      name: 'faq-writer',
      access: 'serving_and_indexing',
      corpusKeys: ['product-faq', 'release-notes']
    })
    const run = await app.call('playground.run', {
      runId: 'health-run-1',
      accountId: 'sandbox',
      credential: { type: 'stored', keyId: created.key.id },
      corpusKeys: ['product-faq'],
      query: 'battery life',
      options: (await import('@shared/playground/options')).defaultPlaygroundOptions
    })
    expect(run.response.status).toBe(200)
    const finding = (await findings()).findings.find(
      (f) => f.rule === 'indexForQueries' && f.keyId === created.key.id
    )
    expect(finding).toMatchObject({
      severity: 'medium',
      fixes: [
        { action: 'rotate', newKind: 'query' },
        { action: 'createQueryKey', corpusKeys: ['product-faq'] }
      ]
    })
    // Anything but a query sent with the key (here recorded directly) means its write access is used.
    const usage = new UsageEventsTable(app.core.db)
    usage.insert({
      at: app.now(),
      accountId: 'sandbox',
      keyId: created.key.id,
      kind: 'admin',
      action: 'documents.create',
      method: 'POST',
      path: '/v2/corpora/product-faq/documents',
      status: 201
    })
    const after = (await findings()).findings.filter((f) => f.rule === 'indexForQueries')
    expect(after.map((f) => f.keyId)).not.toContain(created.key.id)
  })

  it('reads the scanner and rotation facts through its ports', async () => {
    await app.core.close()
    const siteId = ids.get('website-search')!
    const indexerId = ids.get('release-notes-indexer')!
    app = await startHealthApp({
      dataDir: app.dataDir,
      secrets: app.secrets,
      ports: {
        fileFindings: {
          forAccount: (accountId) =>
            accountId === 'sandbox'
              ? [{ accountId, keyId: indexerId, kind: 'index', files: 2 }]
              : []
        },
        rotations: {
          waitingForAccount: (accountId) => [
            {
              accountId,
              rotationId: 'rot_1',
              keyId: siteId,
              keyName: 'website-search',
              waitingFor: 'your confirmation to disable the old key',
              since: app.now()
            }
          ]
        }
      }
    })
    const report = await findings()
    expect(report.findings[0]).toMatchObject({
      rule: 'foundInFiles',
      severity: 'high',
      keyName: 'release-notes-indexer',
      fixes: [{ action: 'rotate' }, { action: 'disable' }]
    })
    expect(report.findings.find((f) => f.rule === 'rotationWaiting')).toMatchObject({
      keyName: 'website-search',
      fixes: [{ action: 'openRotation', rotationId: 'rot_1' }]
    })
  })

  it('answers for every account at once', async () => {
    const all = await findings(null)
    expect(all.accountId).toBeNull()
    expect(all.findings.every((f) => f.accountName === 'Sandbox')).toBe(true)
  })
})

describe('health.dismiss and health.restore', () => {
  it('hides a finding with a reason, audited, until its facts change', async () => {
    app.advance(40)
    const siteId = ids.get('website-search')!
    const id = `stale:${siteId}`
    await app.call('health.dismiss', {
      accountId: 'sandbox',
      findingId: id,
      reason: 'Kept for the launch next month'
    })
    let report = await findings()
    expect(report.findings.map((f) => f.id)).not.toContain(id)
    expect(report.dismissed.find((f) => f.id === id)!.dismissal).toEqual({
      reason: 'Kept for the launch next month',
      at: expect.any(Number)
    })
    const audit = new AuditTable(app.core.db).recent(5)
    expect(audit[0]).toMatchObject({
      action: 'finding.dismiss',
      outcome: 'ok',
      keyId: siteId,
      detail: `${id}: Kept for the launch next month`
    })

    // Days pass with nothing new: still dismissed.
    app.advance(3)
    expect((await findings()).dismissed.map((f) => f.id)).toContain(id)

    // A use 35 days ago is a new fact: it is still stale, and the finding is back.
    new UsageEventsTable(app.core.db).insert({
      at: app.now() - 35 * DAY,
      accountId: 'sandbox',
      keyId: siteId,
      kind: 'query',
      action: 'query',
      method: 'POST',
      path: '/v2/query',
      status: 200
    })
    report = await findings()
    expect(report.findings.find((f) => f.id === id)!.title).toBe('Not used in 35 days')
    expect(report.dismissed).toEqual([])
  })

  it('restores a dismissed finding, audited', async () => {
    await app.call('keys.setEnabled', {
      accountId: 'sandbox',
      keyId: ids.get('handbook-assistant')!,
      enabled: false
    })
    const id = 'uncoveredCorpus:corpus:employee-handbook'
    await app.call('health.dismiss', { accountId: 'sandbox', findingId: id, reason: 'internal' })
    expect((await findings()).findings.map((f) => f.id)).not.toContain(id)
    await app.call('health.restore', { accountId: 'sandbox', findingId: id })
    expect((await findings()).findings.map((f) => f.id)).toContain(id)
    expect(new AuditTable(app.core.db).recent(1)[0]).toMatchObject({
      action: 'finding.restore',
      detail: id
    })
  })

  it('refuses an empty reason, a finding that is not open, and a restore of nothing', async () => {
    expect(
      await app.failure('health.dismiss', {
        accountId: 'sandbox',
        findingId: 'uncoveredCorpus:corpus:release-notes',
        reason: '   '
      })
    ).toMatchObject({ code: 'BAD_INPUT' })
    expect(
      await app.failure('health.dismiss', {
        accountId: 'sandbox',
        findingId: 'stale:nope',
        reason: 'x'
      })
    ).toMatchObject({ code: 'NOT_FOUND' })
    expect(
      await app.failure('health.restore', { accountId: 'sandbox', findingId: 'stale:nope' })
    ).toMatchObject({ code: 'NOT_FOUND' })
    expect(await app.failure('health.findings', { accountId: 'no-such-account' })).toMatchObject({
      code: 'NOT_FOUND'
    })
  })

  it('keeps a secret typed into the reason out of the database', async () => {
    const secret = 'zqt_' + 'A'.repeat(36)
    await app.call('health.dismiss', {
      accountId: 'sandbox',
      findingId: 'uncoveredCorpus:corpus:release-notes',
      reason: `old key was ${secret}`
    })
    const rows = app.core.db
      .prepare('SELECT reason FROM finding_dismissals UNION ALL SELECT detail FROM audit_events')
      .all() as { reason: string | null }[]
    expect(JSON.stringify(rows)).not.toContain(secret)
  })
})

describe('health.coverage', () => {
  it('maps the Sandbox corpora to the keys that reach them, enabled keys by default', async () => {
    const map = await app.call('health.coverage', { accountId: 'sandbox', includeDisabled: false })
    // In name order: Employee handbook, Release notes, Support runbooks, Trailglow product FAQ.
    expect(map.corpora.map((c) => c.key)).toEqual([
      'employee-handbook',
      'release-notes',
      'support-runbooks',
      'product-faq'
    ])
    const byKey = Object.fromEntries(map.corpora.map((c) => [c.key, c]))
    expect(byKey['product-faq']).toMatchObject({ query: 2, index: 1, personal: 1 })
    expect(byKey['employee-handbook']).toMatchObject({ query: 1, index: 0 })
    expect(byKey['release-notes']).toMatchObject({ query: 0, index: 1 })
    expect(map.uncovered).toBe(1)
    expect(map.keys.map((k) => k.name)).not.toContain('legacy-intranet-search')
    expect(map.keys[0]).toMatchObject({ kind: 'personal', all: true })

    const all = await app.call('health.coverage', { accountId: 'sandbox', includeDisabled: true })
    expect(all.keys.map((k) => k.name)).toContain('legacy-intranet-search')
    expect(Object.fromEntries(all.corpora.map((c) => [c.key, c.query]))['employee-handbook']).toBe(
      2
    )
  })
})

describe('health.exportInventory', () => {
  it('writes every key with its facts and open findings, as CSV and as JSON', async () => {
    app.advance(31)
    const csv = await app.call('health.exportInventory', { accountId: 'sandbox', format: 'csv' })
    expect(csv.filename).toMatch(/^vectara-keys-sandbox-\d{4}-\d{2}-\d{2}\.csv$/)
    expect(csv.mimeType).toBe('text/csv')
    expect(csv.rows).toBe(6)
    const lines = csv.content.trimEnd().split('\r\n')
    expect(lines).toHaveLength(7)
    const site = lines.find((l) => l.includes(',website-search,'))!
    expect(site).toMatch(
      new RegExp(
        `^Sandbox,sandbox,${ids.get('website-search')},website-search,Query,enabled,product-faq,`
      )
    )
    expect(site).toContain('low: Never used in the 31 days the app has known it')

    const json = await app.call('health.exportInventory', { accountId: null, format: 'json' })
    expect(json.filename).toMatch(/^vectara-keys-all-accounts-.*\.json$/)
    const parsed = JSON.parse(json.content) as { keys: { name: string; status: string }[] }
    expect(parsed.keys.map((k) => k.name).sort()).toEqual([...ids.keys()].sort())
    expect(parsed.keys.find((k) => k.name === 'legacy-intranet-search')!.status).toBe('disabled')
  })

  it('never holds a secret or a masked secret', async () => {
    const created = await app.call('keys.create', {
      accountId: 'sandbox',
      name: 'export-check',
      access: 'serving',
      corpusKeys: ['product-faq']
    })
    const secret = (await app.secrets.get(`key:sandbox:${created.key.id}`))!
    const listed = (await app.call('keys.list', { accountId: 'sandbox' })).keys
    const masks = listed.flatMap((k) => (k.maskedSecret ? [k.maskedSecret] : []))
    expect(masks.length).toBeGreaterThan(0)
    for (const format of ['csv', 'json'] as const) {
      const { content } = await app.call('health.exportInventory', { accountId: null, format })
      expect(content).toContain('export-check')
      expect(content).not.toContain(secret)
      expect(content).not.toMatch(/z[uqw]t_[A-Za-z0-9_-]{8,}/)
      // No masked form either (`zqt_…Ab3d`), nor its last four characters beside an ellipsis.
      expect(content).not.toContain('…')
      for (const mask of masks) expect(content).not.toContain(mask)
    }
  })
})
