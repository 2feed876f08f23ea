import { execFileSync, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import {
  chmodSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync
} from 'node:fs'
import { createServer, type Server } from 'node:net'
import { join } from 'node:path'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { closeScanThreads, prepareScanThreads, runScan } from '../../../src/main/scan/runScan'
import { ScanThreads } from '../../../src/main/scan/scanThreads'
import type { ScanOptions, ScanProgress, ScanResult } from '../../../src/main/scan/types'
import { requirePrerequisite } from '../../fixtures/prerequisites'
import { sandboxKey, vectaraKey } from './keys'
import { TempTree } from './tree'

let tree: TempTree
beforeEach(() => (tree = new TempTree()))
afterEach(() => tree.remove())
afterAll(() => closeScanThreads())

const scan = (options: Partial<ScanOptions> = {}): Promise<ScanResult> =>
  runScan({ roots: [tree.root], ...options })
const found = (result: ScanResult): string[] => result.findings.map((f) => f.secret).sort()
const relative = (path: string): string => path.slice(tree.root.length + 1)
const skippedAs = (result: ScanResult, reason: string): string[] =>
  result.skipped.filter((s) => s.reason === reason).map((s) => relative(s.path))

describe('runScan', () => {
  it('finds keys in nested folders and dotfiles, with file, line, column, kind and context', async () => {
    const [env, history, zsh, yaml, notebook] = [
      vectaraKey('zqt_'),
      vectaraKey('zut_'),
      sandboxKey('zwt_'),
      vectaraKey('zwt_'),
      vectaraKey('zqt_')
    ]
    tree.write('app/.env.local', `# local\nVECTARA_API_KEY=${env}\n`)
    tree.write('home/.bash_history', `ls\ncurl -H "x-api-key: ${history}" https://api.vectara.io\n`)
    tree.write('home/.zsh_history', `: 1700000000:0;export VECTARA_API_KEY=${zsh}\n`)
    tree.write('app/config/vectara.yaml', `vectara:\n  api_key: '${yaml}'\n`)
    tree.write(
      'notebooks/try.ipynb',
      JSON.stringify({ cells: [{ source: [`key = "${notebook}"\n`] }] })
    )
    tree.write('app/src/index.ts', 'export const nothing = "zqt_short"\n')

    const result = await scan()
    expect(result.counts.filesScanned).toBe(6)
    const byFile = Object.fromEntries(result.findings.map((f) => [relative(f.path), f]))
    expect(byFile).toMatchObject({
      'app/.env.local': {
        secret: env,
        kind: 'query',
        line: 2,
        column: 17,
        context: 'VECTARA_API_KEY='
      },
      'home/.bash_history': { secret: history, kind: 'personal', line: 2, context: 'x-api-key:' },
      'home/.zsh_history': { secret: zsh, kind: 'index', line: 1, context: 'VECTARA_API_KEY=' },
      'app/config/vectara.yaml': { secret: yaml, kind: 'index', line: 2, column: 13 },
      'notebooks/try.ipynb': { secret: notebook, kind: 'query', context: 'key=' }
    })
    for (const finding of result.findings) {
      expect(finding.fileSha256).toBe(
        createHash('sha256').update(readFileSync(finding.path)).digest('hex')
      )
    }
  })

  it('leaves out node_modules and .git/objects unless asked, and counts them', async () => {
    const [dep, object, hook] = [vectaraKey(), vectaraKey(), vectaraKey()]
    tree.write('node_modules/pkg/index.js', `k="${dep}"`)
    tree.write('.git/objects/ab/cdef', `${object}\n`)
    tree.write('.git/hooks/pre-commit', `KEY=${hook}\n`)

    const defaults = await scan()
    expect(found(defaults)).toEqual([hook])
    expect(defaults.counts.foldersExcluded).toBe(2)

    const everything = await scan({ skipNodeModules: false, skipGitObjects: false })
    expect(found(everything)).toEqual([dep, object, hook].sort())
    expect(everything.counts.foldersExcluded).toBe(0)
  })

  it('skips files over 10 MB unless asked, and finds keys deep in one when asked', async () => {
    const key = vectaraKey()
    const line = 'a line of a large log file, nothing secret here\n'
    const body = line.repeat(Math.ceil((11 * 1024 * 1024) / line.length))
    tree.write('big.log', `${body}token=${key}\n`)
    const lines = body.split('\n').length

    const defaults = await scan()
    expect(defaults.findings).toEqual([])
    expect(skippedAs(defaults, 'tooLarge')).toEqual(['big.log'])

    const all = await scan({ skipLargeFiles: false })
    expect(all.findings).toMatchObject([{ secret: key, line: lines, column: 7, context: 'token=' }])
  })

  it('skips and counts binary files', async () => {
    const key = vectaraKey()
    tree.write(
      'image.png',
      Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]), Buffer.from(key)])
    )
    tree.write('text.txt', `${key}\n`)
    const result = await scan()
    expect(result.counts.binaryFiles).toBe(1)
    expect(result.findings.map((f) => relative(f.path))).toEqual(['text.txt'])
  })

  it('follows no symbolic link, so links out, links in and link loops are listed, never read', async () => {
    const outside = new TempTree()
    try {
      const [out, inside] = [vectaraKey(), vectaraKey()]
      outside.write('secret.env', `K=${out}\n`)
      tree.write('real/inside.env', `K=${inside}\n`)
      symlinkSync(outside.root, tree.path('out-folder'))
      symlinkSync(outside.path('secret.env'), tree.path('out-file.env'))
      symlinkSync(tree.path('real'), tree.path('real-again'))
      symlinkSync(tree.path('loop-b'), tree.path('loop-a'))
      symlinkSync(tree.path('loop-a'), tree.path('loop-b'))
      symlinkSync(tree.root, tree.path('real/parent'))

      const result = await scan()
      // The key inside is found once, under its real path.
      expect(result.findings.map((f) => relative(f.path))).toEqual(['real/inside.env'])
      expect(skippedAs(result, 'symlink').sort()).toEqual(
        ['loop-a', 'loop-b', 'out-file.env', 'out-folder', 'real-again', 'real/parent'].sort()
      )
      expect(result.counts.skipped.symlink).toBe(6)
    } finally {
      outside.remove()
    }
  })

  it('scans a chosen folder that is itself a link, and a folder chosen twice once', async () => {
    const key = vectaraKey()
    tree.write('project/sub/.env', `K=${key}\n`)
    symlinkSync(tree.path('project'), tree.path('project-link'))
    const result = await runScan({
      roots: [tree.path('project-link'), tree.path('project/sub'), tree.path('project')]
    })
    expect(result.findings).toMatchObject([{ secret: key, path: tree.path('project/sub/.env') }])
  })

  it('lists at most 500 skipped entries of a kind, and counts them all', async () => {
    tree.folder('links')
    for (let i = 0; i < 520; i++) symlinkSync('/etc/hostname', tree.path(`links/l${i}`))
    tree.write('a.txt', 'text\n')
    const result = await scan()
    expect(result.counts.skipped.symlink).toBe(520)
    expect(skippedAs(result, 'symlink')).toHaveLength(500)
    expect(result.skippedTruncated).toBe(true)
  })

  it('lists FIFOs, sockets and device files without opening them', async () => {
    execFileSync('mkfifo', [tree.path('fifo')])
    const server: Server = createServer()
    await new Promise<void>((resolve) => server.listen(tree.path('sock'), resolve))
    try {
      const device = mknod(tree.path('null-device'))
      tree.write('plain.txt', `${vectaraKey()}\n`)
      const result = await scan()
      const special = ['fifo', 'sock', ...(device ? ['null-device'] : [])].sort()
      expect(skippedAs(result, 'special').sort()).toEqual(special)
      expect(result.findings).toHaveLength(1)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('scans a chosen file as well as a chosen folder', async () => {
    const [inFile, inFolder] = [vectaraKey(), vectaraKey()]
    const file = tree.write('single/.zsh_history', `export VECTARA_API_KEY=${inFile}\n`)
    tree.write('folder/.env', `K=${inFolder}\n`)
    const result = await runScan({ roots: [file, tree.path('folder')] })
    expect(found(result)).toEqual([inFile, inFolder].sort())
  })

  it('reports a chosen folder that does not exist, and scans the others', async () => {
    tree.write('a/.env', `K=${vectaraKey()}\n`)
    const result = await runScan({ roots: [tree.path('missing'), tree.path('a')] })
    expect(result.findings).toHaveLength(1)
    expect(result.skipped).toEqual([
      { path: tree.path('missing'), reason: 'vanished', code: 'ENOENT' }
    ])
  })

  it('finishes on an empty folder', async () => {
    const result = await scan()
    expect(result).toMatchObject({ findings: [], unchanged: [], skipped: [] })
    expect(result.counts).toMatchObject({ filesListed: 0, foldersScanned: 1 })
  })

  it('refuses bad input with a clear error', async () => {
    await expect(runScan({ roots: [] })).rejects.toThrow('Choose at least one folder to scan')
    await expect(runScan({ roots: ['relative/path'] })).rejects.toThrow('must be an absolute path')
    await expect(runScan({} as ScanOptions)).rejects.toThrow(TypeError)
  })

  it('streams progress and findings as it goes', async () => {
    for (let i = 0; i < 300; i++) tree.write(`d${i % 7}/f${i}.txt`, `line\n`.repeat(200))
    const keys = [vectaraKey(), vectaraKey()]
    tree.write('d1/.env', `A=${keys[0]}\n`)
    tree.write('d2/.env', `B=${keys[1]}\n`)
    const progress: ScanProgress[] = []
    const streamed: string[] = []
    const result = await runScan(
      { roots: [tree.root] },
      {
        onProgress: (p) => progress.push(p),
        onFindings: (batch) => streamed.push(...batch.map((f) => f.secret))
      }
    )
    expect(streamed.sort()).toEqual(keys.sort())
    const last = progress.at(-1)!
    expect(last).toMatchObject({
      filesListed: 302,
      filesScanned: 302,
      findings: 2,
      listingDone: true,
      bytesScanned: result.counts.bytesScanned
    })
    expect(JSON.stringify(progress)).not.toMatch(/z[uqw]t_[A-Za-z0-9_-]{38}/)
    // Counts only ever grow.
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i].filesScanned).toBeGreaterThanOrEqual(progress[i - 1].filesScanned)
    }
  })

  it('survives files deleted while it runs', async () => {
    for (let i = 0; i < 2000; i++) tree.write(`d${i % 20}/f${i}.txt`, `text ${i}\n`)
    let deleted = false
    const result = await runScan(
      { roots: [tree.root] },
      {
        onProgress: () => {
          if (deleted) return
          deleted = true
          for (const folder of readdirSync(tree.root))
            rmSync(tree.path(folder), { recursive: true })
        }
      }
    )
    const { counts } = result
    expect(counts.filesScanned + counts.skipped.vanished).toBeGreaterThanOrEqual(counts.filesListed)
    expect(result.skipped.every((s) => s.reason === 'vanished')).toBe(true)
  })

  it('cancels promptly: rejects with the abort reason and leaves no file open', async () => {
    for (let i = 0; i < 3000; i++) tree.write(`d${i % 30}/f${i}.txt`, `line ${i}\n`.repeat(100))
    await closeScanThreads()
    const fdsBefore = openFiles()
    const controller = new AbortController()
    const scanning = runScan(
      { roots: [tree.root] },
      { signal: controller.signal, onProgress: () => controller.abort() }
    )
    await expect(scanning).rejects.toMatchObject({ name: 'AbortError' })
    await closeScanThreads()
    expect(openFiles()).toBeLessThanOrEqual(fdsBefore)
    // An already cancelled signal does not start anything.
    await expect(
      runScan({ roots: [tree.root] }, { signal: controller.signal })
    ).rejects.toMatchObject({ name: 'AbortError' })
  })

  it('ends the scan with the error of a hook that throws, and keeps main running', async () => {
    tree.write('a.txt', 'text\n')
    const failing = runScan(
      { roots: [tree.root] },
      {
        onProgress: () => {
          throw new Error('the progress bar broke')
        }
      }
    )
    await expect(failing).rejects.toThrow('the progress bar broke')
  })

  it('runs scan after scan on the same threads, also after a cancel', async () => {
    const key = vectaraKey()
    tree.write('a/.env', `K=${key}\n`)
    for (let i = 0; i < 500; i++) tree.write(`b/f${i}.txt`, 'text\n'.repeat(50))
    const threads = await ScanThreads.start(2)
    try {
      const job = {
        roots: [tree.root],
        skipGitObjects: true,
        skipNodeModules: true,
        maxFileBytes: null,
        previous: null
      }
      expect(found(await threads.run(job))).toEqual([key])
      const controller = new AbortController()
      const cancelled = threads.run(job, {
        signal: controller.signal,
        onProgress: () => controller.abort()
      })
      await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' })
      const busy = threads.run(job)
      await expect(threads.run(job)).rejects.toThrow('A scan is already running')
      expect(found(await busy)).toEqual([key])
      expect(threads.usable).toBe(true)
    } finally {
      await threads.close()
    }
    await expect(threads.run({ roots: [tree.root] } as never)).rejects.toThrow('closed')
  })

  it('scans on threads started ahead, and starts new ones after they were closed', async () => {
    const key = vectaraKey()
    tree.write('.env', `K=${key}\n`)
    await prepareScanThreads()
    expect(found(await scan())).toEqual([key])
    await closeScanThreads()
    expect(found(await scan())).toEqual([key])
  })

  it('rescans only files whose size or modification time changed', async () => {
    const [kept, changed, added] = [vectaraKey(), vectaraKey(), vectaraKey()]
    tree.write('kept/.env', `K=${kept}\n`)
    const changing = tree.write('changing/.env', `K=${vectaraKey()}\n`)
    const removed = tree.write('removed.txt', 'nothing\n')
    const binary = tree.write('logo.png', Buffer.from([0x89, 0x50, 0, 0]))
    const first = await scan()
    expect(first.files.size).toBe(4)

    writeFileSync(changing, `K=${changed}\n`) // same size: only the time tells
    const later = new Date(Date.now() + 5_000)
    utimesSync(changing, later, later)
    rmSync(removed)
    tree.write('added/.env', `K=${added}\n`)

    const second = await scan({ previous: first.files })
    expect(found(second)).toEqual([changed, added].sort())
    expect(second.unchanged.map(relative).sort()).toEqual(['kept/.env', 'logo.png'])
    expect(second.counts).toMatchObject({ filesUnchanged: 2, filesScanned: 2 })
    expect([...second.files.keys()].map(relative).sort()).toEqual(
      ['added/.env', 'changing/.env', 'kept/.env', 'logo.png'].sort()
    )
    expect(second.files.get(changing)).toEqual({
      size: statSync(changing).size,
      mtimeMs: statSync(changing).mtimeMs
    })
    expect(second.files.get(binary)).toEqual(first.files.get(binary))
  })
})

/**
 * A character device in the tree. Only root may make one (FileScanner's test opens /dev/zero for
 * everyone else); root that may not (a locked-down container) is a missing prerequisite.
 */
function mknod(path: string): boolean {
  if (process.getuid?.() !== 0) {
    console.warn('SKIPPED: the device-file case of this test, which needs root to make a device')
    return false
  }
  const made = spawnSync('mknod', [path, 'c', '1', '3']).status === 0
  return requirePrerequisite(made, 'mknod for root', 'Run the tests where root may make devices.')
}

function openFiles(): number {
  return readdirSync('/proc/self/fd').length
}

describe('runScan in another process', () => {
  const isRoot = process.getuid?.() === 0
  const tsx = ['--import', 'tsx', join(import.meta.dirname, 'scanCli.ts')]

  /** Runs the scan in a child process, started through `wrapper` (a command and its arguments). */
  function scanIn(wrapper: string[], options: ScanOptions) {
    const args = [...wrapper.slice(1), process.execPath, ...tsx, JSON.stringify(options)]
    const run = spawnSync(wrapper[0], args, {
      cwd: join(import.meta.dirname, '../../..'),
      encoding: 'utf8',
      timeout: 60_000
    })
    if (run.status !== 0) throw new Error(`scan failed: ${run.stderr}`)
    return JSON.parse(run.stdout) as ScanResult & { files: string[] }
  }

  // Root reads everything: there, the scan runs as root without the capabilities that override
  // file permissions, so a mode of 000 stops it as it stops anyone.
  const withoutOverride = [
    'setpriv',
    ...['--bounding-set', '-dac_override,-dac_read_search'],
    ...['--inh-caps', '-dac_override,-dac_read_search']
  ]

  it('lists unreadable files and folders and goes on', async (context) => {
    const key = vectaraKey()
    tree.write('open/.env', `K=${key}\n`)
    tree.write('closed-file/.env', `K=${vectaraKey()}\n`)
    tree.write('closed-folder/.env', `K=${vectaraKey()}\n`)
    chmodSync(tree.path('closed-file/.env'), 0o000)
    chmodSync(tree.path('closed-folder'), 0o000)
    if (isRoot) {
      const probe = spawnSync(withoutOverride[0], [
        ...withoutOverride.slice(1),
        'cat',
        tree.path('closed-file/.env')
      ])
      const dropped = requirePrerequisite(
        probe.status !== 0 && probe.stderr.toString().includes('Permission denied'),
        'setpriv, to run a scan as root without the capabilities that override permissions',
        'Run the tests as another user, or where root may drop capabilities.'
      )
      if (!dropped) return context.skip()
    }
    try {
      const result = isRoot
        ? scanIn(withoutOverride, { roots: [tree.root] })
        : await runScan({ roots: [tree.root] })
      expect(result.findings.map((f) => f.secret)).toEqual([key])
      expect(result.skipped.map((s) => [relative(s.path), s.reason, s.code]).sort()).toEqual([
        ['closed-file/.env', 'unreadable', 'EACCES'],
        ['closed-folder', 'unreadable', 'EACCES']
      ])
      expect(result.counts.skipped.unreadable).toBe(2)
    } finally {
      chmodSync(tree.path('closed-folder'), 0o755)
    }
  })

  // A mount namespace of the scan's own, so the mount vanishes with its process; anyone else
  // than root gets one inside a user namespace, where they are root.
  const unshare = [
    'unshare',
    ...(isRoot ? [] : ['--user', '--map-root-user']),
    '--mount',
    '--propagation',
    'private'
  ]
  const canMount = (): boolean =>
    spawnSync(unshare[0], [...unshare.slice(1), 'sh', '-c', 'mount --bind / /mnt']).status === 0

  it('lists a bind-mount loop (a parent mounted inside its child) once', (context) => {
    const prerequisite = requirePrerequisite(
      canMount(),
      'mount namespaces (`unshare --mount`, and `mount --bind` inside)',
      'Run the tests where unshare may make a mount namespace.'
    )
    if (!prerequisite) return context.skip()
    const key = vectaraKey()
    tree.write('top/.env', `K=${key}\n`)
    tree.folder('top/child/mnt')
    const top = tree.path('top')
    const result = scanIn(
      [...unshare, 'sh', '-c', `mount --bind "${top}" "${top}/child/mnt" && exec "$0" "$@"`],
      { roots: [top] }
    )
    expect(result.findings.map((f) => f.secret)).toEqual([key])
    expect(result.skipped).toEqual([{ path: join(top, 'child/mnt'), reason: 'loop' }])
  })
})
