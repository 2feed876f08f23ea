import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SandboxHandle } from '../../src/sandbox'
import { call, openapi, parseSse, start, type Body } from './helpers'

let sandbox: SandboxHandle
beforeAll(async () => {
  sandbox = await start()
})
afterAll(() => sandbox.close())

const QUESTION =
  'How many weeks of parental leave do parents get, and how many days of annual leave?'
const ask = (
  generation: unknown,
  extra: Record<string, unknown> = {},
  headers?: Record<string, string>
) =>
  call(sandbox, 'POST', '/v2/query', {
    body: {
      query: QUESTION,
      search: { corpora: [{ corpus_key: 'employee-handbook' }], limit: 5 },
      generation,
      ...extra
    },
    headers
  })

describe('generation (non-streamed)', () => {
  it('summarises the top results with numeric citations, an FCS and the response language', async () => {
    const response = await ask({ max_used_search_results: 3 })
    expect(response.status).toBe(200)
    const {
      summary,
      factual_consistency_score: fcs,
      response_language: language,
      search_results: hits
    } = response.body
    expect(summary).toMatch(/20 weeks of fully paid parental leave.* \[\d\]/)
    const cited = [...(summary as string).matchAll(/\[(\d+)\]/g)].map((m) => Number(m[1]))
    expect(cited.length).toBeGreaterThan(0)
    expect(cited.every((n) => n >= 1 && n <= 3)).toBe(true)
    expect(fcs).toBeGreaterThan(0)
    expect(fcs).toBeLessThanOrEqual(1)
    expect(language).toBe('eng')
    expect(hits).toHaveLength(5)
  })

  it('puts only text from the cited result into each cited sentence', async () => {
    const response = await ask({ max_used_search_results: 5 })
    const hits = response.body.search_results as Body[]
    for (const match of (response.body.summary as string).matchAll(/([^.]*?) \[(\d+)\]\./g)) {
      expect(hits[Number(match[2]) - 1].text).toContain(match[1].trim())
    }
  })

  it('is deterministic', async () => {
    const [a, b] = await Promise.all([ask({}), ask({})])
    expect(a.body.summary).toBe(b.body.summary)
    expect(a.body.factual_consistency_score).toBe(b.body.factual_consistency_score)
  })

  it('uses at most max_used_search_results results', async () => {
    const response = await ask({ max_used_search_results: 1 })
    expect(response.body.summary).toMatch(/\[1\]/)
    expect(response.body.summary).not.toMatch(/\[2\]/)
  })

  it.each([
    [{ style: 'none' }, (s: string) => expect(s).not.toMatch(/\[\d\]|<a |\]\(/)],
    [{ style: 'numeric' }, (s: string) => expect(s).toMatch(/ \[1\]/)],
    [
      { style: 'html', url_pattern: 'https://docs.example/{doc.id}' },
      (s: string) => expect(s).toMatch(/<a href="https:\/\/docs\.example\/leave-policy">1<\/a>/)
    ],
    [
      {
        style: 'markdown',
        url_pattern: 'https://docs.example/{doc.id}',
        text_pattern: '{doc.title}'
      },
      (s: string) =>
        expect(s).toMatch(/\[Leave and time off\]\(https:\/\/docs\.example\/leave-policy\)/)
    ]
  ])('formats citations as %j', async (citations, check) => {
    const response = await ask({ citations })
    expect(response.status).toBe(200)
    check(response.body.summary)
  })

  it('echoes a requested response language and can leave out the FCS', async () => {
    const response = await ask({
      response_language: 'fra',
      enable_factual_consistency_score: false
    })
    expect(response.body.response_language).toBe('fra')
    expect(response.body.factual_consistency_score).toBeUndefined()
  })

  it('keeps the summary near max_response_characters', async () => {
    const response = await ask({ max_used_search_results: 5, max_response_characters: 120 })
    expect(response.body.summary.length).toBeLessThan(200)
  })

  it('has no summary when generation is absent, null or disabled', async () => {
    for (const generation of [undefined, null, { enabled: false }]) {
      const response = await ask(generation)
      expect(response.body.summary).toBeUndefined()
      expect(response.body.search_results.length).toBeGreaterThan(0)
    }
  })

  it('says plainly when nothing answers the question', async () => {
    const response = await call(sandbox, 'POST', '/v2/query', {
      body: {
        query: 'xyzzy plugh',
        search: { corpora: [{ corpus_key: 'product-faq' }] },
        generation: {}
      }
    })
    expect(response.body.search_results).toEqual([])
    expect(response.body.summary).toMatch(/None of the searched documents answers this question/)
    expect(response.body.factual_consistency_score).toBe(0)
  })

  it.each([
    [{ max_used_search_results: -1 }, 'generation.max_used_search_results'],
    [{ response_language: 'klingon' }, 'generation.response_language'],
    [{ citations: { style: 'apa' } }, 'generation.citations.style'],
    [{ generation_preset_name: '' }, 'generation.generation_preset_name'],
    [{ model_parameters: { max_tokens: 0 } }, 'generation.model_parameters.max_tokens'],
    ['yes', 'generation']
  ])('answers 400 for generation %j', async (generation, field) => {
    const response = await ask(generation)
    expect(response.status).toBe(400)
    expect(response.body.field_errors).toHaveProperty([field])
  })
})

describe('streaming', () => {
  it('streams search_results, several generation_chunks, generation_end, factual_consistency_score, end', async () => {
    const streamed = await ask({ max_used_search_results: 3 }, { stream_response: true })
    expect(streamed.status).toBe(200)
    expect(streamed.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const events = streamed.events!.map((e) => e.event)
    const chunks = streamed.events!.filter((e) => e.event === 'generation_chunk')
    expect(chunks.length).toBeGreaterThanOrEqual(3)
    expect(events).toEqual([
      'search_results',
      ...chunks.map(() => 'generation_chunk'),
      'generation_end',
      'factual_consistency_score',
      'end'
    ])
    for (const chunk of chunks)
      expect(
        (chunk.data.generation_chunk as string).trim().split(/\s+/).length
      ).toBeLessThanOrEqual(5)

    const plain = await ask({ max_used_search_results: 3 })
    expect(chunks.map((c) => c.data.generation_chunk).join('')).toBe(plain.body.summary)
    expect(streamed.events![0].data.search_results).toEqual(plain.body.search_results)
    expect(streamed.events!.at(-2)!.data.factual_consistency_score).toBe(
      plain.body.factual_consistency_score
    )
  })

  it('streams when the client only sends Accept: text/event-stream', async () => {
    const response = await ask({}, {}, { accept: 'text/event-stream' })
    expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(response.events!.at(-1)!.event).toBe('end')
  })

  it('streams search_results then end when there is no generation', async () => {
    const response = await ask(undefined, { stream_response: true })
    expect(response.events!.map((e) => e.event)).toEqual(['search_results', 'end'])
  })

  it('streams from the single-corpus endpoint too', async () => {
    const response = await call(sandbox, 'POST', '/v2/corpora/product-faq/query', {
      body: { query: 'warranty', generation: {}, stream_response: true }
    })
    expect(response.events!.map((e) => e.event)).toContain('generation_chunk')
  })

  it('answers validation errors as JSON before any stream starts', async () => {
    const response = await ask({ citations: { style: 'apa' } }, { stream_response: true })
    expect(response.status).toBe(400)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
  })
})

describe('streaming, paced and interrupted', () => {
  let paced: SandboxHandle
  beforeAll(async () => {
    paced = await start({ streamChunkDelayMs: 40, maxConcurrentStreams: 1 })
  })
  afterAll(() => paced.close())

  const streamRequest = (signal?: AbortSignal) =>
    fetch(`${paced.url}/v2/query`, {
      method: 'POST',
      headers: { 'x-api-key': paced.personalKey, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: QUESTION,
        search: { corpora: [{ corpus_key: 'employee-handbook' }] },
        generation: {},
        stream_response: true
      }),
      signal
    })

  /** Reads a stream as it arrives, noting when each event came in. */
  async function readTimed(
    response: Response
  ): Promise<{ event: string; at: number; data: Body }[]> {
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    const seen: { event: string; at: number; data: Body }[] = []
    let buffer = ''
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      buffer += decoder.decode(value, { stream: true })
      let end: number
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const [event] = parseSse(buffer.slice(0, end + 2))
        buffer = buffer.slice(end + 2)
        seen.push({ event: event.event, at: performance.now(), data: event.data })
        const verdict = openapi.validateEvent('POST', '/v2/query', event.data)
        expect(verdict.errors).toBeUndefined()
      }
    }
    return seen
  }

  it('flushes each chunk as it is written instead of buffering the stream', async () => {
    const events = await readTimed(await streamRequest())
    const chunks = events.filter((e) => e.event === 'generation_chunk')
    expect(chunks.length).toBeGreaterThanOrEqual(3)
    const spread = chunks.at(-1)!.at - chunks[0].at
    expect(spread).toBeGreaterThanOrEqual((chunks.length - 1) * 40 * 0.5)
    expect(events.at(-1)!.event).toBe('end')
  })

  it('paces the next stream at a delay changed at run time, and refuses a negative one', async () => {
    paced.setStreamChunkDelayMs(0)
    const fast = (await readTimed(await streamRequest())).filter(
      (e) => e.event === 'generation_chunk'
    )
    paced.setStreamChunkDelayMs(120)
    const slow = (await readTimed(await streamRequest())).filter(
      (e) => e.event === 'generation_chunk'
    )
    paced.setStreamChunkDelayMs(40)
    expect(slow.length).toBe(fast.length)
    expect(slow.at(-1)!.at - slow[0].at).toBeGreaterThanOrEqual((slow.length - 1) * 120 * 0.5)
    expect(() => paced.setStreamChunkDelayMs(-1)).toThrow(RangeError)
  })

  it('answers 429 when the stream slots are taken, and frees the slot when a client goes away', async () => {
    const abort = new AbortController()
    const first = await streamRequest(abort.signal)
    const reader = first.body!.getReader()
    await reader.read()
    const second = await call(paced, 'POST', '/v2/query', {
      body: {
        query: 'leave',
        search: { corpora: [{ corpus_key: 'employee-handbook' }] },
        stream_response: true
      }
    })
    expect(second.status).toBe(429)
    expect(second.headers.get('retry-after')).toBe('1')
    expect(second.body.messages[0]).toMatch(/concurrent streams/)
    abort.abort()
    await reader.read().catch(() => undefined)
    let retry = 0
    let third: Response | undefined
    while (retry++ < 50) {
      third = await streamRequest()
      if (third.status !== 429) break
      await third.text()
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    expect(third!.status).toBe(200)
    expect((await readTimed(third!)).at(-1)!.event).toBe('end')
  })

  it('sends an error event, then end, when the Sandbox shuts down mid-stream', async () => {
    const slow = await start({ streamChunkDelayMs: 200 })
    const response = await fetch(`${slow.url}/v2/query`, {
      method: 'POST',
      headers: { 'x-api-key': slow.personalKey, 'content-type': 'application/json' },
      body: JSON.stringify({
        query: QUESTION,
        search: { corpora: [{ corpus_key: 'employee-handbook' }] },
        generation: {},
        stream_response: true
      })
    })
    const reading = readTimed(response)
    await new Promise((resolve) => setTimeout(resolve, 250))
    await slow.close()
    const events = (await reading).map((e) => e.event)
    expect(events[0]).toBe('search_results')
    expect(events.slice(-2)).toEqual(['error', 'end'])
    expect(events).not.toContain('generation_end')
  })
})
