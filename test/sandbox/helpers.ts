import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../src/sandbox'
import { silentLogger } from '../../src/main/log'
import { loadOpenApi } from '../fixtures/openapi'

/** Loaded once per test file; throws in CI when the spec is missing, warns locally. */
export const openapi = loadOpenApi()

/** Response bodies are checked against the spec before a test sees them, so tests read them loosely. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Body = any

export interface SseEvent {
  event: string
  data: Body
}

export interface ApiResponse {
  status: number
  headers: Headers
  body: Body
  text: string
  events?: SseEvent[]
}

export interface CallOptions {
  /** The x-api-key to send; null sends none. Defaults to the Sandbox's admin Personal key. */
  key?: string | null
  bearer?: string
  /** Sent as JSON unless `rawBody` is given. */
  body?: unknown
  rawBody?: string | Uint8Array<ArrayBuffer>
  headers?: Record<string, string>
  signal?: AbortSignal
}

/** How many Sandbox responses were checked against the spec in this file. */
export const conformance = { checked: 0 }

/**
 * fetch against a live Sandbox that checks every answer: JSON bodies against the spec's schema
 * for (method, path, status), streams event by event, 204 bodies empty. Anything else (HTML,
 * plain text, a schema mismatch) fails the test that made the call.
 */
export async function call(
  sandbox: { url: string; personalKey: string },
  method: string,
  path: string,
  options: CallOptions = {}
): Promise<ApiResponse> {
  const headers: Record<string, string> = { ...options.headers }
  const key = options.key === undefined ? sandbox.personalKey : options.key
  if (key !== null) headers['x-api-key'] = key
  if (options.bearer) headers.authorization = `Bearer ${options.bearer}`
  let body: string | Uint8Array<ArrayBuffer> | undefined = options.rawBody
  if (body === undefined && options.body !== undefined) {
    body = JSON.stringify(options.body)
    headers['content-type'] ??= 'application/json'
  }
  const response = await fetch(sandbox.url + path, {
    method,
    headers,
    body,
    signal: options.signal
  })
  const text = await response.text()
  const contentType = response.headers.get('content-type') ?? ''
  const result: ApiResponse = {
    status: response.status,
    headers: response.headers,
    body: undefined,
    text
  }
  if (response.status === 204) {
    if (text !== '')
      throw new Error(`${method} ${path} answered 204 with a body: ${text.slice(0, 200)}`)
    return result
  }
  if (contentType.startsWith('text/event-stream')) {
    result.events = parseSse(text)
    for (const event of result.events)
      expectConforms(openapi.validateEvent(method, path, event.data), method, path, event.data)
    return result
  }
  if (!contentType.startsWith('application/json')) {
    throw new Error(
      `${method} ${path} answered ${response.status} with ${contentType || 'no content type'}: ${text.slice(0, 200)}`
    )
  }
  result.body = JSON.parse(text)
  expectConforms(
    openapi.validateResponse(method, path, response.status, result.body),
    method,
    path,
    result.body
  )
  return result
}

function expectConforms(
  verdict: { ok: boolean; schema?: string; errors?: string },
  method: string,
  path: string,
  body: unknown
): void {
  if (!openapi.available) return
  conformance.checked++
  if (!verdict.ok) {
    throw new Error(
      `Spec conformance failed for ${method} ${path} (${verdict.schema ?? 'no schema'}): ${verdict.errors}\n` +
        JSON.stringify(body).slice(0, 500)
    )
  }
}

/** Parses Vectara's framing strictly: `event:<type>\ndata:<json>\n\n`, type repeated in JSON. */
export function parseSse(text: string): SseEvent[] {
  if (text === '') return []
  if (!text.endsWith('\n\n'))
    throw new Error(`stream does not end with a blank line: ${JSON.stringify(text.slice(-40))}`)
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((block) => {
      const match = /^event:(\S+)\ndata:(.*)$/s.exec(block)
      if (!match) throw new Error(`malformed SSE block: ${JSON.stringify(block.slice(0, 120))}`)
      const data = JSON.parse(match[2]) as Body
      if (data.type !== match[1]) throw new Error(`event ${match[1]} carries type ${data.type}`)
      return { event: match[1], data }
    })
}

/** A clock tests move by hand, for propagation and token expiry. */
export class FakeClock {
  constructor(public time = Date.parse('2026-03-02T09:00:00Z')) {}
  now = (): number => this.time
  advance(ms: number): void {
    this.time += ms
  }
}

export async function start(options: SandboxOptions = {}): Promise<SandboxHandle> {
  return startSandbox({ logger: silentLogger, streamChunkDelayMs: 0, ...options })
}

export function tempDir(prefix = 'vkm-sandbox-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}

/** The seeded sample keys by name (list is paged; the demo has fewer than 100 keys). */
export async function seededKeys(sandbox: SandboxHandle): Promise<Record<string, Body>> {
  const { body } = await call(sandbox, 'GET', '/v2/api_keys?limit=100')
  return Object.fromEntries((body.api_keys as Body[]).map((k) => [k.name, k]))
}

export const json = (body: unknown): CallOptions => ({ body })
