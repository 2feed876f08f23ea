import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SandboxHandle } from '../../src/sandbox'
import { call, FakeClock, seededKeys, start, type Body } from './helpers'

const clock = new FakeClock(Date.parse('2026-04-01T08:00:00Z'))
let sandbox: SandboxHandle
let keys: Record<string, Body>
beforeAll(async () => {
  sandbox = await start({ now: clock.now })
  keys = await seededKeys(sandbox)
})
afterAll(() => sandbox.close())

const ask = (corpus: string, query: string, extra: Record<string, unknown> = {}) =>
  call(sandbox, 'POST', '/v2/query', {
    body: { query, search: { corpora: [{ corpus_key: corpus }] }, ...extra }
  })
const history = (params = '', key?: string) => call(sandbox, 'GET', `/v2/queries${params}`, { key })
const newest = async () => (await history('?limit=1')).body.queries[0] as Body | undefined

describe('saving queries', () => {
  it('save_history: true records the query with its summary, FCS and timing', async () => {
    clock.advance(1000)
    const answered = await ask('product-faq', 'how do I charge the lantern', {
      save_history: true,
      generation: { max_used_search_results: 2 }
    })
    const entry = await newest()
    expect(entry).toMatchObject({
      id: expect.stringMatching(/^qry_/),
      query: 'how do I charge the lantern',
      corpus_key: 'product-faq',
      started_at: new Date(clock.time).toISOString(),
      generation: answered.body.summary,
      factual_consistency_score: answered.body.factual_consistency_score
    })
    expect(entry!.latency_millis).toBeGreaterThanOrEqual(0)

    const full = await call(sandbox, 'GET', `/v2/queries/${entry!.id}`)
    expect(full.status).toBe(200)
    expect(full.body.query).toMatchObject({
      query: 'how do I charge the lantern',
      search: { corpora: [{ corpus_key: 'product-faq' }] },
      generation: { max_used_search_results: 2 },
      save_history: true
    })
    expect(full.body.spans.map((s: Body) => s.type)).toEqual(['search', 'generation', 'fcs'])
    const [search, generation, fcs] = full.body.spans
    expect(search.search_results.length).toBeGreaterThan(0)
    expect(generation.generation).toBe(answered.body.summary)
    expect(generation.prompt).toMatch(/how do I charge the lantern/)
    expect(fcs.score).toBe(answered.body.factual_consistency_score)
  })

  it('follows the corpus default when the request is silent, and an explicit false wins', async () => {
    const before = (await newest())!.id
    await ask('product-faq', 'returns policy')
    expect((await newest())!.id).toBe(before)
    await ask('employee-handbook', 'home office budget')
    const saved = await newest()
    expect(saved).toMatchObject({ query: 'home office budget', corpus_key: 'employee-handbook' })
    await ask('employee-handbook', 'not to be saved', { save_history: false })
    expect((await newest())!.id).toBe(saved!.id)
  })

  it('records a rerank span when a reranker reorders, and GET queries as QueryRequest', async () => {
    await ask('employee-handbook', 'security keys', {
      search: {
        corpora: [{ corpus_key: 'employee-handbook' }],
        reranker: { type: 'mmr', diversity_bias: 0.5 }
      }
    })
    const spans = (await call(sandbox, 'GET', `/v2/queries/${(await newest())!.id}`)).body
      .spans as Body[]
    expect(spans.map((s) => s.type)).toEqual(['search', 'rerank'])
    expect(spans[1].reranked_search_results[0]).toEqual({
      text: expect.any(String),
      score: expect.any(Number),
      original_score: expect.any(Number)
    })

    await call(
      sandbox,
      'GET',
      '/v2/corpora/product-faq/query?query=sos%20strobe&limit=3&save_history=true'
    )
    const entry = (await call(sandbox, 'GET', `/v2/queries/${(await newest())!.id}`)).body
    expect(entry.query).toEqual({
      query: 'sos strobe',
      search: { corpora: [{ corpus_key: 'product-faq' }], offset: 0, limit: 3 },
      save_history: true
    })
  })

  it('records a streamed query once the stream completes', async () => {
    await ask('product-faq', 'streamed and saved', {
      stream_response: true,
      save_history: true,
      generation: {}
    })
    expect((await newest())!.query).toBe('streamed and saved')
  })
})

describe('GET /v2/queries', () => {
  let times: string[]
  beforeAll(async () => {
    await call(sandbox, 'POST', '/v2/corpora', {
      body: { key: 'history-only', save_history: true }
    })
    await call(sandbox, 'POST', '/v2/corpora/history-only/documents', {
      body: { id: 'h', type: 'core', document_parts: [{ text: 'history text' }] }
    })
    times = []
    for (let i = 0; i < 5; i++) {
      clock.advance(60_000)
      times.push(new Date(clock.time).toISOString())
      await ask('history-only', `history question ${i}`)
    }
  })

  it('lists newest first and pages with page_key, omitted on the last page', async () => {
    const first = await history('?corpus_key=history-only&limit=2')
    expect(first.body.queries.map((q: Body) => q.query)).toEqual([
      'history question 4',
      'history question 3'
    ])
    const second = await history(
      `?corpus_key=history-only&limit=2&page_key=${first.body.metadata.page_key}`
    )
    const third = await history(
      `?corpus_key=history-only&limit=2&page_key=${second.body.metadata.page_key}`
    )
    expect(third.body.queries.map((q: Body) => q.query)).toEqual(['history question 0'])
    expect(third.body.metadata.page_key).toBeUndefined()
  })

  it('filters by started_after and started_before', async () => {
    const window = await history(
      `?corpus_key=history-only&started_after=${encodeURIComponent(times[0])}&started_before=${encodeURIComponent(times[3])}`
    )
    expect(window.body.queries.map((q: Body) => q.query)).toEqual([
      'history question 2',
      'history question 1'
    ])
  })

  it('filters by history_id and finds nothing for a chat_id', async () => {
    const one = (await history('?corpus_key=history-only&limit=1')).body.queries[0]
    expect((await history(`?history_id=${one.id}`)).body.queries).toEqual([one])
    expect((await history('?chat_id=cht_1')).body.queries).toEqual([])
  })

  it.each([
    ['?limit=101', 'limit'],
    ['?started_after=yesterday', 'started_after'],
    ['?started_before=2026-13-01T00:00:00Z', 'started_before'],
    ['?page_key=%%%', 'page_key']
  ])('answers 400 for %s', async (params, field) => {
    const response = await history(params)
    expect(response.status).toBe(400)
    expect(response.body.field_errors).toHaveProperty([field])
  })

  it('answers 404 for an unknown id', async () => {
    const response = await call(sandbox, 'GET', '/v2/queries/qry_missing')
    expect(response.status).toBe(404)
    expect(response.body.id).toBe('qry_missing')
  })
})

describe('query history and scoped keys', () => {
  it('a Query key reads the history of its own corpora only', async () => {
    const key = keys['handbook-assistant'].secret_key
    await call(sandbox, 'POST', '/v2/query', {
      key,
      body: {
        query: 'asked by the handbook key',
        search: { corpora: [{ corpus_key: 'employee-handbook' }] }
      }
    })
    const visible = await history('?limit=100', key)
    expect(visible.status).toBe(200)
    expect(visible.body.queries.length).toBeGreaterThan(0)
    expect(visible.body.queries.every((q: Body) => q.corpus_key === 'employee-handbook')).toBe(true)

    expect((await history('?corpus_key=product-faq', key)).status).toBe(403)
    const foreign = (await history('?corpus_key=product-faq&limit=1')).body.queries[0]
    expect((await call(sandbox, 'GET', `/v2/queries/${foreign.id}`, { key })).status).toBe(403)
    const own = visible.body.queries[0]
    expect((await call(sandbox, 'GET', `/v2/queries/${own.id}`, { key })).status).toBe(200)
  })
})
