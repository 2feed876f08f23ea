import { describe, expect, it } from 'vitest'
import { VectaraError } from '../../../src/main/vectara/errors'
import { TEST_API_KEY, rejectionOf, testClient } from './helpers/clientFactory'
import {
  sendEmpty,
  sendJson,
  useLoopbackServer,
  startLoopbackServer
} from './helpers/loopbackServer'

const serve = useLoopbackServer()

function keysPage(from: number, count: number, next?: string): unknown {
  const api_keys = Array.from({ length: count }, (_, i) => ({
    id: `aky_${from + i}`,
    name: `key ${from + i}`,
    enabled: true,
    api_key_role: 'serving',
    secret_key: `zqt_${String(from + i).padStart(12, '0')}`,
    brand_new_field: { nested: true }
  }))
  return next ? { api_keys, metadata: { page_key: next } } : { api_keys, metadata: {} }
}

describe('API keys', () => {
  it('lists pages with limit=100, filters and page_key until the last page', async () => {
    const srv = await serve((req, res) => {
      const url = new URL(req.url, 'http://x')
      const key = url.searchParams.get('page_key')
      if (!key) return sendJson(res, 200, keysPage(0, 100, 'p2'))
      if (key === 'p2') return sendJson(res, 200, keysPage(100, 100, 'p3'))
      return sendJson(res, 200, { api_keys: [{ id: 'aky_last' }], metadata: { page_key: null } })
    })
    const { client, infos } = testClient(srv.url)
    const pages: number[] = []
    for await (const keys of client.listApiKeys({ corpusKey: 'docs', role: 'serving' })) {
      pages.push(keys.length)
    }
    expect(pages).toEqual([100, 100, 1])
    const queries = srv.requests.map((r) => new URL(r.url, 'http://x').searchParams)
    expect(queries.map((q) => q.get('limit'))).toEqual(['100', '100', '100'])
    expect(queries.map((q) => q.get('page_key'))).toEqual([null, 'p2', 'p3'])
    expect(
      queries.every((q) => q.get('corpus_key') === 'docs' && q.get('api_key_role') === 'serving')
    ).toBe(true)
    expect(srv.requests[0].headers['x-api-key']).toBe(TEST_API_KEY)
    expect(srv.requests[0].headers.accept).toBe('application/json')
    expect(
      infos.map((i) => [i.operation, i.method, i.path, i.status, i.ok, i.resultCount, i.attempts])
    ).toEqual([
      ['apiKeys.list', 'GET', '/v2/api_keys', 200, true, 100, 1],
      ['apiKeys.list', 'GET', '/v2/api_keys', 200, true, 100, 1],
      ['apiKeys.list', 'GET', '/v2/api_keys', 200, true, 1, 1]
    ])
  })

  it('collects every key with listAllApiKeys, dropping fields it does not know', async () => {
    const srv = await serve((req, res) => {
      const key = new URL(req.url, 'http://x').searchParams.get('page_key')
      sendJson(res, 200, key ? keysPage(2, 1) : keysPage(0, 2, 'next'))
    })
    const { client } = testClient(srv.url)
    const keys = await client.listAllApiKeys()
    expect(keys.map((k) => k.id)).toEqual(['aky_0', 'aky_1', 'aky_2'])
    expect(keys[0]).not.toHaveProperty('brand_new_field')
  })

  it('stops a listing whose page keys go round in a circle', async () => {
    const srv = await serve((_req, res) => sendJson(res, 200, keysPage(0, 1, 'same')))
    const { client } = testClient(srv.url)
    const error = await rejectionOf(client.listAllApiKeys())
    expect(error).toMatchObject({ code: 'API_INVALID_RESPONSE' })
    expect(srv.requests).toHaveLength(2)
  })

  it('creates a key with the legacy role and corpus keys, reading RBAC fields back', async () => {
    const srv = await serve((req, res) => {
      const body = JSON.parse(req.body) as { name: string }
      sendJson(res, 201, {
        id: 'aky_new',
        name: body.name,
        secret_key: 'zqt_abcdefghijklmnop',
        enabled: true,
        api_key_role: 'serving',
        corpus_roles: [{ corpus_key: 'docs', role: 'viewer' }]
      })
    })
    const { client } = testClient(srv.url)
    const key = await client.createApiKey({
      name: 'site search',
      role: 'serving',
      corpusKeys: ['docs']
    })
    expect(key).toMatchObject({
      id: 'aky_new',
      corpus_roles: [{ corpus_key: 'docs', role: 'viewer' }]
    })
    expect(srv.requests[0].method).toBe('POST')
    expect(srv.requests[0].headers['content-type']).toBe('application/json')
    expect(JSON.parse(srv.requests[0].body)).toEqual({
      name: 'site search',
      api_key_role: 'serving',
      corpus_keys: ['docs']
    })
  })

  it('sends no corpus keys for a personal key', async () => {
    const srv = await serve((_req, res) =>
      sendJson(res, 201, { id: 'aky_p', api_key_role: 'personal' })
    )
    const { client } = testClient(srv.url)
    await client.createApiKey({ name: 'me', role: 'personal', corpusKeys: ['ignored'] })
    expect(JSON.parse(srv.requests[0].body)).toEqual({ name: 'me', api_key_role: 'personal' })
  })

  it('gets, enables, disables and deletes by percent-encoded id', async () => {
    const srv = await serve((req, res) => {
      if (req.method === 'DELETE') {
        return sendEmpty(res)
      }
      const enabled = req.body ? (JSON.parse(req.body) as { enabled: boolean }).enabled : true
      sendJson(res, 200, { id: 'aky_1/x', enabled })
    })
    const { client, infos } = testClient(srv.url)
    expect(await client.getApiKey('aky_1/x')).toEqual({ id: 'aky_1/x', enabled: true })
    expect(await client.setApiKeyEnabled('aky_1/x', false)).toMatchObject({ enabled: false })
    expect(await client.setApiKeyEnabled('aky_1/x', true)).toMatchObject({ enabled: true })
    expect(await client.deleteApiKey('aky_1/x')).toBeUndefined()
    expect(srv.requests.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual([
      'GET /v2/api_keys/aky_1%2Fx ',
      'PATCH /v2/api_keys/aky_1%2Fx {"enabled":false}',
      'PATCH /v2/api_keys/aky_1%2Fx {"enabled":true}',
      'DELETE /v2/api_keys/aky_1%2Fx '
    ])
    expect(infos.map((i) => i.operation)).toEqual([
      'apiKeys.get',
      'apiKeys.setEnabled',
      'apiKeys.setEnabled',
      'apiKeys.delete'
    ])
    expect(infos[3]).toMatchObject({ status: 204, ok: true })
  })

  it('refuses an empty id before any request, through the promise', async () => {
    const srv = await serve((_req, res) => sendJson(res, 200, {}))
    const { client } = testClient(srv.url)
    const error = await rejectionOf(client.deleteApiKey(''))
    expect(error).toMatchObject({ code: 'BAD_INPUT', message: 'The API key ID is empty.' })
    expect(srv.requests).toHaveLength(0)
  })
})

describe('corpora and documents', () => {
  it('lists, gets, creates and deletes corpora', async () => {
    const srv = await serve((req, res) => {
      if (req.method === 'DELETE') {
        return sendEmpty(res)
      }
      if (req.method === 'POST') return sendJson(res, 201, { key: 'new', id: 'crp_9' })
      if (req.url.startsWith('/v2/corpora/docs'))
        return sendJson(res, 200, { key: 'docs', limits: { used_docs: 2 } })
      sendJson(res, 200, { corpora: [{ key: 'docs' }, { key: 'faq' }] })
    })
    const { client } = testClient(srv.url)
    expect((await client.listAllCorpora({ filter: '^d' })).map((c) => c.key)).toEqual([
      'docs',
      'faq'
    ])
    expect(await client.getCorpus('docs')).toEqual({ key: 'docs', limits: { used_docs: 2 } })
    expect(await client.createCorpus({ key: 'new', name: 'New' })).toEqual({
      key: 'new',
      id: 'crp_9'
    })
    await client.deleteCorpus('new')
    expect(srv.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /v2/corpora?limit=100&filter=%5Ed',
      'GET /v2/corpora/docs',
      'POST /v2/corpora',
      'DELETE /v2/corpora/new'
    ])
    expect(JSON.parse(srv.requests[2].body)).toEqual({ key: 'new', name: 'New' })
  })

  it('creates core and structured documents, lists and deletes them', async () => {
    const srv = await serve((req, res) => {
      if (req.method === 'DELETE') {
        return sendEmpty(res)
      }
      if (req.method === 'POST') {
        const doc = JSON.parse(req.body) as { id: string }
        return sendJson(res, 201, { id: doc.id, storage_usage: { bytes_used: 10 } })
      }
      sendJson(res, 200, { documents: [{ id: 'doc/1', metadata: { year: 2025 } }] })
    })
    const { client } = testClient(srv.url)
    const core = await client.createDocument(
      'docs',
      { id: 'faq 1', type: 'core', document_parts: [{ text: 'How?', metadata: { lang: 'eng' } }] },
      { waitFor: 'indexed' }
    )
    expect(core).toEqual({ id: 'faq 1', storage_usage: { bytes_used: 10 } })
    await client.createDocument('docs', {
      id: 'doc/1',
      type: 'structured',
      title: 'Leave',
      sections: [{ title: 'Parental', text: '16 weeks.' }]
    })
    const listed: string[] = []
    for await (const docs of client.listDocuments('docs', { metadataFilter: 'doc.year = 2025' })) {
      listed.push(...docs.map((d) => d.id ?? ''))
    }
    expect(listed).toEqual(['doc/1'])
    await client.deleteDocument('docs', 'doc/1')
    expect(srv.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /v2/corpora/docs/documents?wait_for=indexed',
      'POST /v2/corpora/docs/documents',
      'GET /v2/corpora/docs/documents?limit=1000&metadata_filter=doc.year+%3D+2025',
      'DELETE /v2/corpora/docs/documents/doc%2F1'
    ])
    expect(JSON.parse(srv.requests[1].body)).toMatchObject({
      type: 'structured',
      sections: [{ title: 'Parental' }]
    })
  })

  it('will not address a document called ".." (it would resolve to the corpus itself)', async () => {
    const srv = await serve((_req, res) => sendJson(res, 200, {}))
    const { client } = testClient(srv.url)
    const error = await rejectionOf(client.deleteDocument('docs', '..'))
    expect(error).toMatchObject({ code: 'BAD_INPUT' })
    expect(srv.requests).toHaveLength(0)
  })
})

describe('query and history', () => {
  it('posts a query and a corpus query, counting results', async () => {
    const srv = await serve((_req, res) =>
      sendJson(res, 200, {
        summary: 'Sixteen weeks [1].',
        search_results: [
          { text: 'a', score: 0.9 },
          { text: 'b', score: 0.4 }
        ],
        factual_consistency_score: 0.8,
        some_new_thing: 1
      })
    )
    const { client, infos } = testClient(srv.url)
    const answer = await client.query({
      query: 'leave?',
      search: { corpora: [{ corpus_key: 'docs' }] }
    })
    expect(answer.summary).toBe('Sixteen weeks [1].')
    expect(answer).not.toHaveProperty('some_new_thing')
    await client.queryCorpus('docs', { query: 'leave?', search: { limit: 5 } })
    expect(srv.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'POST /v2/query',
      'POST /v2/corpora/docs/query'
    ])
    expect(JSON.parse(srv.requests[1].body)).toEqual({ query: 'leave?', search: { limit: 5 } })
    expect(infos.map((i) => [i.operation, i.resultCount])).toEqual([
      ['query', 2],
      ['queryCorpus', 2]
    ])
  })

  it('lists and gets query history', async () => {
    const srv = await serve((req, res) => {
      if (req.url.startsWith('/v2/queries/')) {
        return sendJson(res, 200, {
          id: 'qry_1',
          query: { query: 'q' },
          spans: [{ type: 'search' }]
        })
      }
      sendJson(res, 200, {
        queries: [{ id: 'qry_1', query: 'q', started_at: '2026-11-20T10:00:00Z' }]
      })
    })
    const { client } = testClient(srv.url)
    const history = await client.listAllQueries({
      corpusKey: 'docs',
      startedAfter: new Date('2026-11-01T00:00:00Z'),
      startedBefore: '2026-12-01T00:00:00Z'
    })
    expect(history).toEqual([{ id: 'qry_1', query: 'q', started_at: '2026-11-20T10:00:00Z' }])
    expect(await client.getQuery('qry_1')).toMatchObject({
      id: 'qry_1',
      spans: [{ type: 'search' }]
    })
    const params = new URL(srv.requests[0].url, 'http://x').searchParams
    expect(Object.fromEntries(params)).toEqual({
      limit: '100',
      corpus_key: 'docs',
      started_after: '2026-11-01T00:00:00.000Z',
      started_before: '2026-12-01T00:00:00.000Z'
    })
  })

  it('refuses an unreadable date through the iterator', async () => {
    const srv = await serve((_req, res) => sendJson(res, 200, {}))
    const { client } = testClient(srv.url)
    const error = await rejectionOf(client.listAllQueries({ startedAfter: 'last tuesday' }))
    expect(error).toMatchObject({
      code: 'BAD_INPUT',
      message: 'startedAfter is not a valid date and time.'
    })
    expect(srv.requests).toHaveLength(0)
  })
})

describe('answers the client cannot read', () => {
  it('reports a malformed JSON body as API_INVALID_RESPONSE', async () => {
    const srv = await serve((_req, res) => sendJson(res, 200, '{"api_keys": [ {"id": "aky_1", '))
    const { client, infos } = testClient(srv.url)
    const error = await rejectionOf(client.getApiKey('aky_1'))
    expect(error).toBeInstanceOf(VectaraError)
    expect(error).toMatchObject({ code: 'API_INVALID_RESPONSE', status: 200 })
    expect((error as Error).message).toMatch(/not valid JSON/)
    expect(infos[0]).toMatchObject({ ok: false, errorCode: 'API_INVALID_RESPONSE', status: 200 })
  })

  it('reports a wrong top-level shape or a wrongly typed field', async () => {
    const srv = await serve((req, res) =>
      req.url.startsWith('/v2/corpora')
        ? sendJson(res, 200, [1, 2])
        : sendJson(res, 200, { api_keys: 'none' })
    )
    const { client } = testClient(srv.url)
    const shape = await rejectionOf(client.listAllCorpora())
    expect(shape).toMatchObject({ code: 'API_INVALID_RESPONSE' })
    const field = await rejectionOf(client.listAllApiKeys())
    expect((field as Error).message).toMatch(/unexpected shape at api_keys/)
  })

  it('reports an empty body where JSON was due', async () => {
    const srv = await serve((_req, res) => {
      sendEmpty(res, 200)
    })
    const { client } = testClient(srv.url)
    expect(((await rejectionOf(client.getCorpus('docs'))) as Error).message).toMatch(/empty body/)
  })

  it('maps each error status with its body to a typed error', async () => {
    const bodies: Record<string, [number, unknown]> = {
      '/v2/corpora/bad': [
        400,
        { field_errors: { key: 'invalid' }, messages: ['Invalid request'], request_id: 'r400' }
      ],
      '/v2/corpora/unauth': [401, { messages: ['Unauthorized'], request_id: 'r401' }],
      '/v2/corpora/forbidden': [403, { messages: ['No access to corpus'], request_id: 'r403' }],
      '/v2/corpora/missing': [
        404,
        { id: 'missing', messages: ['Corpus not found.'], request_id: 'r404' }
      ],
      '/v2/corpora/dupe': [409, { messages: ['Corpus already exists'], request_id: 'r409' }],
      '/v2/corpora/boom': [500, '<html>oops</html>']
    }
    const srv = await serve((req, res) => {
      const [status, body] = bodies[req.url]
      sendJson(res, status, body)
    })
    const { client } = testClient(srv.url)
    const results = await Promise.all(
      Object.keys(bodies).map((p) => rejectionOf(client.getCorpus(p.split('/')[3])))
    )
    expect(results.map((e) => (e as VectaraError).code)).toEqual([
      'API_BAD_REQUEST',
      'API_UNAUTHORIZED',
      'API_FORBIDDEN',
      'API_NOT_FOUND',
      'API_CONFLICT',
      'API_SERVER_ERROR'
    ])
    expect(results[0]).toMatchObject({
      status: 400,
      fieldErrors: { key: 'invalid' },
      requestId: 'r400'
    })
    expect(results[3]).toMatchObject({
      status: 404,
      id: 'missing',
      messages: ['Corpus not found.']
    })
    expect((results[3] as Error).message).toBe(
      'GET /v2/corpora/missing failed with HTTP 404: Corpus not found.'
    )
    expect(results[5]).toMatchObject({ status: 500, messages: [] })
  })

  it('never follows a redirect (it could carry the key to another host)', async () => {
    let followed = 0
    const target = await startLoopbackServer((_req, res) => {
      followed++
      sendJson(res, 200, {})
    })
    try {
      const srv = await serve((_req, res) => {
        sendEmpty(res, 307, { location: `${target.url}/v2/corpora/docs` })
      })
      const { client } = testClient(srv.url)
      const error = await rejectionOf(client.getCorpus('docs'))
      expect(error).toMatchObject({ code: 'API_INVALID_RESPONSE', status: 307 })
      expect((error as Error).message).toMatch(/redirect/)
      expect(followed).toBe(0)
    } finally {
      await target.close()
    }
  })
})
