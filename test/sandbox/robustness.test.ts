import { connect } from 'node:net'
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SandboxHandle } from '../../src/sandbox'
import { createLogger } from '../../src/main/log'
import { call, openapi, start, type Body } from './helpers'

let sandbox: SandboxHandle
const logLines: string[] = []
beforeAll(async () => {
  sandbox = await start({ logger: createLogger((line) => logLines.push(line), 'debug') })
})
afterAll(() => sandbox.close())

/** Splits a raw HTTP answer and checks its JSON body against the spec, like `call` does. */
function parseRaw(answer: string, method: string, path: string): { status: number; body: Body } {
  const [head, body] = answer.split('\r\n\r\n', 2)
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1])
  expect(head).toMatch(/content-type: application\/json/i)
  const parsed = JSON.parse(body) as Body
  const verdict = openapi.validateResponse(method, path, status, parsed)
  expect(verdict.errors).toBeUndefined()
  return { status, body: parsed }
}

const healthy = async () => expect((await call(sandbox, 'GET', '/v2/corpora')).status).toBe(200)

/** Sends raw bytes and resolves with whatever the server answers before closing. */
function raw(
  bytes: string | Buffer,
  { endAfterWrite = true, waitMs = 2000, port = sandbox.port } = {}
): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let answer = ''
    const timer = setTimeout(() => {
      socket.destroy()
      resolve(answer)
    }, waitMs)
    socket.on('data', (chunk) => (answer += chunk.toString()))
    socket.on('close', () => {
      clearTimeout(timer)
      resolve(answer)
    })
    socket.on('error', () => undefined)
    socket.write(bytes)
    if (endAfterWrite) socket.end()
  })
}

describe('body limits', () => {
  it('answers 413 for a declared body over 10 MB without reading it, and keeps serving', async () => {
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, 0x20)
    const response = await call(sandbox, 'POST', '/v2/api_keys', {
      rawBody: big,
      headers: { 'content-type': 'application/json' }
    })
    expect(response.status).toBe(413)
    expect(response.body.messages[0]).toMatch(/10 MB/)
    await healthy()
  })

  it('answers 413 for a chunked body that grows past 10 MB and keeps serving', async () => {
    const { status, body } = await new Promise<{ status: number; body: string }>(
      (resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port: sandbox.port,
            method: 'POST',
            path: '/v2/query',
            headers: { 'x-api-key': sandbox.personalKey, 'content-type': 'application/json' }
          },
          (res) => {
            let text = ''
            res.on('data', (chunk: Buffer) => (text += chunk.toString()))
            res.on('end', () => resolve({ status: res.statusCode!, body: text }))
          }
        )
        req.on('error', reject)
        const chunk = Buffer.alloc(1024 * 1024, 0x20)
        let sent = 0
        const pump = (): void => {
          while (sent < 64) {
            sent++
            if (!req.write(chunk)) {
              req.once('drain', pump)
              return
            }
          }
          req.end()
        }
        pump()
      }
    )
    expect(status).toBe(413)
    const parsed = JSON.parse(body) as Body
    expect(openapi.validateResponse('POST', '/v2/query', 413, parsed).errors).toBeUndefined()
    expect(parsed.messages[0]).toMatch(/10 MB/)
    await healthy()
  })

  it('answers 408 for a body that trickles in too slowly', async () => {
    const impatient = await start({ bodyTimeoutMs: 300 })
    try {
      const started = performance.now()
      const answer = await raw(
        `POST /v2/corpora HTTP/1.1\r\nHost: x\r\nx-api-key: ${impatient.personalKey}\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"key":`,
        { endAfterWrite: false, port: impatient.port }
      )
      const { status, body } = parseRaw(answer, 'POST', '/v2/corpora')
      expect(status).toBe(408)
      expect(body.messages[0]).toMatch(/did not arrive/)
      expect(performance.now() - started).toBeLessThan(1500)
      expect((await call(impatient, 'GET', '/v2/corpora')).status).toBe(200)
    } finally {
      await impatient.close()
    }
  })

  it('survives a client that disconnects mid-upload', async () => {
    await raw(
      `POST /v2/corpora HTTP/1.1\r\nHost: x\r\nx-api-key: ${sandbox.personalKey}\r\ncontent-type: application/json\r\ncontent-length: 5000\r\n\r\n{"key":"half`,
      { waitMs: 50 }
    )
    await healthy()
    expect((await call(sandbox, 'GET', '/v2/corpora/half')).status).toBe(404)
  })
})

describe('malformed requests', () => {
  it('answers 400 for invalid JSON without echoing it', async () => {
    const response = await call(sandbox, 'POST', '/v2/corpora', {
      rawBody: '{"key": zqt_LooksLikeASecretValue',
      headers: { 'content-type': 'application/json' }
    })
    expect(response.status).toBe(400)
    expect(response.body.field_errors).toEqual({ body: 'is not valid JSON' })
    expect(response.text).not.toContain('LooksLikeASecret')
  })

  it('answers 400 for a missing body where one is required', async () => {
    const response = await call(sandbox, 'POST', '/v2/query', {
      headers: { 'content-type': 'application/json' }
    })
    expect(response.status).toBe(400)
  })

  it.each([
    ['text/plain', '/v2/query'],
    ['application/x-www-form-urlencoded', '/v2/corpora'],
    ['multipart/form-data; boundary=x', '/v2/api_keys'],
    ['application/json; charset=latin1', '/v2/corpora']
  ])('answers 415 for %s on %s', async (contentType, path) => {
    const response = await call(sandbox, 'POST', path, {
      rawBody: '{}',
      headers: { 'content-type': contentType }
    })
    expect(response.status).toBe(415)
    expect(response.body.messages[0]).toMatch(/application\/json/)
  })

  it('accepts a JSON body sent without Content-Type', async () => {
    const body = JSON.stringify({ key: 'no-content-type' })
    const answer = await raw(
      `POST /v2/corpora HTTP/1.1\r\nHost: x\r\nConnection: close\r\nx-api-key: ${sandbox.personalKey}\r\ncontent-length: ${body.length}\r\n\r\n${body}`
    )
    expect(parseRaw(answer, 'POST', '/v2/corpora').status).toBe(201)
    expect((await call(sandbox, 'GET', '/v2/corpora/no-content-type')).status).toBe(200)
  })

  it('answers 404 JSON for unknown routes and 405 JSON (with Allow) for the wrong method', async () => {
    const unknown = await call(sandbox, 'GET', '/v2/nothing-here')
    expect(unknown.status).toBe(404)
    expect(unknown.body.messages[0]).toMatch(/No such endpoint/)
    const wrong = await call(sandbox, 'PUT', '/v2/api_keys')
    expect(wrong.status).toBe(405)
    expect(wrong.headers.get('allow')).toBe('GET, POST')
    const patchCorpus = await call(sandbox, 'PATCH', '/v2/corpora/product-faq', { body: {} })
    expect(patchCorpus.status).toBe(405)
  })

  it('answers 400 JSON to a garbage request line and 431 to oversized headers, and keeps serving', async () => {
    const garbage = parseRaw(await raw('THIS IS NOT HTTP\r\n\r\n'), 'GET', '/not-http')
    expect(garbage.status).toBe(400)
    expect(garbage.body.messages[0]).toMatch(/not valid HTTP/)
    const huge = await raw(
      `GET /v2/corpora HTTP/1.1\r\nHost: x\r\nx-filler: ${'a'.repeat(40_000)}\r\n\r\n`
    )
    expect(parseRaw(huge, 'GET', '/v2/corpora').status).toBe(431)
    await healthy()
  })

  it('handles deeply nested and odd JSON without crashing', async () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000)
    for (const rawBody of [
      deep,
      '{"query": {"$gt": ""}, "search": []}',
      '{"__proto__": {"admin": true}, "key": "proto"}',
      '\uFEFF{"key":"bom"}'
    ]) {
      const response = await call(sandbox, 'POST', '/v2/corpora', {
        rawBody,
        headers: { 'content-type': 'application/json' }
      })
      expect(response.status).toBeLessThan(500)
    }
    expect(({} as Body).admin).toBeUndefined()
    await healthy()
  })
})

describe('fuzzing every endpoint', () => {
  const VALUES: unknown[] = [
    null,
    true,
    0,
    -1,
    1e308,
    2 ** 53,
    'x',
    '',
    '\u0000',
    'zqt_x',
    [],
    [1, 'a'],
    {},
    { a: { b: [] } },
    'doc.year = 1',
    "'",
    '('
  ]
  const FIELDS = [
    'query',
    'search',
    'corpora',
    'corpus_key',
    'key',
    'name',
    'api_key_role',
    'corpus_keys',
    'generation',
    'metadata_filter',
    'limit',
    'offset',
    'reranker',
    'type',
    'id',
    'document_parts',
    'sections',
    'text',
    'enabled',
    'context_configuration',
    'citations',
    'stream_response',
    'filter_attributes',
    'corpus_roles',
    'grant_type'
  ]
  const ENDPOINTS: [string, string][] = [
    ['POST', '/v2/query'],
    ['POST', '/v2/corpora/product-faq/query'],
    ['POST', '/v2/corpora'],
    ['POST', '/v2/api_keys'],
    ['PATCH', '/v2/api_keys/aky_x'],
    ['POST', '/v2/corpora/product-faq/documents'],
    ['POST', '/oauth2/token']
  ]

  /** A small deterministic PRNG, so a failure can be replayed. */
  function random(seed: number): () => number {
    return () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31
      return seed / 2 ** 31
    }
  }

  function randomValue(next: () => number, depth: number): unknown {
    if (depth > 0 && next() < 0.35) {
      const obj: Record<string, unknown> = {}
      const n = Math.floor(next() * 4)
      for (let i = 0; i < n; i++)
        obj[FIELDS[Math.floor(next() * FIELDS.length)]] = randomValue(next, depth - 1)
      return next() < 0.2 ? [obj] : obj
    }
    return VALUES[Math.floor(next() * VALUES.length)]
  }

  it('never answers 5xx and never stops serving, whatever the body', async () => {
    const next = random(20260301)
    const statuses = new Set<number>()
    for (let i = 0; i < 300; i++) {
      const [method, path] = ENDPOINTS[i % ENDPOINTS.length]
      const body = randomValue(next, 4)
      const response = await call(sandbox, method, path, { body })
      statuses.add(response.status)
      expect(response.status, JSON.stringify(body)).toBeLessThan(500)
    }
    expect(statuses.has(400)).toBe(true)
    await healthy()
  })
})

describe('concurrency and secrets', () => {
  it('serves many parallel requests', async () => {
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(sandbox, 'POST', '/v2/query', {
          body: {
            query: `lantern battery ${i}`,
            search: { corpora: [{ corpus_key: 'product-faq' }] },
            generation: {}
          }
        })
      )
    )
    expect(responses.every((r) => r.status === 200)).toBe(true)
  })

  it('never writes a key secret to the log, even at debug level', async () => {
    const created = (
      await call(sandbox, 'POST', '/v2/api_keys', {
        body: { name: 'log-check', api_key_role: 'serving', corpus_keys: ['product-faq'] }
      })
    ).body
    await call(sandbox, 'POST', '/v2/query', {
      key: created.secret_key,
      body: { query: created.secret_key, search: { corpora: [{ corpus_key: 'product-faq' }] } }
    })
    await call(sandbox, 'GET', `/v2/corpora/product-faq/query?query=${created.secret_key}`, {
      key: created.secret_key
    })
    expect(logLines.length).toBeGreaterThan(10)
    const log = logLines.join('\n')
    expect(log).toMatch(/POST \/v2\/query -> 200/)
    expect(log).not.toContain(created.secret_key)
    expect(log).not.toContain(sandbox.personalKey)
  })
})
