import { readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Finding, ScanResults } from '@shared/contract/scan'
import type { KeyRow } from '@shared/contract/keys'
import { vectaraKey } from './keys'
import { ScanCore } from './scanFixture'
import { TempTree } from './tree'

let app: ScanCore
let tree: TempTree

beforeEach(async () => {
  app = await new ScanCore().start()
  tree = new TempTree()
})

afterEach(async () => {
  await app.close()
  tree.remove()
})

const allFindings = (results: ScanResults): Finding[] => results.groups.flatMap((g) => g.findings)
const findingIn = (results: ScanResults, file: string): Finding => {
  const found = allFindings(results).find((f) => f.path === tree.path(file))
  if (!found) throw new Error(`no finding in ${file}`)
  return found
}

async function sandboxKeys(): Promise<KeyRow[]> {
  return (await app.call('keys.refresh', { accountId: 'sandbox' })).keys
}

async function queryKeyNotInKeychain(): Promise<KeyRow> {
  const keys = await sandboxKeys()
  const key = keys.find((k) => k.kind === 'query' && k.enabled && !k.secretStored)
  if (!key) throw new Error('the Sandbox has no seeded Query key')
  return key
}

describe('folders', () => {
  it('adds absolute existing folders, remembers them, and refuses anything else plainly', async () => {
    const added = await app.call('scan.addFolder', { path: tree.root + '/' })
    expect(added.added.path).toBe(tree.root)
    expect((await app.call('scan.state', undefined)).folders.map((f) => f.path)).toEqual([
      tree.root
    ])

    const relative = await app.failure('scan.addFolder', { path: 'projects/app' })
    expect(relative.code).toBe('BAD_INPUT')
    expect(relative.fieldErrors?.path).toMatch(/full path/)
    const missing = await app.failure('scan.addFolder', { path: tree.path('nope') })
    expect(missing.fieldErrors?.path).toBe(`There is no folder at ${tree.path('nope')}`)
    const file = tree.write('a.txt', 'x')
    expect((await app.failure('scan.addFolder', { path: file })).fieldErrors?.path).toMatch(
      /is a file, not a folder/
    )
    const twice = await app.failure('scan.addFolder', { path: tree.root })
    expect(twice.code).toBe('CONFLICT')
    expect((await app.failure('scan.addFolder', { path: '   ' })).fieldErrors?.path).toBe(
      'Enter a folder'
    )
  })

  it('headless, the folder picker adds nothing (the view offers a text box instead)', async () => {
    const picked = await app.call('scan.chooseFolder', undefined)
    expect(picked).toEqual({ added: null, folders: [] })
  })

  it('in the desktop app, adds the folder the OS picker returned, and shows files there', async () => {
    const shown: string[] = []
    const desktop = {
      kind: 'electron' as const,
      chooseFolder: async () => tree.root,
      showItemInFolder: async (path: string) => {
        shown.push(path)
        return 'shown' as const
      },
      notify: () => undefined
    }
    const electron = await new ScanCore().start({ desktop })
    try {
      const picked = await electron.call('scan.chooseFolder', undefined)
      expect(picked.added?.path).toBe(tree.root)
      tree.write('z.env', `K=${vectaraKey('zqt_')}`)
      await electron.scan()
      const { groups } = await electron.call('scan.results', undefined)
      const id = groups[0].findings[0].id
      expect(await electron.call('scan.showInFolder', { findingId: id })).toEqual({
        how: 'shown',
        path: tree.path('z.env')
      })
      expect(shown).toEqual([tree.path('z.env')])
    } finally {
      await electron.close()
    }
  })

  it('removing a folder forgets its findings and file stamps', async () => {
    const folder = (await app.call('scan.addFolder', { path: tree.root })).added
    tree.write('.env', `VECTARA_API_KEY=${vectaraKey('zqt_')}\n`)
    await app.scan()
    expect(allFindings(await app.call('scan.results', undefined))).toHaveLength(1)
    await app.call('scan.removeFolder', { folderId: folder.id })
    expect((await app.call('scan.results', undefined)).groups).toEqual([])
    expect(app.core.db.prepare('SELECT COUNT(*) AS n FROM scan_stamps').get()).toEqual({ n: 0 })
  })

  it('refuses to scan with no folder', async () => {
    const error = await app.failure('scan.start', undefined)
    expect(error.message).toBe('Add a folder to scan first.')
  })
})

describe("matching found secrets to the user's keys (in main)", () => {
  it('matches a key list secret, an account credential and leaves an unknown secret unknown', async () => {
    const listed = await queryKeyNotInKeychain()
    const listedSecret = await app.listedSecret(listed.id)
    expect(await app.secrets.list()).not.toContain(`key:sandbox:${listed.id}`)
    const personalKey = app.core.sandbox.endpoint()!.personalKey
    const unknown = vectaraKey('zwt_')
    tree.write('app/.env', `# local\nVECTARA_API_KEY=${listedSecret}\n`)
    tree.write('home/.bash_history', `curl -H "x-api-key: ${personalKey}" localhost\n`)
    tree.write('other/config.yaml', `other_vendor:\n  token: ${unknown}\n`)
    await app.call('scan.addFolder', { path: tree.root })

    const summary = await app.scan()
    expect(summary).toMatchObject({ outcome: 'done', findings: 3, messages: [] })
    const results = await app.call('scan.results', undefined)

    const env = findingIn(results, 'app/.env')
    expect(env).toMatchObject({
      line: 2,
      column: 17,
      kind: 'query',
      context: 'VECTARA_API_KEY=',
      masked: `zqt_…${listedSecret.slice(-4)}`,
      match: {
        accountId: 'sandbox',
        accountName: 'Sandbox',
        keyId: listed.id,
        keyName: listed.name,
        kind: 'query',
        status: 'enabled',
        accountCredential: false
      }
    })
    const credential = findingIn(results, 'home/.bash_history')
    expect(credential.match).toMatchObject({
      accountId: 'sandbox',
      kind: 'personal',
      accountCredential: true
    })
    expect(credential.match?.keyId).toBe((await sandboxKeys()).find((k) => k.accountCredential)?.id)

    const other = findingIn(results, 'other/config.yaml')
    expect(other).toMatchObject({ match: null, kind: 'index', context: 'token:' })
    expect(other.masked).toBe(`zwt_…${unknown.slice(-4)}`)
    // Known keys first, each in a group of its own.
    expect(results.groups.map((g) => g.match?.keyName ?? null).at(-1)).toBeNull()
  })

  it('matches a key from the keychain when its account cannot list keys now', async () => {
    const keys = await sandboxKeys()
    const created = await app.call('keys.create', {
      accountId: 'sandbox',
      name: 'ci deploy',
      access: 'serving',
      corpusKeys: [keys.flatMap((k) => k.corpora)[0]]
    })
    expect(created.secretStored).toBe(true)
    const secret = (await app.secrets.get(`key:sandbox:${created.key.id}`))!
    tree.write('deploy/settings.json', `{"vectara": {"apiKey": "${secret}"}}`)
    await app.call('scan.addFolder', { path: tree.root })
    await app.core.sandbox.stop()
    // Only an account credential matching would need the list; make sure one is wanted.
    tree.write('deploy/unknown.txt', `key=${vectaraKey('zqt_')}`)

    const summary = await app.scan()
    expect(summary.messages.join(' ')).toMatch(/key list of "Sandbox" could not be read/)
    const finding = findingIn(await app.call('scan.results', undefined), 'deploy/settings.json')
    expect(finding.match).toMatchObject({ keyId: created.key.id, keyName: 'ci deploy' })
    expect(finding.context).toBe('apiKey:')
    await app.core.sandbox.start()
  })

  it('learns whose an unknown secret is at a later scan, without reading the file again', async () => {
    const listed = await queryKeyNotInKeychain()
    const secret = await app.listedSecret(listed.id)
    tree.write('notes.md', `the key: ${secret}\n`)
    await app.call('scan.addFolder', { path: tree.root })
    await app.core.sandbox.stop()
    await app.scan()
    expect(findingIn(await app.call('scan.results', undefined), 'notes.md').match).toBeNull()

    await app.core.sandbox.start()
    const again = await app.scan()
    expect(again.counts).toMatchObject({ filesScanned: 0, filesUnchanged: 1 })
    expect(findingIn(await app.call('scan.results', undefined), 'notes.md').match?.keyId).toBe(
      listed.id
    )
  })

  it('shows the key status, and "Disable key" disables the key a finding names', async () => {
    const listed = await queryKeyNotInKeychain()
    tree.write('.env.production', `VECTARA_API_KEY="${await app.listedSecret(listed.id)}"\r\n`)
    await app.call('scan.addFolder', { path: tree.root })
    await app.scan()
    const finding = findingIn(await app.call('scan.results', undefined), '.env.production')

    const disabled = await app.call('scan.disableKey', { findingId: finding.id })
    expect(disabled).toMatchObject({ accountId: 'sandbox', key: { id: listed.id, enabled: false } })
    expect(disabled.key.foundInFiles).toBe(1)
    const after = findingIn(await app.call('scan.results', undefined), '.env.production')
    expect(after.match?.status).toBe('disabled')
    const row = (await app.call('keys.list', { accountId: 'sandbox' })).keys.find(
      (k) => k.id === listed.id
    )
    expect(row?.foundInFiles).toBe(1)
    expect(
      (await app.call('scan.keyFiles', { accountId: 'sandbox', keyId: listed.id })).files
    ).toEqual([
      {
        findingId: finding.id,
        path: tree.path('.env.production'),
        line: 1,
        column: 18,
        ignored: false
      }
    ])
    expect(app.events.some((e) => e.name === 'keys.changed')).toBe(true)
  })

  it('refuses to disable an unknown key or the key the app signs in with', async () => {
    tree.write('a.env', `X=${vectaraKey('zqt_')}\nY=${app.core.sandbox.endpoint()!.personalKey}\n`)
    await sandboxKeys()
    await app.call('scan.addFolder', { path: tree.root })
    await app.scan()
    const [unknown, credential] = allFindings(await app.call('scan.results', undefined)).sort(
      (a, b) => a.line - b.line
    )
    expect((await app.failure('scan.disableKey', { findingId: unknown.id })).message).toMatch(
      /none of your keys/
    )
    expect((await app.failure('scan.disableKey', { findingId: credential.id })).message).toMatch(
      /lock the app out/
    )
  })
})

describe('masks', () => {
  it('are never stored: after a restart an unknown key shows its prefix until its file is read again', async () => {
    const listed = await queryKeyNotInKeychain()
    const known = await app.listedSecret(listed.id)
    const stranger = vectaraKey('zwt_')
    tree.write('a.env', `K=${known}\n`)
    tree.write('b.env', `T=${stranger}\n`)
    tree.write('c.md', '# nothing\n')
    await app.call('scan.addFolder', { path: tree.root })
    await app.scan()
    await app.close()

    app = await new ScanCore(app.dataDir).start()
    const before = await app.call('scan.results', undefined)
    // The known key shows the key list's own mask; the stranger only its prefix.
    expect(findingIn(before, 'a.env').masked).toBe(`zqt_…${known.slice(-4)}`)
    expect(findingIn(before, 'b.env').masked).toBe('zwt_…')
    const rescan = await app.scan()
    expect(rescan.counts).toMatchObject({ filesScanned: 1, filesUnchanged: 2 })
    expect(findingIn(await app.call('scan.results', undefined), 'b.env').masked).toBe(
      `zwt_…${stranger.slice(-4)}`
    )
  })
})

describe('ignore', () => {
  it('holds while the file content is the same, and lapses when it changes', async () => {
    const secret = vectaraKey('zqt_')
    const file = tree.write('src/config.ts', `export const key = '${secret}'\n`)
    await app.call('scan.addFolder', { path: tree.root })
    await app.scan()
    const finding = findingIn(await app.call('scan.results', undefined), 'src/config.ts')
    expect((await app.call('scan.ignore', { findingId: finding.id, ignored: true })).ignored).toBe(
      true
    )

    // Unchanged: not read, still ignored.
    await app.scan()
    expect(findingIn(await app.call('scan.results', undefined), 'src/config.ts').ignored).toBe(true)
    // Touched (new modification time, same bytes): read again, still ignored.
    const later = new Date(statSync(file).mtimeMs + 5000)
    utimesSync(file, later, later)
    expect((await app.scan()).counts?.filesScanned).toBe(1)
    const touched = findingIn(await app.call('scan.results', undefined), 'src/config.ts')
    expect(touched).toMatchObject({ ignored: true, foundAt: finding.foundAt })
    // Changed: the ignore lapses.
    writeFileSync(file, `// a comment\nexport const key = '${secret}'\n`)
    await app.scan()
    const changed = findingIn(await app.call('scan.results', undefined), 'src/config.ts')
    expect(changed).toMatchObject({ ignored: false, line: 2 })
    expect((await app.scan()).findings).toBe(1)
  })

  it('can be undone', async () => {
    tree.write('k.txt', vectaraKey('zut_'))
    await app.call('scan.addFolder', { path: tree.root })
    await app.scan()
    const { id } = findingIn(await app.call('scan.results', undefined), 'k.txt')
    await app.call('scan.ignore', { findingId: id, ignored: true })
    expect((await app.call('scan.state', undefined)).lastScan?.findings).toBe(1)
    expect((await app.call('scan.ignore', { findingId: id, ignored: false })).ignored).toBe(false)
  })
})

describe('rescans', () => {
  it('read only new and changed files, and forget deleted ones', async () => {
    const keep = tree.write('keep.env', `A=${vectaraKey('zqt_')}\n`)
    const gone = tree.write('gone.env', `B=${vectaraKey('zwt_')}\n`)
    const edit = tree.write('edit.env', 'nothing yet\n')
    for (let i = 0; i < 20; i++) tree.write(`docs/page-${i}.md`, `# page ${i}\n`)
    await app.call('scan.addFolder', { path: tree.root })
    const first = await app.scan()
    expect(first.counts).toMatchObject({ filesScanned: 23, filesUnchanged: 0 })

    rmSync(gone)
    writeFileSync(edit, `C=${vectaraKey('zut_')}\n`)
    tree.write('new.env', `D=${vectaraKey('zqt_')}\n`)
    const second = await app.scan()
    expect(second.counts).toMatchObject({ filesScanned: 2, filesUnchanged: 21 })
    const paths = allFindings(await app.call('scan.results', undefined)).map((f) => f.path)
    expect(paths.sort()).toEqual([edit, keep, tree.path('new.env')].sort())
  })

  it('keep stamps per folder: a folder inside another is read once, and by the outer when removed', async () => {
    tree.write('outer.env', `A=${vectaraKey('zqt_')}\n`)
    tree.write('inner/inner.env', `B=${vectaraKey('zqt_')}\n`)
    await app.call('scan.addFolder', { path: tree.root })
    const inner = (await app.call('scan.addFolder', { path: tree.path('inner') })).added
    expect((await app.scan()).counts).toMatchObject({ filesScanned: 2, filesUnchanged: 0 })
    const folders = allFindings(await app.call('scan.results', undefined)).map((f) => f.folder)
    expect(folders.sort()).toEqual([tree.root, tree.path('inner')])
    expect((await app.scan()).counts).toMatchObject({ filesScanned: 0, filesUnchanged: 2 })

    await app.call('scan.removeFolder', { folderId: inner.id })
    expect(allFindings(await app.call('scan.results', undefined))).toHaveLength(1)
    expect((await app.scan()).counts).toMatchObject({ filesScanned: 1, filesUnchanged: 1 })
    const after = allFindings(await app.call('scan.results', undefined))
    expect(after.map((f) => f.folder)).toEqual([tree.root, tree.root])
  })

  it('count binary files, list what was not read, and skip node_modules unless asked', async () => {
    tree.write('bin/blob.dat', Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(vectaraKey())]))
    tree.write('node_modules/lib/index.js', `const k = '${vectaraKey('zqt_')}'`)
    const outside = new TempTree()
    outside.write('secret.env', `K=${vectaraKey('zqt_')}`)
    symlinkSync(outside.path('secret.env'), tree.path('linked.env'))
    await app.call('scan.addFolder', { path: tree.root })
    const summary = await app.scan()
    outside.remove()
    expect(summary.counts?.binaryFiles).toBe(1)
    expect(summary.counts?.foldersExcluded).toBe(1)
    expect(summary.counts?.skipped.symlink).toBe(1)
    const results = await app.call('scan.results', undefined)
    expect(results.lastScan?.skipped).toEqual([
      { path: tree.path('linked.env'), reason: 'symlink' }
    ])
    expect(allFindings(results)).toEqual([])

    await app.call('scan.setOptions', {
      skipGitObjects: true,
      skipNodeModules: false,
      skipLargeFiles: true
    })
    expect((await app.call('scan.state', undefined)).options.skipNodeModules).toBe(false)
    await app.scan()
    const again = await app.call('scan.results', undefined)
    expect(allFindings(again).map((f) => f.path)).toContain(tree.path('node_modules/lib/index.js'))
  })
})

describe('cancel', () => {
  it('stops a scan of a big tree and keeps the previous results', async () => {
    tree.write('first.env', `A=${vectaraKey('zqt_')}\n`)
    await app.call('scan.addFolder', { path: tree.root })
    await app.scan()
    for (let d = 0; d < 40; d++) {
      for (let f = 0; f < 100; f++) tree.write(`big/${d}/${f}.txt`, 'lorem ipsum\n'.repeat(400))
    }
    const { scanId } = await app.call('scan.start', undefined)
    expect((await app.failure('scan.start', undefined)).code).toBe('CONFLICT')
    expect((await app.call('scan.cancel', undefined)).cancelled).toBe(true)
    const summary = await app.finished(scanId)
    expect(summary).toMatchObject({ outcome: 'cancelled', counts: null })
    expect(allFindings(await app.call('scan.results', undefined))).toHaveLength(1)
    expect((await app.call('scan.state', undefined)).running).toBeNull()
    expect((await app.call('scan.cancel', undefined)).cancelled).toBe(false)
  })

  it('reports progress as events while it runs', async () => {
    for (let i = 0; i < 300; i++) tree.write(`many/${i}.txt`, `line\n`.repeat(50))
    await app.call('scan.addFolder', { path: tree.root })
    const summary = await app.scan()
    const progress = app.events.filter((e) => e.name === 'scan.progress')
    expect(progress.length).toBeGreaterThan(0)
    expect(progress.at(-1)?.payload).toMatchObject({
      scanId: summary.scanId,
      filesScanned: 300,
      listingDone: true
    })
  })
})

describe('the router', () => {
  it('takes finding ids only: never a path, never an unknown id', async () => {
    tree.write('x.env', `K=${vectaraKey('zqt_')}`)
    await app.call('scan.addFolder', { path: tree.root })
    await app.scan()
    const { id } = findingIn(await app.call('scan.results', undefined), 'x.env')

    for (const name of ['scan.showInFolder', 'scan.disableKey']) {
      expect((await app.failure(name, { path: '/etc/passwd' })).code).toBe('BAD_INPUT')
      expect((await app.failure(name, { findingId: id, path: '/etc/passwd' })).code).toBe(
        'BAD_INPUT'
      )
      expect((await app.failure(name, { findingId: '/etc/passwd' })).code).toBe('BAD_INPUT')
      expect((await app.failure(name, { findingId: 99999 })).code).toBe('NOT_FOUND')
    }
    expect(
      (await app.failure('scan.ignore', { findingId: id, ignored: true, path: '/etc' })).code
    ).toBe('BAD_INPUT')
    expect((await app.failure('scan.ignore', { findingId: -1, ignored: true })).code).toBe(
      'BAD_INPUT'
    )
    expect((await app.failure('scan.removeFolder', { folderId: 4242 })).code).toBe('NOT_FOUND')
  })

  it('"Show in folder" copies the path when there is no file manager (the harness)', async () => {
    tree.write('y.env', `K=${vectaraKey('zqt_')}`)
    await app.call('scan.addFolder', { path: tree.root })
    await app.scan()
    const { id } = findingIn(await app.call('scan.results', undefined), 'y.env')
    expect(await app.call('scan.showInFolder', { findingId: id })).toEqual({
      how: 'copied',
      path: tree.path('y.env')
    })
    expect(await app.clipboard.readText()).toBe(tree.path('y.env'))
  })
})

describe('the port for rotation and Health', () => {
  it('lists where a key is, and replaces its secret in those files by finding id', async () => {
    const listed = await queryKeyNotInKeychain()
    const oldSecret = await app.listedSecret(listed.id)
    const a = tree.write('svc/a.env', `VECTARA_API_KEY=${oldSecret}\n`)
    tree.write('svc/b.env', `VECTARA_API_KEY=${oldSecret}\n`)
    const other = tree.write('svc/other.env', `X=${vectaraKey('zqt_')}\n`)
    await app.call('scan.addFolder', { path: tree.root })
    await app.scan()
    const scan = app.core.services.scan

    const locations = scan.findingsForKey('sandbox', listed.id)
    expect(locations.map((l) => l.path).sort()).toEqual([a, tree.path('svc/b.env')])
    expect(locations[0]).toMatchObject({
      root: tree.root,
      line: 1,
      column: 17,
      context: 'VECTARA_API_KEY=',
      masked: `zqt_…${oldSecret.slice(-4)}`
    })
    expect(scan.fileCountsByKey('sandbox').get(listed.id)).toBe(2)
    expect(scan.fileFindings.forAccount('sandbox')).toContainEqual({
      accountId: 'sandbox',
      keyId: listed.id,
      kind: 'query',
      files: 2
    })

    const otherId = findingIn(await app.call('scan.results', undefined), 'svc/other.env').id
    const newSecret = vectaraKey('zqt_')
    const outcomes = await scan.replaceInFiles(
      [locations[0].id, otherId, 424242],
      oldSecret,
      newSecret,
      { accountId: 'sandbox', keyId: 'aky_new' }
    )
    expect(outcomes).toEqual(
      expect.arrayContaining([
        {
          findingIds: [locations[0].id],
          lines: [1],
          path: a,
          status: 'replaced',
          occurrences: 1
        },
        expect.objectContaining({ findingIds: [otherId], path: other, reason: 'otherSecret' }),
        expect.objectContaining({ findingIds: [424242], path: null, reason: 'unknownFinding' })
      ])
    )
    expect(readFileSync(a, 'utf8')).toBe(`VECTARA_API_KEY=${newSecret}\n`)
    expect(scan.fileCountsByKey('sandbox').get(listed.id)).toBe(1)
    expect(scan.findingsForKey('sandbox', 'aky_new')).toMatchObject([
      { path: a, masked: `zqt_…${newSecret.slice(-4)}` }
    ])
    // A rescan reads the rewritten file and still finds the new secret there.
    await app.scan()
    expect(scan.findingsForKey('sandbox', 'aky_new')).toHaveLength(1)
  })
})
