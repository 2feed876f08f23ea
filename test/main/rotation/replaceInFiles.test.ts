import { chmodSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ScanSummary } from '@shared/contract/scan'
import { maskSecret } from '@shared/redact'
import { closeScanThreads } from '../../../src/main/scan'
import { TempTree } from '../scan/tree'
import { TestApp } from './helpers'

/**
 * "Replace in files" through the IPC router, over findings the app's own scan made (the Scan
 * view's calls, the real worker threads and matching). The renderer sends finding ids; main
 * resolves them in its own scan results and writes nothing else.
 */
async function scanFolder(app: TestApp, root: string): Promise<ScanSummary> {
  await app.call('scan.addFolder', { path: root })
  const { scanId } = await app.call('scan.start', undefined)
  return new Promise((resolve) => {
    const stop = app.core.events.subscribe((name, payload) => {
      if (name === 'scan.finished' && (payload as ScanSummary).scanId === scanId) {
        stop()
        resolve(payload as ScanSummary)
      }
    })
  })
}

async function findingIdFor(app: TestApp, path: string): Promise<string> {
  const { groups } = await app.call('scan.results', undefined)
  const finding = groups.flatMap((g) => g.findings).find((f) => f.path === path)
  return String(finding!.id)
}

let app: TestApp
let tree: TempTree
let outside: TempTree

beforeEach(async () => {
  tree = new TempTree()
  outside = new TempTree()
  app = new TestApp()
  await app.open()
  await app.call('keys.refresh', { accountId: 'sandbox' })
})

afterEach(async () => {
  await app.close()
  tree.remove()
  outside.remove()
})

afterAll(() => closeScanThreads())

async function secretOf(name: string): Promise<{ id: string; secret: string }> {
  const key = (await app.keyNamed(name))!
  const { secret } = await app.call('keys.revealSecret', { accountId: 'sandbox', keyId: key.id })
  return { id: key.id, secret }
}

async function rotate(name: string) {
  const key = (await app.keyNamed(name))!
  const plan = await app.call('rotations.plan', { accountId: 'sandbox', keyId: key.id })
  const run = await app.call('rotations.start', {
    accountId: 'sandbox',
    keyId: key.id,
    newName: plan.defaultNewName,
    corpusKeys: plan.oldKey.corpora
  })
  const newSecret = (
    await app.call('keys.revealSecret', { accountId: 'sandbox', keyId: run.rotation.newKey.id! })
  ).secret
  return { plan, rotation: run.rotation, newSecret }
}

describe('Files on this machine', () => {
  it('says "not scanned" until a scan has run; then lists file, line and masked value', async () => {
    const old = await secretOf('website-search')
    const envFile = tree.write('app/.env', `# app\nVECTARA_API_KEY=${old.secret}\n`)
    const key = (await app.keyNamed('website-search'))!
    const before = await app.call('rotations.plan', { accountId: 'sandbox', keyId: key.id })
    expect(before.files).toEqual({ scanned: false, locations: [] })

    await scanFolder(app, tree.root)
    const plan = await app.call('rotations.plan', { accountId: 'sandbox', keyId: key.id })
    expect(plan.files).toEqual({
      scanned: true,
      locations: [
        {
          findingId: expect.any(String),
          path: envFile,
          line: 2,
          column: 17,
          maskedValue: maskSecret(old.secret),
          preview: `VECTARA_API_KEY=${maskSecret(old.secret)}`
        }
      ]
    })
    expect(JSON.stringify(plan)).not.toContain(old.secret)
  })
})

describe('Replace in files, through the router', () => {
  it('replaces exactly, atomically, keeping CRLF and permissions; skips what it must, and says why', async () => {
    const old = await secretOf('website-search')
    const other = await secretOf('handbook-assistant')
    // The old secret inside a longer token is another value: only the whole one is replaced.
    const lf = tree.write(
      'app/.env',
      `# app\nVECTARA_API_KEY=${old.secret}\nNOT_IT=${old.secret}x9\nDEBUG=1\n`
    )
    chmodSync(lf, 0o640)
    const crlf = tree.write(
      'deploy/config.yaml',
      `vectara:\r\n  key: "${old.secret}"\r\n  again: ${old.secret}\r\n`
    )
    const otherKey = tree.write('other/.env', `VECTARA_API_KEY=${other.secret}\n`)
    const readOnly = tree.write('ro/.env', `KEY=${old.secret}\n`)
    const changed = tree.write('changed/.env', `KEY=${old.secret}\n`)
    const linked = tree.write('linked/.env', `KEY=${old.secret}\n`)
    await scanFolder(app, tree.root)
    chmodSync(readOnly, 0o444)
    writeFileSync(changed, `KEY=${old.secret}\nEDITED=yes\n`)
    // After the scan, the file becomes a link to a file outside the scanned folder.
    const target = outside.write('secret.env', `KEY=${old.secret}\n`)
    rmSync(linked)
    symlinkSync(target, linked)

    const { rotation, newSecret } = await rotate('website-search')
    const files = await app.call('rotations.findings', { id: rotation.id })
    // Two findings in config.yaml: one per occurrence.
    expect(files.locations.map((l) => l.path).sort()).toEqual(
      [lf, crlf, crlf, readOnly, changed, linked].sort()
    )
    const ids = files.locations.map((l) => l.findingId)
    const report = await app.call('rotations.replaceInFiles', {
      id: rotation.id,
      findingIds: [
        ...ids,
        await findingIdFor(app, otherKey),
        'no-such-finding',
        join(outside.root, 'secret.env')
      ]
    })

    expect(report.replaced.map((r) => r.path).sort()).toEqual([lf, crlf, crlf].sort())
    expect(report.replaced.find((r) => r.path === crlf)?.occurrences).toBe(2)
    expect(readFileSync(lf, 'utf8')).toBe(
      `# app\nVECTARA_API_KEY=${newSecret}\nNOT_IT=${old.secret}x9\nDEBUG=1\n`
    )
    expect(readFileSync(crlf, 'utf8')).toBe(
      `vectara:\r\n  key: "${newSecret}"\r\n  again: ${newSecret}\r\n`
    )
    expect(statSync(lf).mode & 0o777).toBe(0o640)
    const skipped = Object.fromEntries(report.skipped.map((s) => [s.path || s.findingId, s.reason]))
    expect(skipped[otherKey]).toMatch(/another key/)
    expect(skipped['no-such-finding']).toMatch(/No scan/)
    expect(skipped[join(outside.root, 'secret.env')]).toMatch(/No scan/)
    expect(skipped[readOnly]).toMatch(/read-only/)
    expect(skipped[changed]).toMatch(/changed since the scan/)
    expect(skipped[linked]).toMatch(/symbolic link/)

    // Untouched: the other key's file, the read-only one, the changed one, the link's target.
    expect(readFileSync(otherKey, 'utf8')).toBe(`VECTARA_API_KEY=${other.secret}\n`)
    expect(readFileSync(readOnly, 'utf8')).toBe(`KEY=${old.secret}\n`)
    expect(readFileSync(changed, 'utf8')).toBe(`KEY=${old.secret}\nEDITED=yes\n`)
    expect(readFileSync(target, 'utf8')).toBe(`KEY=${old.secret}\n`)
    // The answer names files and reasons, never a secret.
    expect(JSON.stringify(report)).not.toContain(old.secret)
    expect(JSON.stringify(report)).not.toContain(newSecret)
    const audit = app.audit().find((a) => a.action === 'rotation.replaceInFiles')
    expect(audit).toMatchObject({ outcome: 'ok', detail: '3 replaced, 6 skipped' })
  })

  it('refuses a malformed request at the router and files before the new key exists', async () => {
    const { rotation } = await rotate('website-search')
    const empty = await app.failure('rotations.replaceInFiles', { id: rotation.id, findingIds: [] })
    expect(empty.code).toBe('BAD_INPUT')
    const wrongShape = await app.core.router.invoke('rotations.replaceInFiles', {
      id: rotation.id,
      paths: ['/etc/passwd']
    })
    expect(wrongShape.ok).toBe(false)

    app.faults.add({ method: 'POST', path: /^\/v2\/api_keys$/, fault: 503 })
    const other = await app.keyNamed('support-console')
    const failed = await app.call('rotations.start', {
      accountId: 'sandbox',
      keyId: other!.id,
      newName: 'support twin',
      corpusKeys: ['product-faq']
    })
    const early = await app.failure('rotations.replaceInFiles', {
      id: failed.rotation.id,
      findingIds: ['f1']
    })
    expect(early.message).toMatch(/new key must exist/)
  })
})
