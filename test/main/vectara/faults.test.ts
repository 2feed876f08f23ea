import { describe, expect, it } from 'vitest'
import { describeForUser, type VectaraError } from '../../../src/main/vectara/errors'
import { rejectionOf, testClient } from './helpers/clientFactory'
import {
  delay,
  inSequence,
  sendEmpty,
  sendJson,
  useLoopbackServer,
  type Responder,
  startLoopbackServer
} from './helpers/loopbackServer'

const serve = useLoopbackServer()

const ok: Responder = (_req, res) => sendJson(res, 200, { id: 'aky_1', key: 'docs', enabled: true })
const created: Responder = (_req, res) => sendJson(res, 201, { id: 'aky_1', key: 'docs' })
const rateLimited =
  (retryAfter?: string): Responder =>
  (_req, res) =>
    sendJson(
      res,
      429,
      { messages: ['Too many requests'] },
      retryAfter ? { 'retry-after': retryAfter } : {}
    )
const status =
  (code: number): Responder =>
  (_req, res) =>
    sendJson(res, code, { messages: [`status ${code}`] })
/** Drops the connection without answering: the client sees ECONNRESET / "other side closed". */
const hangUp: Responder = (_req, _res, raw) => {
  raw.socket.destroy()
}
/** Promises 200 bytes of JSON, sends 20, then drops the connection. */
const cutBody: Responder = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' })
  res.write('{"id": "aky_1", "na')
  setTimeout(() => res.socket?.destroy(), 20)
}

describe('429 rate limiting', () => {
  it('waits as long as Retry-After (seconds) says, then succeeds', async () => {
    const srv = await serve(inSequence(rateLimited('2'), rateLimited('1'), ok))
    const { client, sleeps, infos } = testClient(srv.url)
    expect(await client.getApiKey('aky_1')).toMatchObject({ id: 'aky_1' })
    expect(srv.requests).toHaveLength(3)
    expect(sleeps).toEqual([2_000, 1_000])
    expect(infos).toHaveLength(1)
    expect(infos[0]).toMatchObject({ ok: true, status: 200, attempts: 3 })
  })

  it('reads Retry-After as an HTTP-date against the injected clock', async () => {
    const now = Date.parse('2026-11-20T10:00:00Z')
    const srv = await serve(inSequence(rateLimited('Fri, 20 Nov 2026 10:00:03 GMT'), ok))
    const { client, sleeps } = testClient(srv.url, { now: () => now })
    await client.getCorpus('docs')
    expect(sleeps).toEqual([3_000])
  })

  it('backs off exponentially with jitter without Retry-After, then gives up with a typed error', async () => {
    const srv = await serve(rateLimited())
    const { client, sleeps, infos } = testClient(srv.url)
    const error = (await rejectionOf(client.getApiKey('aky_1'))) as VectaraError
    expect(error).toMatchObject({ code: 'API_RATE_LIMITED', status: 429, attempts: 4 })
    expect(error.messages).toEqual(['Too many requests'])
    expect(srv.requests).toHaveLength(4)
    // random() is pinned to 0.5: half of 100, 200, 400 ms.
    expect(sleeps).toEqual([50, 100, 200])
    expect(infos).toEqual([
      expect.objectContaining({ ok: false, errorCode: 'API_RATE_LIMITED', attempts: 4 })
    ])
  })

  it('does not wait out a Retry-After longer than the cap: it fails at once and says how long', async () => {
    const srv = await serve(rateLimited('120'))
    const { client, sleeps } = testClient(srv.url)
    const error = (await rejectionOf(client.listAllCorpora())) as VectaraError
    expect(srv.requests).toHaveLength(1)
    expect(sleeps).toEqual([])
    expect(error).toMatchObject({ code: 'API_RATE_LIMITED', retryAfterMs: 120_000, attempts: 1 })
    expect(describeForUser(error)).toMatch(/Try again in 120 s/)
  })
})

describe('gateway errors', () => {
  it('retries 503 for PATCH enable/disable, 502 and 504 for DELETE, and 503 for a query', async () => {
    const srv = await serve(
      inSequence(
        status(503),
        ok,
        status(502),
        status(504),
        (_q, res) => sendEmpty(res),
        status(503),
        ok
      )
    )
    const { client } = testClient(srv.url)
    await client.setApiKeyEnabled('aky_1', false)
    await client.deleteApiKey('aky_1')
    await client.query({ query: 'q', search: { corpora: [{ corpus_key: 'docs' }] } })
    expect(srv.requests.map((r) => r.method)).toEqual([
      'PATCH',
      'PATCH',
      'DELETE',
      'DELETE',
      'DELETE',
      'POST',
      'POST'
    ])
  })

  it('does not retry a plain 500: it is usually the request, not the moment', async () => {
    const srv = await serve(status(500))
    const { client } = testClient(srv.url)
    expect(await rejectionOf(client.getCorpus('docs'))).toMatchObject({
      code: 'API_SERVER_ERROR',
      status: 500
    })
    expect(srv.requests).toHaveLength(1)
  })
})

describe('creates are never retried', () => {
  const creates = [
    [
      'api key',
      (c: ReturnType<typeof testClient>['client']) =>
        c.createApiKey({ name: 'k', role: 'serving', corpusKeys: ['docs'] })
    ],
    ['corpus', (c: ReturnType<typeof testClient>['client']) => c.createCorpus({ key: 'docs' })],
    [
      'document',
      (c: ReturnType<typeof testClient>['client']) =>
        c.createDocument('docs', { id: 'd', type: 'core', document_parts: [{ text: 't' }] })
    ]
  ] as const

  for (const [what, create] of creates) {
    for (const [fault, responder] of [
      ['429', rateLimited('1')],
      ['503', status(503)],
      ['a dropped connection', hangUp],
      ['a body cut short', cutBody]
    ] as const) {
      it(`${what}: one request only after ${fault}`, async () => {
        const srv = await serve(inSequence(responder, created))
        const { client, sleeps } = testClient(srv.url)
        const error = (await rejectionOf(create(client))) as VectaraError
        expect(srv.requests).toHaveLength(1)
        expect(sleeps).toEqual([])
        expect(error.attempts).toBe(1)
        expect(['API_RATE_LIMITED', 'API_SERVER_ERROR', 'NETWORK_ERROR']).toContain(error.code)
      })
    }
  }
})

describe('a retried DELETE', () => {
  it('counts a 404 after a lost answer as deleted: the first attempt did the work', async () => {
    const srv = await serve(
      inSequence(hangUp, (_req, res) => sendJson(res, 404, { id: 'aky_1', messages: ['gone'] }))
    )
    const { client, infos } = testClient(srv.url)
    await expect(client.deleteApiKey('aky_1')).resolves.toBeUndefined()
    expect(srv.requests.map((r) => r.method)).toEqual(['DELETE', 'DELETE'])
    expect(infos[0]).toMatchObject({ ok: true, status: 404, attempts: 2 })
  })

  it('still reports 404 when nothing can have deleted it (first attempt, or after a 429)', async () => {
    const notFound: Responder = (_req, res) =>
      sendJson(res, 404, { id: 'aky_1', messages: ['gone'] })
    const srv = await serve(inSequence(notFound, rateLimited('1'), notFound))
    const { client } = testClient(srv.url)
    expect(await rejectionOf(client.deleteApiKey('aky_1'))).toMatchObject({ code: 'API_NOT_FOUND' })
    expect(await rejectionOf(client.deleteApiKey('aky_1'))).toMatchObject({
      code: 'API_NOT_FOUND',
      attempts: 2
    })
  })
})

describe('connection failures', () => {
  it('retries a read after the server drops the connection, then succeeds', async () => {
    const srv = await serve(inSequence(hangUp, hangUp, ok))
    const { client, infos } = testClient(srv.url)
    expect(await client.getApiKey('aky_1')).toMatchObject({ id: 'aky_1' })
    expect(srv.requests).toHaveLength(3)
    expect(infos[0]).toMatchObject({ ok: true, attempts: 3 })
  })

  it('retries a read whose body was cut short', async () => {
    const srv = await serve(inSequence(cutBody, ok))
    const { client } = testClient(srv.url)
    expect(await client.getApiKey('aky_1')).toMatchObject({ id: 'aky_1' })
    expect(srv.requests).toHaveLength(2)
  })

  it('fails with NETWORK_ERROR and the low-level code when drops persist', async () => {
    const srv = await serve(hangUp)
    const { client } = testClient(srv.url)
    const error = (await rejectionOf(client.getApiKey('aky_1'))) as VectaraError
    expect(error.code).toBe('NETWORK_ERROR')
    expect(['ECONNRESET', 'UND_ERR_SOCKET']).toContain(error.causeCode)
    expect(error.attempts).toBe(4)
    expect(error.message).toMatch(/GET \/v2\/api_keys\/aky_1: could not reach 127\.0\.0\.1:\d+/)
  })

  it('fails with ECONNREFUSED when nothing listens', async () => {
    const srv = await startLoopbackServer(ok)
    const url = srv.url
    await srv.close()
    const { client, sleeps } = testClient(url)
    const error = (await rejectionOf(client.listAllApiKeys())) as VectaraError
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', causeCode: 'ECONNREFUSED', attempts: 4 })
    expect(sleeps).toHaveLength(3)
  })
})

describe('timeouts', () => {
  it('gives up on a response slower than the timeout, promptly and without retrying', async () => {
    const srv = await serve(async (_req, res) => {
      await delay(3_000)
      if (!res.destroyed) sendJson(res, 200, {})
    })
    const { client, infos } = testClient(srv.url, { timeoutMs: 150 })
    const started = performance.now()
    const error = (await rejectionOf(client.getCorpus('docs'))) as VectaraError
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(error).toMatchObject({ code: 'API_TIMEOUT', timeoutMs: 150, attempts: 1 })
    expect(describeForUser(error)).toBe('The API did not answer within 150 ms.')
    expect(srv.requests).toHaveLength(1)
    expect(infos[0]).toMatchObject({ ok: false, errorCode: 'API_TIMEOUT' })
  })

  it('counts the body in the timeout: headers then silence still times out', async () => {
    const srv = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"id":')
    })
    const { client } = testClient(srv.url, { timeoutMs: 150 })
    const started = performance.now()
    expect(await rejectionOf(client.getApiKey('aky_1'))).toMatchObject({ code: 'API_TIMEOUT' })
    expect(performance.now() - started).toBeLessThan(1_000)
  })

  it('takes a per-call timeout over the client default', async () => {
    const srv = await serve(async (_req, res) => {
      await delay(400)
      if (!res.destroyed) sendJson(res, 200, { key: 'docs' })
    })
    const { client } = testClient(srv.url, { timeoutMs: 100 })
    expect(await client.getCorpus('docs', { timeoutMs: 2_000 })).toEqual({ key: 'docs' })
  })
})

describe('cancellation', () => {
  it('cancels a request in flight with CANCELLED, not a timeout', async () => {
    const srv = await serve(async (_req, res) => {
      await delay(3_000)
      if (!res.destroyed) sendJson(res, 200, {})
    })
    const { client, infos } = testClient(srv.url)
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const started = performance.now()
    const error = await rejectionOf(client.getCorpus('docs', { signal: controller.signal }))
    expect(error).toMatchObject({ code: 'CANCELLED' })
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(infos[0]).toMatchObject({ ok: false, errorCode: 'CANCELLED' })
  })

  it('cancels during a backoff wait (real sleep) promptly', async () => {
    const srv = await serve(rateLimited('4'))
    const { client } = testClient(srv.url, { sleep: undefined })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    const started = performance.now()
    const error = await rejectionOf(client.getCorpus('docs', { signal: controller.signal }))
    expect(error).toMatchObject({ code: 'CANCELLED', attempts: 1 })
    expect(performance.now() - started).toBeLessThan(1_000)
    expect(srv.requests).toHaveLength(1)
  })

  it('sends nothing when already cancelled', async () => {
    const srv = await serve(ok)
    const { client } = testClient(srv.url)
    const error = await rejectionOf(client.getCorpus('docs', { signal: AbortSignal.abort() }))
    expect(error).toMatchObject({ code: 'CANCELLED' })
    expect(srv.requests).toHaveLength(0)
  })
})

describe('observers', () => {
  it('a throwing onRequest observer does not fail the call', async () => {
    const srv = await serve(ok)
    const { client } = testClient(srv.url, {
      onRequest: () => {
        throw new Error('observer broke')
      }
    })
    expect(await client.getApiKey('aky_1')).toMatchObject({ id: 'aky_1' })
  })

  it('reports the request id of a failed call', async () => {
    const srv = await serve((_req, res) =>
      sendJson(res, 403, { messages: ['no'], request_id: 'req-42' })
    )
    const { client, infos } = testClient(srv.url)
    await rejectionOf(client.getApiKey('aky_1'))
    expect(infos).toEqual([
      {
        operation: 'apiKeys.get',
        method: 'GET',
        path: '/v2/api_keys/aky_1',
        status: 403,
        ok: false,
        errorCode: 'API_FORBIDDEN',
        requestId: 'req-42',
        attempts: 1,
        latencyMs: expect.any(Number)
      }
    ])
  })
})
