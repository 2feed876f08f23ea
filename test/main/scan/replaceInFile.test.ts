import { createHash } from 'node:crypto'
import {
  chmodSync,
  linkSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { replaceInFile, type ReplaceRequest } from '../../../src/main/scan/replaceInFile'
import { closeScanThreads, runScan } from '../../../src/main/scan/runScan'
import { sandboxKey, vectaraKey } from './keys'
import { TempTree } from './tree'

let tree: TempTree
beforeEach(() => (tree = new TempTree()))
afterEach(() => tree.remove())
afterAll(() => closeScanThreads())

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex')

/** A request as the integrator builds it: the scanned folder and the content it saw. */
function request(path: string, oldSecret: string, newSecret: string): ReplaceRequest {
  return { path, root: tree.root, expectedSha256: sha256(readFileSync(path)), oldSecret, newSecret }
}

/** Nothing but the file itself in its folder: no temporary file is left behind. */
function folderHolds(folder: string, names: string[]): void {
  expect(readdirSync(folder).sort()).toEqual(names.sort())
}

describe('replaceInFile', () => {
  it('replaces every occurrence and keeps every other byte, CRLF and a missing final newline too', async () => {
    const [old, next] = [vectaraKey(), vectaraKey()]
    const before = `\uFEFFA=1\r\nVECTARA_API_KEY=${old}\r\n# again: "${old}"\r\nlast ${old}`
    const path = tree.write('app/.env', before)
    chmodSync(path, 0o640)
    const outcome = await replaceInFile(request(path, old, next))
    const after = before.split(old).join(next)
    expect(outcome).toEqual({ status: 'replaced', path, occurrences: 3, sha256: sha256(after) })
    expect(readFileSync(path, 'utf8')).toBe(after)
    expect(statSync(path).mode & 0o7777).toBe(0o640)
    folderHolds(tree.path('app'), ['.env'])
  })

  it('replaces exact whole occurrences only', async () => {
    const [old, next] = [vectaraKey(), vectaraKey()]
    const longer = old + 'XY' // a 40-character key that starts like the old one
    const lines = [`A=${old}`, `B=${longer}`, `C=${old.toUpperCase()}`, `D=x${old}`, `E='${old}'`]
    const path = tree.write('config.txt', lines.join('\n'))
    const outcome = await replaceInFile(request(path, old, next))
    expect(outcome).toMatchObject({ status: 'replaced', occurrences: 2 })
    expect(readFileSync(path, 'utf8').split('\n')).toEqual([
      `A=${next}`,
      `B=${longer}`,
      `C=${old.toUpperCase()}`,
      `D=x${old}`,
      `E='${next}'`
    ])
  })

  it('uses what a scan found: its path and fingerprint', async () => {
    const [old, next] = [sandboxKey('zwt_'), sandboxKey('zwt_')]
    tree.write('notebooks/try.ipynb', JSON.stringify({ cells: [{ source: [`key = "${old}"\n`] }] }))
    const [finding] = (await runScan({ roots: [tree.root] })).findings
    const outcome = await replaceInFile({
      path: finding.path,
      root: tree.root,
      expectedSha256: finding.fileSha256,
      oldSecret: finding.secret,
      newSecret: next
    })
    expect(outcome).toMatchObject({ status: 'replaced', occurrences: 1 })
    expect(JSON.parse(readFileSync(finding.path, 'utf8')).cells[0].source[0]).toBe(
      `key = "${next}"\n`
    )
  })

  it('skips a file that changed since the scan, untouched', async () => {
    const [old, next] = [vectaraKey(), vectaraKey()]
    const path = tree.write('.env', `K=${old}\n`)
    const scanned = request(path, old, next)
    writeFileSync(path, `K=${old}\nADDED=1\n`)
    const outcome = await replaceInFile(scanned)
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'changed' })
    expect(readFileSync(path, 'utf8')).toBe(`K=${old}\nADDED=1\n`)
    folderHolds(tree.root, ['.env'])
  })

  it('skips a read-only file and leaves its mode alone', async () => {
    const [old, next] = [vectaraKey(), vectaraKey()]
    const path = tree.write('.env', `K=${old}\n`)
    chmodSync(path, 0o444)
    const outcome = await replaceInFile(request(path, old, next))
    expect(outcome).toMatchObject({
      status: 'skipped',
      reason: 'readOnly',
      message: 'The file is read-only'
    })
    expect(statSync(path).mode & 0o7777).toBe(0o444)
    expect(readFileSync(path, 'utf8')).toBe(`K=${old}\n`)
  })

  it('never writes through a symbolic link, even one that points inside the folder', async () => {
    const [old, next] = [vectaraKey(), vectaraKey()]
    const target = tree.write('real.env', `K=${old}\n`)
    const link = tree.path('link.env')
    symlinkSync(target, link)
    const outcome = await replaceInFile({ ...request(target, old, next), path: link })
    expect(outcome).toMatchObject({ status: 'skipped', reason: 'symlink' })
    expect(readFileSync(target, 'utf8')).toBe(`K=${old}\n`)
  })

  it('skips a file outside the allowed folder, also when a linked folder leads there', async () => {
    const outside = new TempTree()
    try {
      const [old, next] = [vectaraKey(), vectaraKey()]
      const file = outside.write('secret.env', `K=${old}\n`)
      symlinkSync(outside.root, tree.path('linked-folder'))
      for (const path of [file, tree.path('linked-folder/secret.env')]) {
        const outcome = await replaceInFile({ ...request(file, old, next), path })
        expect(outcome).toMatchObject({ status: 'skipped', reason: 'outsideRoot' })
      }
      expect(readFileSync(file, 'utf8')).toBe(`K=${old}\n`)
    } finally {
      outside.remove()
    }
  })

  it('skips a file whose old secret is gone, one that is gone, and one with other hard links', async () => {
    const [old, next] = [vectaraKey(), vectaraKey()]
    const path = tree.write('.env', `K=${vectaraKey()}\n`)
    expect(await replaceInFile(request(path, old, next))).toMatchObject({ reason: 'secretAbsent' })
    const linked = tree.write('linked.env', `K=${old}\n`)
    linkSync(linked, tree.path('other-name.env'))
    expect(await replaceInFile(request(linked, old, next))).toMatchObject({ reason: 'hardLinked' })
    const missing = { ...request(path, old, next), path: tree.path('missing.env') }
    expect(await replaceInFile(missing)).toMatchObject({ reason: 'notFound' })
    expect(readFileSync(linked, 'utf8')).toBe(`K=${old}\n`)
  })

  it('refuses bad requests with a clear error', async () => {
    const path = tree.write('.env', 'x')
    const good = request(path, vectaraKey(), vectaraKey())
    await expect(replaceInFile({ ...good, path: 'relative.env' })).rejects.toThrow('absolute path')
    await expect(replaceInFile({ ...good, root: '.' })).rejects.toThrow('absolute path')
    await expect(replaceInFile({ ...good, expectedSha256: 'abc' })).rejects.toThrow('SHA-256')
    await expect(replaceInFile({ ...good, newSecret: '' })).rejects.toThrow('old and the new')
    await expect(replaceInFile({ ...good, newSecret: good.oldSecret })).rejects.toThrow(
      'the old one'
    )
  })
})
