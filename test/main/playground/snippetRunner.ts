import { execFile, execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SnippetId } from '@shared/playground/snippets'
import { requirePrerequisite } from '../../fixtures/prerequisites'

/** `python3 -c 'import requests'` works here: the Python snippet can be run. */
export const havePythonRequests = requirePrerequisite(
  succeeds('python3', ['-c', 'import requests']),
  'python3 with the requests package',
  'Install Debian\'s python3-requests (".ci/run" does), or `pip install requests`.'
)

/** `python3` itself: enough to compile the SDK snippet. */
export const havePython = requirePrerequisite(
  succeeds('python3', ['--version']),
  'python3',
  'Install Debian\'s python3 (".ci/run" installs python3-requests, which brings it).'
)

export interface SnippetRun {
  stdout: string
  stderr: string
  code: number
}

const runners: Partial<Record<SnippetId, { file: string; command: string; args: string[] }>> = {
  javascript: { file: 'query.mjs', command: process.execPath, args: [] },
  python: { file: 'query.py', command: 'python3', args: [] },
  curl: { file: 'query.sh', command: 'sh', args: [] }
}

/**
 * Runs a snippet as a user would: saved to a file, run with node / python3 / sh, the key only in
 * `VECTARA_API_KEY` (or not at all, with `key: null`).
 */
export async function runSnippet(
  id: SnippetId,
  code: string,
  key: string | null
): Promise<SnippetRun> {
  const runner = runners[id]
  if (!runner) throw new Error(`The ${id} snippet is not run here.`)
  const dir = mkdtempSync(join(tmpdir(), 'vkm-snippet-'))
  try {
    const path = join(dir, runner.file)
    writeFileSync(path, code)
    const env: NodeJS.ProcessEnv = { ...process.env, PYTHONIOENCODING: 'utf-8' }
    delete env.VECTARA_API_KEY
    if (key !== null) env.VECTARA_API_KEY = key
    return await new Promise((resolve) => {
      execFile(
        runner.command,
        [...runner.args, path],
        { env, cwd: dir, timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0
          resolve({ stdout, stderr, code })
        }
      )
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** `Search results: N`, the line every snippet prints first. */
export function resultCountOf(run: SnippetRun): number {
  const match = /^Search results: (\d+)$/m.exec(run.stdout)
  if (!match) {
    throw new Error(`No "Search results:" line.\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`)
  }
  return Number(match[1])
}

/** `python3 -m py_compile`: the code parses as Python 3. */
export function compilesAsPython(code: string): { ok: boolean; error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'vkm-snippet-'))
  try {
    const path = join(dir, 'query.py')
    writeFileSync(path, code)
    execFileSync('python3', ['-m', 'py_compile', path], { stdio: 'pipe' })
    return { ok: true, error: '' }
  } catch (error) {
    return { ok: false, error: String((error as { stderr?: Buffer }).stderr ?? error) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * Evaluates the literal keyword arguments of the SDK snippet's `client.query…(…)` call with
 * Python's own parser (`ast.literal_eval`), nested SDK classes read as dicts: what the SDK would
 * be given, without the SDK.
 */
export function sdkCallArguments(code: string): { method: string; arguments: unknown } {
  const script = String.raw`
import ast, json, sys
tree = ast.parse(sys.stdin.read())
def value(node):
    if isinstance(node, ast.Call):
        return {"__class__": node.func.id, **{k.arg: value(k.value) for k in node.keywords}}
    if isinstance(node, ast.List):
        return [value(item) for item in node.elts]
    return ast.literal_eval(node)
for node in ast.walk(tree):
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr.startswith("query"):
        print(json.dumps({"method": node.func.attr, "arguments": {k.arg: value(k.value) for k in node.keywords}}))
        break
`
  const out = execFileSync('python3', ['-c', script], { input: code, encoding: 'utf-8' })
  return JSON.parse(out) as { method: string; arguments: unknown }
}

export interface CapturedRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  body: string
}

/**
 * A loopback stand-in for Vectara that records each request exactly as it arrived and answers
 * a fixed result (JSON, or events when `Accept: text/event-stream`), so a snippet's quoting is
 * checked on the wire.
 */
export async function startCaptureServer(): Promise<{
  url: string
  requests: CapturedRequest[]
  close(): Promise<void>
}> {
  const requests: CapturedRequest[] = []
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf-8')
      })
      if (req.headers.accept === 'text/event-stream') {
        res.writeHead(200, { 'content-type': 'text/event-stream' })
        for (const event of CAPTURE_EVENTS) {
          res.write(`event:${event.type}\ndata:${JSON.stringify(event)}\n\n`)
        }
        res.end()
      } else {
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify(CAPTURE_ANSWER))
      }
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}

export const CAPTURE_ANSWER = {
  search_results: [{ text: 'First <em>match</em>', score: 0.9 }, { text: 'Second' }],
  summary: 'Twenty weeks [1].',
  factual_consistency_score: 0.75
}

const CAPTURE_EVENTS = [
  { type: 'search_results', search_results: CAPTURE_ANSWER.search_results },
  { type: 'generation_chunk', generation_chunk: 'Twenty ' },
  { type: 'generation_chunk', generation_chunk: 'weeks [1].' },
  { type: 'generation_end' },
  { type: 'factual_consistency_score', factual_consistency_score: 0.75 },
  { type: 'end' }
]

function succeeds(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}
