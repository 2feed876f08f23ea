import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync, rmSync, statSync, symlinkSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { detectSecrets } from '../../../src/main/scan/detector'
import { FileScanner, type FileOutcome } from '../../../src/main/scan/fileScanner'
import { sandboxKey, vectaraKey } from './keys'
import { TempTree } from './tree'

let tree: TempTree
beforeEach(() => (tree = new TempTree()))
afterEach(() => tree.remove())

const sha256 = (path: string): string =>
  createHash('sha256').update(readFileSync(path)).digest('hex')

function scanned(outcome: FileOutcome): Extract<FileOutcome, { kind: 'scanned' }> {
  expect(outcome.kind).toBe('scanned')
  return outcome as Extract<FileOutcome, { kind: 'scanned' }>
}

describe('FileScanner', () => {
  const scanner = (): FileScanner => new FileScanner({ maxFileBytes: 10 * 1024 * 1024 })

  it('finds keys and fingerprints the bytes it read', () => {
    const key = vectaraKey()
    const path = tree.write('.env', `A=1\r\nVECTARA_API_KEY=${key}\r\n`)
    const outcome = scanned(scanner().scan(path))
    expect(outcome.matches).toMatchObject([{ secret: key, line: 2, column: 17 }])
    expect(outcome.sha256).toBe(sha256(path))
    expect(outcome.stamp).toEqual({ size: statSync(path).size, mtimeMs: statSync(path).mtimeMs })
  })

  it('reads files one after another through the same buffer without mixing them up', () => {
    const one = new FileScanner({ maxFileBytes: null })
    const key = vectaraKey()
    // A long file leaves its bytes in the buffer; a short file after it must not see them.
    const long = tree.write('long.txt', `${'x'.repeat(5000)} ${key}\n`)
    const short = tree.write('short.txt', 'x'.repeat(4000))
    expect(scanned(one.scan(long)).matches).toHaveLength(1)
    expect(scanned(one.scan(short)).matches).toEqual([])
    expect(scanned(one.scan(tree.write('empty', ''))).matches).toEqual([])
  })

  it('skips a file with a NUL byte in its first 8 KB as binary, but not one with a NUL after', () => {
    const key = vectaraKey()
    const binary = tree.write('a.bin', Buffer.concat([Buffer.from([0x89, 0]), Buffer.from(key)]))
    expect(scanner().scan(binary).kind).toBe('binary')
    const late = tree.write(
      'late.log',
      Buffer.concat([Buffer.from('x'.repeat(8192) + ' ' + key + '\n'), Buffer.from([0])])
    )
    expect(scanned(scanner().scan(late)).matches).toMatchObject([{ secret: key }])
  })

  it('reports a file deleted after it was listed as vanished', () => {
    const path = tree.write('gone.txt', 'text')
    rmSync(path)
    expect(scanner().scan(path)).toEqual({ kind: 'skipped', reason: 'vanished', code: 'ENOENT' })
  })

  it('never opens a FIFO for reading, and does not wait for a writer', () => {
    const path = tree.path('pipe')
    execFileSync('mkfifo', [path])
    expect(scanner().scan(path)).toEqual({ kind: 'skipped', reason: 'special' })
  })

  it('does not read a device file', () => {
    expect(scanner().scan('/dev/zero')).toEqual({ kind: 'skipped', reason: 'special' })
  })

  it('does not follow a symbolic link put where a file was listed', () => {
    const target = tree.write('outside/secret.env', `K=${vectaraKey()}\n`)
    const link = tree.path('inside/link.env')
    tree.folder('inside')
    symlinkSync(target, link)
    expect(scanner().scan(link)).toMatchObject({ kind: 'skipped', reason: 'symlink' })
  })

  it('reports a folder where a file was listed as vanished', () => {
    expect(scanner().scan(tree.folder('now-a-folder'))).toMatchObject({ reason: 'vanished' })
  })

  it('skips a file over the size limit', () => {
    const path = tree.write('big.txt', 'x'.repeat(101))
    const small = new FileScanner({ maxFileBytes: 100 })
    expect(small.scan(path)).toEqual({ kind: 'skipped', reason: 'tooLarge' })
    expect(small.bytesRead).toBe(0)
  })

  it('reads a file larger than its buffer in windows, with the same findings', () => {
    const keys = Array.from({ length: 60 }, (_, i) => (i % 2 ? vectaraKey('zwt_') : sandboxKey()))
    const lines: string[] = []
    for (let i = 0; i < 3000; i++) {
      lines.push(
        i % 50 === 7
          ? `KEY_${i}="${keys[(i / 50) | 0]}"`
          : `line ${i} zebra zqt_ ${'é'.repeat(i % 9)}`
      )
    }
    const text = lines.join('\r\n')
    const path = tree.write('windows.txt', text)
    const whole = detectSecrets(Buffer.from(text)).map(({ offset: _, ...rest }) => rest)
    expect(whole).toHaveLength(60)
    for (const bufferBytes of [4096, 5000, 65536]) {
      const outcome = scanned(new FileScanner({ maxFileBytes: null, bufferBytes }).scan(path))
      expect(outcome.matches.map(({ offset: _, ...rest }) => rest)).toEqual(whole)
      expect(outcome.sha256).toBe(sha256(path))
    }
  })

  it('stops between windows of a large file when cancelled', () => {
    const path = tree.write('large.txt', 'line\n'.repeat(10_000))
    let asked = 0
    const cancelling = new FileScanner({
      maxFileBytes: null,
      bufferBytes: 4096,
      isCancelled: () => ++asked > 2
    })
    expect(cancelling.scan(path)).toEqual({ kind: 'cancelled' })
    expect(cancelling.bytesRead).toBeLessThan(50_000)
  })

  it('does not open a file whose size and modification time are unchanged', () => {
    const path = tree.write('same.txt', `K=${vectaraKey()}\n`)
    const { size, mtimeMs } = statSync(path)
    const once = scanner()
    expect(once.scan(path, { size, mtimeMs })).toEqual({
      kind: 'unchanged',
      stamp: { size, mtimeMs }
    })
    expect(once.bytesRead).toBe(0)
    expect(once.scan(path, { size, mtimeMs: mtimeMs - 1 }).kind).toBe('scanned')
    expect(once.scan(path, { size: size + 1, mtimeMs }).kind).toBe('scanned')
  })
})
