/**
 * The client against a live Sandbox over real loopback HTTP: every method, every error class the
 * app has to show, OAuth, streaming and paging, exactly as the app will meet them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { corpusKeysOf, keyKindOf, type ApiKey, type QueryStreamEvent } from '@shared/vectara'
import { startSandbox, type SandboxHandle } from '../../../src/sandbox'
import { VectaraClient } from '../../../src/main/vectara/client'
import { toAppError, type VectaraError } from '../../../src/main/vectara/errors'
import type { VectaraRequestInfo } from '../../../src/main/vectara/http'
import { rejectionOf } from './helpers/clientFactory'
import { conformanceLog, conformingFetch } from './helpers/conformingFetch'

let sandbox: SandboxHandle
let admin: VectaraClient
const infos: VectaraRequestInfo[] = []
/** Every secret this file sees, to prove none reaches an observer record or error. */
const secretsSeen = new Set<string>()
const errorsSeen: unknown[] = []
/** Every answer any client here receives is also checked against the official spec. */
const conformance = conformanceLog()
const checkedFetch = conformingFetch(conformance)

function clientFor(apiKey: string): VectaraClient {
  secretsSeen.add(apiKey)
  return new VectaraClient({
    baseUrl: sandbox.url,
    auth: { type: 'api_key', apiKey },
    timeoutMs: 5_000,
    fetch: checkedFetch,
    onRequest: (info) => infos.push(info)
  })
}

async function failure(promise: Promise<unknown>): Promise<VectaraError> {
  const error = (await rejectionOf(promise)) as VectaraError
  errorsSeen.push(error)
  return error
}

async function collect(stream: AsyncIterable<QueryStreamEvent>): Promise<QueryStreamEvent[]> {
  const events: QueryStreamEvent[] = []
  for await (const event of stream) events.push(event)
  return events
}

async function newKey(
  role: 'serving' | 'serving_and_indexing',
  corpusKeys: string[]
): Promise<ApiKey> {
  const key = await admin.createApiKey({ name: `live-${role}-${Date.now()}`, role, corpusKeys })
  secretsSeen.add(key.secret_key ?? '')
  return key
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, propagationMs: 0, streamChunkDelayMs: 0 })
  secretsSeen.add(sandbox.personalKey)
  secretsSeen.add(sandbox.oauthClient.clientSecret)
  admin = clientFor(sandbox.personalKey)
})

afterAll(async () => {
  await sandbox?.close()
})

describe('API keys (Personal key)', () => {
  it('lists the seeded keys with their kinds and corpora', async () => {
    const keys = await admin.listAllApiKeys()
    for (const key of keys) secretsSeen.add(key.secret_key ?? '')
    const byName = new Map(keys.map((k) => [k.name, k]))
    const faq = byName.get('website-search')!
    expect(keyKindOf(faq)).toBe('query')
    expect(faq.secret_key).toMatch(/^zqt_/)
    expect(corpusKeysOf(faq)).toEqual(['product-faq'])
    expect(keyKindOf(byName.get('release-notes-indexer')!)).toBe('index')
    expect(byName.get('legacy-intranet-search')?.enabled).toBe(false)
    expect(keys.some((k) => keyKindOf(k) === 'personal')).toBe(true)
  })

  it('filters by role and by corpus', async () => {
    const serving = await admin.listAllApiKeys({ role: 'serving' })
    expect(serving.length).toBeGreaterThan(0)
    expect(serving.every((k) => k.api_key_role === 'serving')).toBe(true)
    const onHandbook = await admin.listAllApiKeys({ corpusKey: 'employee-handbook' })
    expect(onHandbook.length).toBeGreaterThan(0)
    expect(onHandbook.every((k) => corpusKeysOf(k).includes('employee-handbook'))).toBe(true)
  })

  it('creates Query and Index keys from the legacy fields and reads the RBAC fields back', async () => {
    const query = await newKey('serving', ['product-faq'])
    expect(query).toMatchObject({ enabled: true, api_key_role: 'serving' })
    expect(query.secret_key).toMatch(/^zqt_/)
    expect(query.corpus_roles).toEqual([{ corpus_key: 'product-faq', role: 'viewer' }])
    const index = await newKey('serving_and_indexing', ['release-notes'])
    expect(keyKindOf(index)).toBe('index')
    expect(index.corpus_roles).toEqual([{ corpus_key: 'release-notes', role: 'editor' }])
    expect(await admin.getApiKey(query.id!)).toMatchObject({ id: query.id, name: query.name })
  })

  it('disables and re-enables a key, which blocks and then serves queries again', async () => {
    const key = await newKey('serving', ['product-faq'])
    const user = clientFor(key.secret_key!)
    const ask = () => user.queryCorpus('product-faq', { query: 'battery life' })
    expect((await ask()).search_results?.length).toBeGreaterThan(0)
    expect(await admin.setApiKeyEnabled(key.id!, false)).toMatchObject({ enabled: false })
    const blocked = await failure(ask())
    expect(blocked).toMatchObject({ code: 'API_UNAUTHORIZED', status: 401 })
    expect(toAppError(blocked)?.message).toMatch(
      /^The API rejected the credential \(unknown, disabled or deleted key\)/
    )
    expect(await admin.setApiKeyEnabled(key.id!, true)).toMatchObject({ enabled: true })
    expect((await ask()).search_results?.length).toBeGreaterThan(0)
  })

  it('deletes a key: it stops working and is then not found', async () => {
    const key = await newKey('serving', ['product-faq'])
    await admin.deleteApiKey(key.id!)
    const user = clientFor(key.secret_key!)
    expect(await failure(user.queryCorpus('product-faq', { query: 'x' }))).toMatchObject({
      code: 'API_UNAUTHORIZED'
    })
    const gone = await failure(admin.getApiKey(key.id!))
    expect(gone).toMatchObject({ code: 'API_NOT_FOUND', status: 404, id: key.id })
    expect(gone.requestId).toBeTruthy()
    expect(await failure(admin.deleteApiKey(key.id!))).toMatchObject({ code: 'API_NOT_FOUND' })
  })

  it('explains a bad create with field errors (400)', async () => {
    const error = await failure(
      admin.createApiKey({ name: 'orphan', role: 'serving', corpusKeys: ['no-such-corpus'] })
    )
    expect(error).toMatchObject({ code: 'API_BAD_REQUEST', status: 400 })
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(['corpus_keys[0]'])
    expect(toAppError(error)?.toShape()).toMatchObject({
      code: 'API_BAD_REQUEST',
      fieldErrors: error.fieldErrors
    })
  })
})

describe('paging through many keys', () => {
  let big: SandboxHandle
  beforeAll(async () => {
    big = await startSandbox({ port: 0, seedKeys: 250 })
    secretsSeen.add(big.personalKey)
  })
  afterAll(async () => {
    await big?.close()
  })

  it('yields pages of 100 until the last, with no key twice', async () => {
    const client = new VectaraClient({
      baseUrl: big.url,
      auth: { type: 'api_key', apiKey: big.personalKey }
    })
    const sizes: number[] = []
    const ids = new Set<string>()
    for await (const page of client.listApiKeys()) {
      sizes.push(page.length)
      for (const key of page) ids.add(key.id!)
    }
    expect(sizes.slice(0, 2)).toEqual([100, 100])
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(ids.size)
    expect(ids.size).toBeGreaterThanOrEqual(251)
  })
})

describe('corpora and documents', () => {
  const corpusKey = `live-${Date.now()}`

  it('lists, filters and gets corpora', async () => {
    const corpora = await admin.listAllCorpora()
    expect(corpora.map((c) => c.key)).toEqual(
      expect.arrayContaining(['employee-handbook', 'product-faq'])
    )
    const pages: number[] = []
    for await (const page of admin.listCorpora({ filter: 'handbook' })) pages.push(page.length)
    expect(pages).toEqual([1])
    const handbook = await admin.getCorpus('employee-handbook')
    expect(handbook).toMatchObject({ key: 'employee-handbook', name: 'Employee handbook' })
    expect(handbook.filter_attributes?.map((a) => a.name)).toContain('year')
  })

  it('creates a corpus, refuses a duplicate (409) and a bad key (400), deletes it (404 after)', async () => {
    const created = await admin.createCorpus({
      key: corpusKey,
      name: 'Live test corpus',
      filter_attributes: [{ name: 'topic', level: 'document', type: 'text' }]
    })
    expect(created).toMatchObject({ key: corpusKey, name: 'Live test corpus' })
    const duplicate = await failure(admin.createCorpus({ key: corpusKey }))
    expect(duplicate).toMatchObject({ code: 'API_CONFLICT', status: 409 })
    expect(toAppError(duplicate)?.message).toMatch(/already exists/)
    const invalid = await failure(admin.createCorpus({ key: 'bad key!' }))
    expect(invalid).toMatchObject({ code: 'API_BAD_REQUEST', status: 400 })
    expect(invalid.fieldErrors).toHaveProperty('key')
  })

  it('indexes core and structured documents, lists them, refuses a duplicate, deletes by encoded id', async () => {
    const indexKey = await newKey('serving_and_indexing', [corpusKey])
    const indexer = clientFor(indexKey.secret_key!)
    const core = await indexer.createDocument(corpusKey, {
      id: 'faq/1',
      type: 'core',
      metadata: { topic: 'lanterns' },
      document_parts: [{ text: 'The lantern glows amber for twelve hours on one charge.' }]
    })
    expect(core.id).toBe('faq/1')
    await indexer.createDocument(
      corpusKey,
      {
        id: 'guide 2',
        type: 'structured',
        title: 'Charging guide',
        sections: [{ title: 'Cables', text: 'Use the braided cable for fast charging.' }]
      },
      { waitFor: 'indexed' }
    )
    const duplicate = await failure(
      indexer.createDocument(corpusKey, {
        id: 'faq/1',
        type: 'core',
        document_parts: [{ text: 'again' }]
      })
    )
    expect(duplicate).toMatchObject({ code: 'API_CONFLICT', status: 409 })
    const listed: string[] = []
    for await (const page of admin.listDocuments(corpusKey)) listed.push(...page.map((d) => d.id!))
    expect(listed.sort()).toEqual(['faq/1', 'guide 2'])
    const filtered = await admin.listAllDocuments(corpusKey, {
      metadataFilter: "doc.topic = 'lanterns'"
    })
    expect(filtered.map((d) => d.id)).toEqual(['faq/1'])
    await indexer.deleteDocument(corpusKey, 'faq/1')
    expect(await failure(indexer.deleteDocument(corpusKey, 'faq/1'))).toMatchObject({
      code: 'API_NOT_FOUND'
    })
  })

  it('deletes the corpus, after which it is not found', async () => {
    await admin.deleteCorpus(corpusKey)
    const error = await failure(admin.getCorpus(corpusKey))
    expect(error).toMatchObject({ code: 'API_NOT_FOUND', status: 404 })
  })
})

describe('queries and history', () => {
  let handbookKey: ApiKey

  beforeAll(async () => {
    handbookKey = await newKey('serving', ['employee-handbook'])
  })

  it('answers a multi-corpus query and a corpus query', async () => {
    const user = clientFor(handbookKey.secret_key!)
    const answer = await user.query({
      query: 'parental leave',
      search: { corpora: [{ corpus_key: 'employee-handbook' }], limit: 3 },
      generation: { max_used_search_results: 3, citations: { style: 'numeric' } },
      save_history: true
    })
    expect(answer.search_results?.length).toBeGreaterThan(0)
    expect(answer.search_results?.length).toBeLessThanOrEqual(3)
    expect(answer.summary).toBeTruthy()
    const corpusAnswer = await user.queryCorpus('employee-handbook', {
      query: 'remote work',
      search: { limit: 2 }
    })
    expect(
      corpusAnswer.search_results?.every(
        (r) => r.corpus_key === undefined || r.corpus_key === 'employee-handbook'
      )
    ).toBe(true)
    expect(infos.filter((i) => i.operation === 'query').at(-1)?.resultCount).toBe(
      answer.search_results?.length
    )
  })

  it('streams a generated answer as typed events ending with end', async () => {
    const user = clientFor(handbookKey.secret_key!)
    const events = await collect(
      await user.query({
        query: 'expenses policy',
        search: { corpora: [{ corpus_key: 'employee-handbook' }] },
        generation: { citations: { style: 'numeric' } },
        stream_response: true
      })
    )
    const types = events.map((e) => e.type)
    expect(types[0]).toBe('search_results')
    expect(types).toContain('generation_chunk')
    expect(types.at(-1)).toBe('end')
    const summary = events
      .map((e) => (e.type === 'generation_chunk' ? e.generation_chunk : ''))
      .join('')
    expect(summary.length).toBeGreaterThan(0)
    expect(infos.at(-1)).toMatchObject({ operation: 'query', ok: true, status: 200 })
  })

  it('cancels a stream promptly', async () => {
    const slow = await startSandbox({ port: 0, streamChunkDelayMs: 200 })
    try {
      secretsSeen.add(slow.personalKey)
      const client = new VectaraClient({
        baseUrl: slow.url,
        auth: { type: 'api_key', apiKey: slow.personalKey }
      })
      const controller = new AbortController()
      const stream = await client.queryCorpus(
        'employee-handbook',
        { query: 'leave', generation: {}, stream_response: true },
        { signal: controller.signal }
      )
      const started = performance.now()
      const error = await failure(
        (async () => {
          for await (const event of stream) if (event.type === 'search_results') controller.abort()
        })()
      )
      expect(error.code).toBe('CANCELLED')
      expect(performance.now() - started).toBeLessThan(1_000)
    } finally {
      await slow.close()
    }
  })

  it('lists saved queries and gets one', async () => {
    const started = new Date(Date.now() - 60_000)
    const saved = await admin.listAllQueries({
      corpusKey: 'employee-handbook',
      startedAfter: started
    })
    const leave = saved.find((q) => q.query === 'parental leave')
    expect(leave).toBeDefined()
    const history = await admin.getQuery(leave!.id!)
    expect(history).toMatchObject({ id: leave!.id, query: { query: 'parental leave' } })
    const missing = await failure(admin.getQuery('qry_does_not_exist'))
    expect(missing).toMatchObject({ code: 'API_NOT_FOUND', status: 404 })
  })
})

describe('errors the app has to explain', () => {
  it('401 for an unknown key', async () => {
    const stranger = clientFor('zqt_ThisKeyWasNeverIssued0123456789')
    const error = await failure(stranger.queryCorpus('product-faq', { query: 'x' }))
    expect(error).toMatchObject({ code: 'API_UNAUTHORIZED', status: 401 })
    expect(error.requestId).toBeTruthy()
  })

  it('403 for a Query key outside its scope: another corpus, indexing, managing keys', async () => {
    const key = await newKey('serving', ['product-faq'])
    const user = clientFor(key.secret_key!)
    const otherCorpus = await failure(user.queryCorpus('employee-handbook', { query: 'leave' }))
    expect(otherCorpus).toMatchObject({ code: 'API_FORBIDDEN', status: 403 })
    expect(toAppError(otherCorpus)?.message).toMatch(/not allowed to do this/)
    const indexing = await failure(
      user.createDocument('product-faq', { id: 'x', type: 'core', document_parts: [{ text: 't' }] })
    )
    expect(indexing).toMatchObject({ code: 'API_FORBIDDEN' })
    expect(await failure(user.listAllApiKeys())).toMatchObject({ code: 'API_FORBIDDEN' })
  })

  it('404 for a query on a corpus that does not exist', async () => {
    const error = await failure(admin.queryCorpus('no-such-corpus', { query: 'x' }))
    expect(error).toMatchObject({ code: 'API_NOT_FOUND', status: 404 })
  })

  it('400 with field errors for an invalid query', async () => {
    const error = await failure(
      admin.query({
        query: 'x',
        search: {
          corpora: [{ corpus_key: 'employee-handbook', metadata_filter: 'doc.unknown_attr = 1' }]
        }
      })
    )
    expect(error).toMatchObject({ code: 'API_BAD_REQUEST', status: 400 })
  })
})

describe('OAuth client credentials against the Sandbox', () => {
  it('gets a token from /oauth2/token and manages keys with it', async () => {
    const oauthInfos: VectaraRequestInfo[] = []
    const client = new VectaraClient({
      baseUrl: sandbox.url,
      auth: { type: 'oauth', ...sandbox.oauthClient, tokenUrl: `${sandbox.url}/oauth2/token` },
      fetch: checkedFetch,
      onRequest: (info) => oauthInfos.push(info)
    })
    const keys = await client.listAllApiKeys()
    expect(keys.length).toBeGreaterThan(0)
    await client.getCorpus('product-faq')
    expect(oauthInfos.filter((i) => i.operation === 'oauth.token')).toHaveLength(1)
    infos.push(...oauthInfos)
  })

  it('explains wrong client credentials', async () => {
    const client = new VectaraClient({
      baseUrl: sandbox.url,
      auth: {
        type: 'oauth',
        clientId: sandbox.oauthClient.clientId,
        clientSecret: 'wrong-secret-123',
        tokenUrl: `${sandbox.url}/oauth2/token`
      },
      fetch: checkedFetch
    })
    const error = await failure(client.listAllApiKeys())
    expect(error).toMatchObject({ code: 'API_UNAUTHORIZED', status: 401 })
    expect(error.message).toMatch(/OAuth token endpoint rejected the client ID or secret/)
  })
})

describe('conformance with the official spec', () => {
  it('every answer the client received matched vectara-oas-v2.yaml', async () => {
    await Promise.all(conformance.pending)
    if (!conformance.validator.available) {
      // loadOpenApi has already warned (and would have thrown under CI=true).
      return
    }
    // The oracle is live: it does reject a body of the wrong shape.
    expect(
      conformance.validator.validateResponse('GET', '/v2/api_keys', 200, { api_keys: 'x' }).ok
    ).toBe(false)
    const failures = conformance.records.filter((r) => !r.verdict.ok)
    expect(failures, JSON.stringify(failures.slice(0, 5), null, 2)).toEqual([])
    const checked = new Set(
      conformance.records.map((r) =>
        r.what.replace(/\/v2\/[^ ]*/, (p) => p.split('/').slice(0, 3).join('/'))
      )
    )
    expect(conformance.records.length).toBeGreaterThan(40)
    expect(checked.size).toBeGreaterThan(10)
  })
})

describe('secrets', () => {
  it('no observer record or error from this whole run holds a secret', () => {
    expect(infos.length).toBeGreaterThan(20)
    expect(errorsSeen.length).toBeGreaterThan(10)
    const written =
      JSON.stringify(infos) + errorsSeen.map((e) => `${String(e)} ${JSON.stringify(e)}`).join('\n')
    for (const secret of secretsSeen) {
      if (secret) expect(written).not.toContain(secret)
    }
  })
})
