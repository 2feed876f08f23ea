import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { appendFileSync, mkdtempSync, readFileSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MemoryClipboard } from '../../src/main/clipboard'
import { createAppCore, type AppCore } from '../../src/main/core'
import { KeytarSecretStore } from '../../src/main/secrets/keytarSecretStore'
import { SwitchableSecretStore } from '../../src/main/secrets/switchableSecretStore'
import { createLogger } from '../../src/main/log'
import { mimeTypeFor, resolveAppFile } from '../../src/main/protocol'
import { CONTENT_SECURITY_POLICY } from '../../src/main/security'
import type { SecretStore } from '../../src/main/secrets/secretStore'
import { secretWithholdingFetch } from './withholdSecrets'
import { AdjustableClock } from './clock'

export const HARNESS_KEYCHAIN_SERVICE = 'vectara-key-manager-test'
const MAX_BODY_BYTES = 1024 * 1024

export interface HarnessOptions {
  port?: number
  /** Folder for the database and logs; a fresh temp folder when absent. */
  dataDir?: string
  rendererDir: string
  bridgeScript: string
  keychainService?: string
  secrets?: SecretStore
  appVersion?: string
  /** Disable/enable/delete delay of the embedded Sandbox (the app uses 20 s). */
  sandboxPropagationMs?: number
  sandboxSeedKeys?: number
}

export interface Harness {
  url: string
  origin: string
  dataDir: string
  token: string
  core: AppCore
  logFile: string
  /** Fault injection for tests: the keychain can be switched off. */
  keychain: SwitchableSecretStore
  /** The app's clock, which the `advanceClock` switch moves forward. */
  clock: AdjustableClock
  clipboard: MemoryClipboard
  close(): Promise<void>
}

/**
 * Runs the real router and services behind a loopback HTTP endpoint, serves the built renderer,
 * and injects a bridge that implements window.api over that endpoint. Every API request must
 * carry the random token, come from our own origin, and name our host (no DNS rebinding).
 */
export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vkm-harness-'))
  const logFile = join(dataDir, 'harness.log')
  const logger = createLogger((line) => {
    appendFileSync(logFile, line + '\n')
    process.stderr.write(line + '\n')
  })
  const keychain = new SwitchableSecretStore(
    options.secrets ??
      new KeytarSecretStore({
        service:
          options.keychainService ?? process.env.VKM_KEYCHAIN_SERVICE ?? HARNESS_KEYCHAIN_SERVICE
      })
  )
  const clipboard = new MemoryClipboard()
  const api = secretWithholdingFetch()
  const clock = new AdjustableClock()
  const core = await createAppCore({
    clock,
    runtime: 'harness',
    appVersion: options.appVersion ?? readAppVersion(),
    dataDir,
    secrets: keychain,
    clipboard,
    logger,
    sandboxPropagationMs: options.sandboxPropagationMs,
    sandboxSeedKeys: options.sandboxSeedKeys,
    vectaraClient: { fetch: api.fetch }
  })
  const token = randomBytes(24).toString('base64url')
  const eventClients = new Set<ServerResponse>()
  const unsubscribe = core.events.subscribe((name, payload) => {
    const line = JSON.stringify({ name, payload }) + '\n'
    for (const client of eventClients) {
      // A page that just closed: its socket may be gone before its 'close' event has run.
      if (client.destroyed || client.writableEnded) eventClients.delete(client)
      else client.write(line)
    }
  })

  let origin = ''
  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.error('harness request failed', error)
      if (!res.headersSent) sendJson(res, 500, { error: 'internal' })
      else res.end()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin)
    if (!isOurHost(req.headers.host, url.port || String(portOf(server))))
      return sendText(res, 403, 'Forbidden host')
    if (url.pathname.startsWith('/__api/')) {
      if (!hasToken(req.headers['x-harness-token'], token))
        return sendText(res, 403, 'Missing or wrong token')
      const requestOrigin = req.headers.origin
      if (requestOrigin !== undefined && requestOrigin !== origin)
        return sendText(res, 403, 'Foreign origin')
      if (req.method === 'POST' && url.pathname.startsWith('/__api/invoke/')) {
        const name = decodeURIComponent(url.pathname.slice('/__api/invoke/'.length))
        const body = await readJsonBody(req)
        if (body === undefined) return sendJson(res, 400, { error: 'invalid JSON body' })
        const input = (body as { input?: unknown } | null)?.input
        return sendJson(res, 200, await core.router.invoke(name, input))
      }
      if (req.method === 'POST' && url.pathname === '/__api/control') {
        const body = await readJsonBody(req)
        if (body === undefined) return sendJson(res, 400, { error: 'invalid JSON body' })
        return sendJson(res, 200, await control(body))
      }
      if (req.method === 'GET' && url.pathname === '/__api/events') {
        res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' })
        res.write('\n')
        eventClients.add(res)
        req.on('close', () => eventClients.delete(res))
        // A write to a socket the browser reset must not become an uncaught 'error'.
        res.on('error', (error) => {
          eventClients.delete(res)
          logger.warn('event stream closed with an error', error)
        })
        return
      }
      return sendText(res, 404, 'Not found')
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return sendText(res, 405, 'Method not allowed')
    if (url.pathname === '/__harness/bridge.js') {
      return send(res, 200, options.bridgeScript, 'text/javascript; charset=utf-8')
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      // The page itself is only served with the token, so a stray tab cannot start the app.
      if (!hasToken(url.searchParams.get('token') ?? undefined, token))
        return sendText(res, 403, 'Missing or wrong token')
      const html = await readFile(join(options.rendererDir, 'index.html'), 'utf8')
      return send(res, 200, injectBridge(html), 'text/html; charset=utf-8')
    }
    const file = resolveAppFile(`app://vkm${url.pathname}`, options.rendererDir)
    if (!file) return sendText(res, 404, 'Not found')
    try {
      // Built assets carry a content hash in their names, so they may be cached for good, as
      // the app's own protocol does (with V8's code cache) from the second start on.
      const immutable = url.pathname.startsWith('/assets/')
      return send(res, 200, await readFile(file), mimeTypeFor(file), immutable)
    } catch {
      return sendText(res, 404, 'Not found')
    }
  }

  /**
   * Test-only switches: keychain on/off, Sandbox up/down, clipboard contents, propagation delay,
   * Test-only switches: keychain on/off, Sandbox up/down, clipboard contents, propagation delay,
   * streamed chunk pacing, backdating when keys were first seen, whether Vectara returns
   * key secrets, and moving the app's clock forward.
   */
  async function control(body: unknown): Promise<unknown> {
    const command = (body ?? {}) as { action?: string; value?: unknown }
    switch (command.action) {
      case 'keychain':
        keychain.available = command.value !== false
        return { keychainAvailable: keychain.available }
      case 'sandbox':
        if (command.value === false) await core.sandbox.stop()
        else await core.sandbox.start()
        return { sandboxRunning: core.sandbox.endpoint() !== undefined }
      case 'clipboard':
        return { text: clipboard.readText() }
      case 'propagationMs':
        core.sandbox.setPropagationMs(Number(command.value))
        return { propagationMs: Number(command.value) }
      case 'streamChunkMs':
        core.sandbox.setStreamChunkDelayMs(Number(command.value))
        return { streamChunkMs: Number(command.value) }
      case 'withholdKeySecrets':
        api.withhold = command.value !== false
        return { withholdKeySecrets: api.withhold }
      case 'backdateKeys': {
        // Time passing, for rules that need weeks ("stale after 30 days"): the app first saw
        // every cached key N days earlier than it did.
        const days = Number(command.value)
        if (!Number.isFinite(days) || days < 0) return { error: 'value must be a number of days' }
        const moved = core.db
          .prepare('UPDATE key_cache SET first_seen_at = first_seen_at - ?')
          .run(Math.round(days * 86_400_000)).changes
        return { backdated: moved }
      }
      case 'advanceClock': {
        // Hours and days pass at once: rotation steps, expiry reminders and "Disable at expiry"
        // that fall due run before the answer.
        const ms = Number(command.value)
        if (!Number.isFinite(ms) || ms < 0) return { error: 'value must be milliseconds, ≥ 0' }
        const now = clock.advance(ms)
        await core.services.rotations.runDue()
        await core.services.expiry.checkNow()
        return { now }
      }
      default:
        return { error: `unknown action ${String(command.action)}` }
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = portOf(server)
  origin = `http://127.0.0.1:${port}`
  logger.info(`harness listening on ${origin} with data in ${dataDir}`)

  let closed = false
  return {
    url: `${origin}/?token=${token}`,
    origin,
    dataDir,
    token,
    core,
    logFile,
    keychain,
    clock,
    clipboard,
    async close() {
      if (closed) return
      closed = true
      unsubscribe()
      for (const client of eventClients) client.end()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await core.close()
    }
  }
}

function injectBridge(html: string): string {
  const tag = '<script src="/__harness/bridge.js"></script>'
  // Before the app's module script, so window.api exists when the app starts.
  return html.replace(/<script\b/, `${tag}\n    <script`)
}

function hasToken(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

function isOurHost(host: string | undefined, port: string): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`
}

function portOf(server: Server): number {
  const address = server.address()
  return typeof address === 'object' && address ? address.port : 0
}

async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) return undefined
    chunks.push(chunk as Buffer)
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null') as unknown
  } catch {
    return undefined
  }
}

function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  type: string,
  immutable = false
): void {
  res.writeHead(status, {
    'content-type': type,
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-store'
  })
  res.end(body)
}

function sendText(res: ServerResponse, status: number, text: string): void {
  send(res, status, text, 'text/plain; charset=utf-8')
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  send(res, status, JSON.stringify(value), 'application/json')
}

function readAppVersion(): string {
  const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as {
    version: string
  }
  return pkg.version
}
