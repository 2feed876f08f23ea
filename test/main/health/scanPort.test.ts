import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ScanCore } from '../scan/scanFixture'

let app: ScanCore | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

describe('Health and the folder scanner, as wired in core', () => {
  it('flags an Index key whose secret a scan found in a file, high, with Rotate… and Disable', async () => {
    app = await new ScanCore().start({ watchExpiry: false })
    const { keys } = await app.call('keys.refresh', { accountId: 'sandbox' })
    const indexer = keys.find((k) => k.name === 'release-notes-indexer')!
    const folder = mkdtempSync(join(tmpdir(), 'vkm-health-scan-'))
    writeFileSync(join(folder, '.env'), `VECTARA_API_KEY=${await app.listedSecret(indexer.id)}\n`)
    await app.call('scan.addFolder', { path: folder })
    await app.scan()

    const report = await app.call('health.findings', { accountId: 'sandbox' })
    expect(report.findings[0]).toMatchObject({
      id: `foundInFiles:${indexer.id}`,
      rule: 'foundInFiles',
      severity: 'high',
      keyName: 'release-notes-indexer',
      title: 'Secret found in 1 file on this machine',
      fixes: [{ action: 'rotate' }, { action: 'disable' }]
    })

    // "Ignore" in Scan means the user judged that file: Health leaves the key alone too.
    const results = await app.call('scan.results', undefined)
    const finding = results.groups.flatMap((g) => g.findings)[0]!
    await app.call('scan.ignore', { findingId: finding.id, ignored: true })
    const after = await app.call('health.findings', { accountId: 'sandbox' })
    expect(after.findings.map((f) => f.rule)).not.toContain('foundInFiles')
  })
})
