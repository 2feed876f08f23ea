import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { maskSecret } from '@shared/redact'
import { sandboxKey, vectaraKey } from './keys'
import { ScanCore } from './scanFixture'
import { TempTree } from './tree'

/** Anything shaped like a Vectara secret: a prefix and a long run of key characters. */
const SECRET_SHAPED = /z[uqw]t_[A-Za-z0-9_-]{20,}/

let app: ScanCore
let tree: TempTree
const planted: string[] = []
const unknown: string[] = []

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' })
    .map((name) => join(folder, name))
    .filter((path) => statSync(path).isFile())
}

beforeAll(async () => {
  app = await new ScanCore().start()
  tree = new TempTree()
  const { keys } = await app.call('keys.refresh', { accountId: 'sandbox' })
  const created = await app.call('keys.create', {
    accountId: 'sandbox',
    name: 'leak check',
    access: 'serving_and_indexing',
    corpusKeys: [keys.flatMap((k) => k.corpora)[0]]
  })
  const stored = (await app.secrets.get(`key:sandbox:${created.key.id}`))!
  const listedKey = keys.find((k) => k.kind === 'query' && !k.secretStored)!
  const listed = await app.listedSecret(listedKey.id)
  const personal = app.core.sandbox.endpoint()!.personalKey
  for (const prefix of ['zut_', 'zqt_', 'zwt_'] as const) {
    unknown.push(vectaraKey(prefix), sandboxKey(prefix))
  }
  planted.push(stored, listed, personal, ...unknown)

  const [u1, u2, u3, u4, u5, u6] = unknown
  tree.write('app/.env', `VECTARA_API_KEY=${stored}\nOTHER=${u1}\n`)
  tree.write('app/.env.local', `VECTARA_API_KEY="${listed}"\r\nBACKUP='${u2}'\r\n`)
  tree.write('home/.bash_history', `curl -H "x-api-key: ${personal}" x\nexport K=${u3}`)
  tree.write('home/.zsh_history', `: 1700000000:0;export VECTARA_API_KEY=${u4}\n`)
  tree.write('nb/try.ipynb', JSON.stringify({ cells: [{ source: [`k = "${u5}"\\n`] }] }))
  tree.write('conf/app.yaml', `vectara:\n  api_key: ${u6}\n  also: ${listed} ${stored}`)
  tree.write('conf/settings.json', JSON.stringify({ keys: [stored, listed, personal] }))
  await app.call('scan.addFolder', { path: tree.root })

  // A full round of what the Scan view and the Keys list do with the findings.
  await app.call('scan.state', undefined)
  await app.call('scan.prepare', undefined)
  await app.scan()
  const results = await app.call('scan.results', undefined)
  const findings = results.groups.flatMap((g) => g.findings)
  await app.call('scan.ignore', { findingId: findings[0].id, ignored: true })
  await app.call('scan.showInFolder', { findingId: findings[1].id })
  const listedFinding = findings.find((f) => f.match?.keyId === listedKey.id)!
  await app.call('scan.disableKey', { findingId: listedFinding.id })
  await app.call('scan.keyFiles', { accountId: 'sandbox', keyId: listedKey.id })
  await app.call('keys.list', { accountId: 'sandbox' })
  writeFileSync(tree.path('conf/app.yaml'), `vectara:\n  api_key: ${u6}\n`)
  await app.scan()
  await app.call('scan.results', undefined)
  await app.call('scan.state', undefined)
  app.core.db.pragma('wal_checkpoint(TRUNCATE)')
})

afterAll(async () => {
  await app.close()
  tree.remove()
})

describe('after a scan of a folder full of secrets, no secret is kept or shown', () => {
  it('found every planted secret', async () => {
    const results = await app.call('scan.results', undefined)
    const findings = results.groups.flatMap((g) => g.findings)
    expect(findings.length).toBeGreaterThanOrEqual(planted.length)
    expect(findings.filter((f) => f.match !== null).length).toBeGreaterThanOrEqual(6)
  })

  it('the app data folder holds no secret-shaped string, and not even a mask of an unknown one', () => {
    const files = filesUnder(app.dataDir)
    const appFiles = files.filter((path) => !relative(app.dataDir, path).startsWith('sandbox'))
    expect(appFiles.some((path) => path.endsWith('vkm.db'))).toBe(true)
    for (const path of appFiles) {
      const bytes = readFileSync(path).toString('latin1')
      expect(bytes, path).not.toMatch(SECRET_SHAPED)
      const text = readFileSync(path).toString('utf8')
      for (const secret of unknown) expect(text, path).not.toContain(maskSecret(secret))
    }
    // The embedded Sandbox is the server side: it holds its own keys, never a found stranger.
    for (const path of files) {
      const bytes = readFileSync(path).toString('latin1')
      for (const secret of unknown) expect(bytes, path).not.toContain(secret)
    }
  })

  it('the log holds none', () => {
    const log = app.logLines.join('\n')
    expect(log).toMatch(/scan \d+: \d+ files read/)
    expect(log).not.toMatch(SECRET_SHAPED)
    for (const secret of planted) expect(log).not.toContain(secret)
  })

  it('no call answer or event the renderer receives holds one', () => {
    expect(app.answers.length).toBeGreaterThan(10)
    expect(app.events.some((e) => e.name === 'scan.progress')).toBe(true)
    for (const payload of [...app.answers, ...app.events]) {
      const text = JSON.stringify(payload)
      expect(text).not.toMatch(SECRET_SHAPED)
      for (const secret of planted) expect(text).not.toContain(secret)
    }
  })

  it('the port for rotation and Health gives masks and places only', () => {
    const scan = app.core.services.scan
    for (const account of ['sandbox']) {
      const text = JSON.stringify([
        [...scan.fileCountsByKey(account)],
        scan.fileFindings.forAccount(account),
        ...[...scan.fileCountsByKey(account).keys()].map((k) => scan.findingsForKey(account, k))
      ])
      expect(text).not.toMatch(SECRET_SHAPED)
    }
  })
})
