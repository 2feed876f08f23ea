import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { join } from 'node:path'

export const ROOT = join(import.meta.dirname, '../..')

export interface HarnessProcess {
  url: string
  origin: string
  dataDir: string
  /** Everything the harness wrote to stderr (its log), for secret scans and debugging. */
  logs(): string
  /** SIGTERM and wait; resolves with the exit code. */
  stop(): Promise<number | null>
  child: ChildProcess
}

/**
 * Starts `npm run harness` the way a developer would (minus npm, to keep signals direct) and
 * reads its one JSON line. The keychain service name is the test one, never the real app's.
 */
export async function startHarnessProcess(
  extraArgs: string[] = [],
  env: NodeJS.ProcessEnv = {}
): Promise<HarnessProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/harness/cli.ts', ...extraArgs], {
    cwd: ROOT,
    env: { ...process.env, VKM_KEYCHAIN_SERVICE: 'vectara-key-manager-test', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const lines = createInterface({ input: child.stdout! })
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`harness did not start in 60 s:\n${stderr}`)),
      60_000
    )
    lines.once('line', (line) => {
      clearTimeout(timer)
      resolve(line)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`harness exited with ${code} before printing its URL:\n${stderr}`))
    })
  })
  const info = JSON.parse(first) as { url: string; data_dir: string }
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code))
  )
  return {
    url: info.url,
    origin: new URL(info.url).origin,
    dataDir: info.data_dir,
    logs: () => stderr,
    child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM')
      return exited
    }
  }
}

/**
 * The harness's test switches: keychain on/off, Sandbox up/down, clipboard, propagation delay,
 * stream pacing, backdated keys, key secrets kept by Vectara, moving the app's clock forward (ms).
 */
export async function harnessControl(
  harness: Pick<HarnessProcess, 'url' | 'origin'>,
  action:
    | 'keychain'
    | 'sandbox'
    | 'clipboard'
    | 'propagationMs'
    | 'streamChunkMs'
    | 'backdateKeys'
    | 'withholdKeySecrets'
    | 'advanceClock',
  value?: unknown
): Promise<Record<string, unknown>> {
  const token = new URL(harness.url).searchParams.get('token')!
  const response = await fetch(`${harness.origin}/__api/control`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-harness-token': token },
    body: JSON.stringify({ action, value })
  })
  if (!response.ok) throw new Error(`harness control ${action} answered ${response.status}`)
  return (await response.json()) as Record<string, unknown>
}
