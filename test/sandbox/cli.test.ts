import { spawn, type ChildProcess } from 'node:child_process'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { call, tempDir } from './helpers'

const ROOT = resolve(import.meta.dirname, '../..')
const CLI = 'src/sandbox/cli.ts'

interface Running {
  child: ChildProcess
  stdout: () => string
  stderr: () => string
  exited: Promise<number | null>
}

// Cleaned up after all tests, not each: the flag checks run concurrently.
const running: Running[] = []
afterAll(() => {
  for (const r of running.splice(0)) if (r.child.exitCode === null) r.child.kill('SIGKILL')
})

/**
 * Runs cli.ts through tsx's loader in one process with this same Node (so better-sqlite3
 * loads). Not through the `tsx` command: its parent process relays signals to a child and
 * SIGKILLs it (exit 143) when the child does not acknowledge within 30 ms, which a loaded test
 * machine misses; what is under test here is the CLI's own signal handling.
 */
function run(args: string[]): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: ROOT,
    env: { ...process.env, VKM_LOG_LEVEL: 'info' }
  })
  let out = ''
  let err = ''
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
  // 'close', not 'exit': only then has everything the child wrote been read.
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)))
  const handle = { child, stdout: () => out, stderr: () => err, exited }
  running.push(handle)
  return handle
}

async function ready(r: Running): Promise<{ url: string; personal_key: string }> {
  const deadline = Date.now() + 15_000
  while (!r.stdout().includes('\n')) {
    if (r.child.exitCode !== null) throw new Error(`CLI exited ${r.child.exitCode}: ${r.stderr()}`)
    if (Date.now() > deadline) throw new Error(`CLI printed nothing: ${r.stderr()}`)
    await new Promise((done) => setTimeout(done, 25))
  }
  return JSON.parse(r.stdout().split('\n')[0]) as { url: string; personal_key: string }
}

async function stop(r: Running, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  r.child.kill(signal)
  return r.exited
}

describe('npm run sandbox (cli.ts)', () => {
  it('prints exactly one JSON line, serves, and exits 0 on SIGTERM', async () => {
    const r = run(['--port', '0', '--propagation-ms', '0'])
    const printed = await ready(r)
    expect(Object.keys(printed).sort()).toEqual(['personal_key', 'url'])
    expect(printed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(printed.personal_key).toMatch(/^zut_[A-Za-z0-9]{40}$/)
    const sandbox = { url: printed.url, personalKey: printed.personal_key }
    expect((await call(sandbox, 'GET', '/v2/corpora')).status).toBe(200)
    expect(await stop(r, 'SIGTERM')).toBe(0)
    expect(r.stdout().trimEnd().split('\n')).toHaveLength(1)
    expect(r.stderr()).toMatch(/listening on/)
    expect(r.stderr()).toMatch(/shutting down/)
    expect(r.stderr()).not.toContain(printed.personal_key)
  })

  it('exits 0 on SIGINT too, even when the signal comes twice', async () => {
    const r = run([])
    await ready(r)
    r.child.kill('SIGINT')
    expect(await stop(r, 'SIGINT')).toBe(0)
    expect(r.stderr().match(/received, shutting down/g)).toHaveLength(1)
  })

  it('starts the same way through the tsx command that `npm run sandbox` uses', async () => {
    const tsxCli = createRequire(import.meta.url).resolve('tsx/cli')
    let out = ''
    const child = spawn(process.execPath, [tsxCli, CLI, '--port', '0'], { cwd: ROOT })
    const r: Running = {
      child,
      stdout: () => out,
      stderr: () => '',
      exited: new Promise((done) => child.on('close', done))
    }
    running.push(r)
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    const printed = await ready(r)
    expect(
      (await call({ url: printed.url, personalKey: printed.personal_key }, 'GET', '/v2/api_keys'))
        .status
    ).toBe(200)
    child.kill('SIGTERM')
    await r.exited
    expect(out.trimEnd().split('\n')).toHaveLength(1)
  })

  it('persists with --data and restarts with the same keys; honours --personal-key and --seed-keys', async () => {
    const dir = tempDir()
    try {
      const first = run(['--data', dir.path, '--seed-keys', '20'])
      const a = await ready(first)
      const created = await call(
        { url: a.url, personalKey: a.personal_key },
        'POST',
        '/v2/api_keys',
        {
          body: { name: 'from-cli', api_key_role: 'serving', corpus_keys: ['product-faq'] }
        }
      )
      expect(await stop(first)).toBe(0)

      const second = run(['--data', dir.path])
      const b = await ready(second)
      expect(b.personal_key).toBe(a.personal_key)
      const sandbox = { url: b.url, personalKey: b.personal_key }
      expect((await call(sandbox, 'GET', `/v2/api_keys/${created.body.id}`)).body.secret_key).toBe(
        created.body.secret_key
      )
      const all = await call(sandbox, 'GET', '/v2/api_keys?limit=100')
      expect(all.body.api_keys).toHaveLength(6 + 20 + 1)
      expect(await stop(second)).toBe(0)

      const chosen = 'zut_FromTheCommandLine_42'
      const third = run(['--data', dir.path, '--personal-key', chosen])
      expect((await ready(third)).personal_key).toBe(chosen)
      expect(await stop(third)).toBe(0)
    } finally {
      dir.remove()
    }
  })

  it.concurrent.each([
    [['--port', 'abc'], /--port must be an integer/],
    [['--port', '70000'], /--port must be an integer from 0 to 65535/],
    [['--propagation-ms', '1.5'], /--propagation-ms must be an integer/],
    [['--seed-keys', 'many'], /--seed-keys must be an integer/],
    [['--personal-key', 'zqt_notpersonal123'], /--personal-key must be zut_/],
    [['--data', ''], /--data needs a folder path/],
    [['--colour', 'blue'], /Unknown option '--colour'/],
    [['extra'], /positional/i]
  ])('exits 2 with a clear message for %j', async (args, message) => {
    const r = run(args)
    expect(await r.exited).toBe(2)
    expect(r.stdout()).toBe('')
    expect(r.stderr()).toMatch(message)
    expect(r.stderr()).toMatch(/Usage: npm run sandbox/)
  })

  it('--help prints usage on stderr and exits 0', async () => {
    const r = run(['--help'])
    expect(await r.exited).toBe(0)
    expect(r.stdout()).toBe('')
    expect(r.stderr()).toMatch(/--propagation-ms/)
  })
})
