import { describe, expect, it } from 'vitest'
import type { QueryStreamEvent } from '@shared/vectara'
import type { VectaraError } from '../../../src/main/vectara/errors'
import { rejectionOf, testClient } from './helpers/clientFactory'
import {
  delay,
  inSequence,
  sendJson,
  sseFrame,
  startEventStream,
  useLoopbackServer
} from './helpers/loopbackServer'

const serve = useLoopbackServer()

const request = {
  query: 'parental leave?',
  search: { corpora: [{ corpus_key: 'handbook' }] },
  generation: { generation_preset_name: 'mockingbird-2.0' },
  stream_response: true as const
}

const fullStream = [
  sseFrame('search_results', {
    search_results: [
      { text: 'Sixteen weeks of paid leave.', score: 0.81, document_id: 'leave' },
      { text: 'Sick days accrue monthly.', score: 0.4, document_id: 'sick' }
    ]
  }),
  sseFrame('generation_chunk', { generation_chunk: 'Employees get ' }),
  sseFrame('generation_chunk', { generation_chunk: '16 weeks [1] — café ✓.' }),
  sseFrame('generation_end'),
  sseFrame('generation_info', { rendered_prompt: 'prompt', rephrased_query: 'leave' }),
  sseFrame('factual_consistency_score', { factual_consistency_score: 0.91 }),
  sseFrame('end')
].join('')

async function collect(stream: AsyncIterable<QueryStreamEvent>): Promise<QueryStreamEvent[]> {
  const events: QueryStreamEvent[] = []
  for await (const event of stream) events.push(event)
  return events
}

/** Resolves when the server side of the connection closes. */
function closed(raw: { socket: { once(event: 'close', fn: () => void): unknown } }): Promise<void> {
  return new Promise((resolve) => raw.socket.once('close', () => resolve()))
}

describe('streamed query', () => {
  it('yields typed events in order and asks for an event stream', async () => {
    const srv = await serve((_req, res) => {
      startEventStream(res)
      res.end(fullStream)
    })
    const { client, infos } = testClient(srv.url)
    const events = await collect(await client.query(request))
    expect(events.map((e) => e.type)).toEqual([
      'search_results',
      'generation_chunk',
      'generation_chunk',
      'generation_end',
      'generation_info',
      'factual_consistency_score',
      'end'
    ])
    const summary = events
      .map((e) => (e.type === 'generation_chunk' ? e.generation_chunk : ''))
      .join('')
    expect(summary).toBe('Employees get 16 weeks [1] — café ✓.')
    expect(events[5]).toEqual({
      type: 'factual_consistency_score',
      factual_consistency_score: 0.91
    })
    expect(srv.requests[0].headers.accept).toBe('text/event-stream')
    expect(JSON.parse(srv.requests[0].body)).toMatchObject({ stream_response: true })
    expect(infos).toEqual([
      expect.objectContaining({
        operation: 'query',
        status: 200,
        ok: true,
        resultCount: 2,
        attempts: 1
      })
    ])
  })

  it('reassembles events split at any byte, including inside UTF-8 characters', async () => {
    const srv = await serve(async (_req, res) => {
      startEventStream(res)
      const bytes = Buffer.from(fullStream.replaceAll('\n', '\r\n'), 'utf8')
      for (let i = 0; i < bytes.length; i += 7) {
        res.write(bytes.subarray(i, i + 7))
        if (i % 70 === 0) await delay(1)
      }
      res.end()
    })
    const { client } = testClient(srv.url)
    const events = await collect(
      await client.queryCorpus('handbook', { query: 'leave?', stream_response: true })
    )
    expect(events).toHaveLength(7)
    expect(events[2]).toEqual({
      type: 'generation_chunk',
      generation_chunk: '16 weeks [1] — café ✓.'
    })
    expect(srv.requests[0].url).toBe('/v2/corpora/handbook/query')
  })

  it('passes unknown event types on instead of failing', async () => {
    const srv = await serve((_req, res) => {
      startEventStream(res)
      res.end(
        sseFrame('chat_info', { chat_id: 'cht_1' }) +
          ': a comment line\n\n' +
          'event:telemetry\ndata:{"spent":3}\n\n' +
          sseFrame('end')
      )
    })
    const { client } = testClient(srv.url)
    expect(await collect(await client.query(request))).toEqual([
      { type: 'unrecognized', event: 'chat_info', data: { type: 'chat_info', chat_id: 'cht_1' } },
      { type: 'unrecognized', event: 'telemetry', data: { spent: 3 } },
      { type: 'end' }
    ])
  })

  it('yields an in-stream error event and reports the call as failed', async () => {
    const srv = await serve((_req, res) => {
      startEventStream(res)
      res.end(sseFrame('error', { messages: ['Generation failed'] }) + sseFrame('end'))
    })
    const { client, infos } = testClient(srv.url)
    const events = await collect(await client.query(request))
    expect(events[0]).toEqual({ type: 'error', messages: ['Generation failed'] })
    expect(infos[0]).toMatchObject({ ok: false, status: 200, errorCode: 'API_SERVER_ERROR' })
  })

  it('ends quietly when the server closes right after an error event', async () => {
    const srv = await serve((_req, res) => {
      startEventStream(res)
      res.end(sseFrame('error', { messages: ['Query failed'] }))
    })
    const { client, infos } = testClient(srv.url)
    expect(await collect(await client.query(request))).toEqual([
      { type: 'error', messages: ['Query failed'] }
    ])
    expect(infos[0]).toMatchObject({ ok: false, errorCode: 'API_SERVER_ERROR' })
  })

  it('retries a 503 before the stream starts (queries are safe to repeat)', async () => {
    const srv = await serve(
      inSequence(
        (_req, res) => sendJson(res, 503, { messages: ['busy'] }),
        (_req, res) => {
          startEventStream(res)
          res.end(sseFrame('end'))
        }
      )
    )
    const { client, infos } = testClient(srv.url)
    expect(await collect(await client.query(request))).toEqual([{ type: 'end' }])
    expect(srv.requests).toHaveLength(2)
    expect(infos[0]).toMatchObject({ ok: true, attempts: 2 })
  })

  it('rejects the call itself on an HTTP error, with the body mapped', async () => {
    const srv = await serve((_req, res) =>
      sendJson(res, 403, { messages: ['Key not scoped to corpus'], request_id: 'r9' })
    )
    const { client, infos } = testClient(srv.url)
    const error = await rejectionOf(client.query(request))
    expect(error).toMatchObject({
      code: 'API_FORBIDDEN',
      requestId: 'r9',
      messages: ['Key not scoped to corpus']
    })
    expect(infos[0]).toMatchObject({ ok: false, status: 403, errorCode: 'API_FORBIDDEN' })
  })

  it('fails clearly when the answer is not an event stream', async () => {
    const srv = await serve((_req, res) => sendJson(res, 200, { summary: 'not streamed' }))
    const { client } = testClient(srv.url)
    const error = (await rejectionOf(client.query(request))) as VectaraError
    expect(error.code).toBe('API_INVALID_RESPONSE')
    expect(error.message).toMatch(/expected an event stream, got "application\/json"/)
  })

  it('fails clearly on an event whose data is not JSON', async () => {
    const srv = await serve((_req, res) => {
      startEventStream(res)
      res.end('event:generation_chunk\ndata:{"type":"generation_chunk","gen\n\n' + sseFrame('end'))
    })
    const { client } = testClient(srv.url)
    const error = await rejectionOf(collect(await client.query(request)))
    expect(error).toMatchObject({ code: 'API_INVALID_RESPONSE' })
  })

  it('fails clearly on a known event with a wrongly typed field', async () => {
    const srv = await serve((_req, res) => {
      startEventStream(res)
      res.end(
        sseFrame('factual_consistency_score', { factual_consistency_score: 'high' }) +
          sseFrame('end')
      )
    })
    const { client } = testClient(srv.url)
    const error = (await rejectionOf(collect(await client.query(request)))) as VectaraError
    expect(error.message).toMatch(
      /malformed "factual_consistency_score" event at factual_consistency_score/
    )
  })
})

describe('streams that go wrong', () => {
  it('a connection cut mid-event fails with NETWORK_ERROR after the events before it', async () => {
    const srv = await serve(async (_req, res) => {
      startEventStream(res)
      res.write(sseFrame('search_results', { search_results: [] }))
      res.write('event:generation_chunk\ndata:{"type":"generation_chunk","generation_ch')
      await delay(30)
      res.socket?.destroy()
    })
    const { client, infos } = testClient(srv.url)
    const seen: string[] = []
    const stream = await client.query(request)
    const error = (await rejectionOf(
      (async () => {
        for await (const event of stream) seen.push(event.type)
      })()
    )) as VectaraError
    expect(seen).toEqual(['search_results'])
    expect(error.code).toBe('NETWORK_ERROR')
    expect(error.message).toMatch(/closed in the middle of the event stream/)
    expect(srv.requests).toHaveLength(1)
    expect(infos[0]).toMatchObject({ ok: false, errorCode: 'NETWORK_ERROR', status: 200 })
  })

  it('refuses an event too large to be a query answer instead of buffering without end', async () => {
    const srv = await serve(async (_req, res) => {
      startEventStream(res)
      res.write('event:generation_chunk\ndata:')
      const block = 'x'.repeat(1024 * 1024)
      for (let i = 0; i < 10 && !res.destroyed; i++) {
        res.write(block)
        await delay(1)
      }
    })
    const { client } = testClient(srv.url)
    const error = (await rejectionOf(collect(await client.query(request)))) as VectaraError
    expect(error.code).toBe('API_INVALID_RESPONSE')
    expect(error.message).toMatch(/too large/)
  })

  it('a stream that ends cleanly but without its end event is reported as incomplete', async () => {
    const srv = await serve((_req, res) => {
      startEventStream(res)
      res.end(
        sseFrame('generation_chunk', { generation_chunk: 'Half' }) + 'event:end\ndata:{"type":"e'
      )
    })
    const { client } = testClient(srv.url)
    const error = (await rejectionOf(collect(await client.query(request)))) as VectaraError
    expect(error.code).toBe('API_INVALID_RESPONSE')
    expect(error.message).toMatch(/ended before its "end" event/)
  })

  it('times out when no headers arrive within the first-byte timeout', async () => {
    const srv = await serve(async (_req, res) => {
      await delay(3_000)
      if (!res.destroyed) res.end()
    })
    const { client } = testClient(srv.url, { timeoutMs: 150 })
    const started = performance.now()
    expect(await rejectionOf(client.query(request))).toMatchObject({
      code: 'API_TIMEOUT',
      timeoutMs: 150
    })
    expect(performance.now() - started).toBeLessThan(1_000)
  })

  it('closes a stream that goes quiet for longer than the idle timeout', async () => {
    let serverSawClose: Promise<void> = Promise.resolve()
    const srv = await serve((_req, res, raw) => {
      serverSawClose = closed(raw)
      startEventStream(res)
      res.write(sseFrame('search_results', { search_results: [] }))
    })
    const { client, infos } = testClient(srv.url, { streamIdleTimeoutMs: 150 })
    const started = performance.now()
    const stream = await client.query(request)
    const error = await rejectionOf(collect(stream))
    expect(error).toMatchObject({ code: 'API_TIMEOUT', timeoutMs: 150 })
    expect(performance.now() - started).toBeLessThan(1_000)
    await serverSawClose
    expect(infos[0]).toMatchObject({ ok: false, errorCode: 'API_TIMEOUT' })
  })

  it('an abort mid-stream stops reading at once and closes the connection', async () => {
    let serverSawClose: Promise<void> = Promise.resolve()
    const srv = await serve(async (_req, res, raw) => {
      serverSawClose = closed(raw)
      startEventStream(res)
      for (let i = 0; i < 200 && !res.destroyed; i++) {
        res.write(sseFrame('generation_chunk', { generation_chunk: `${i} ` }))
        await delay(20)
      }
    })
    const { client, infos } = testClient(srv.url)
    const controller = new AbortController()
    const stream = await client.query(request, { signal: controller.signal })
    let chunks = 0
    const error = await rejectionOf(
      (async () => {
        for await (const event of stream) {
          if (event.type === 'generation_chunk' && ++chunks === 3) controller.abort()
        }
      })()
    )
    expect(error).toMatchObject({ code: 'CANCELLED' })
    expect(chunks).toBe(3)
    await serverSawClose
    expect(infos[0]).toMatchObject({ ok: false, errorCode: 'CANCELLED' })
  })

  it('an abort while waiting for the next event ends the wait promptly', async () => {
    const srv = await serve((_req, res) => {
      startEventStream(res)
      res.write(sseFrame('search_results', { search_results: [] }))
    })
    const { client } = testClient(srv.url, { streamIdleTimeoutMs: 10_000 })
    const controller = new AbortController()
    const stream = await client.query(request, { signal: controller.signal })
    setTimeout(() => controller.abort(), 50)
    const started = performance.now()
    expect(await rejectionOf(collect(stream))).toMatchObject({ code: 'CANCELLED' })
    expect(performance.now() - started).toBeLessThan(1_000)
  })

  it('breaking out of the loop closes the connection and reports the call as cancelled', async () => {
    let serverSawClose: Promise<void> = Promise.resolve()
    const srv = await serve((_req, res, raw) => {
      serverSawClose = closed(raw)
      startEventStream(res)
      res.write(sseFrame('search_results', { search_results: [{ text: 'a' }] }))
    })
    const { client, infos } = testClient(srv.url)
    for await (const event of await client.query(request)) {
      expect(event.type).toBe('search_results')
      break
    }
    await serverSawClose
    expect(infos[0]).toMatchObject({ ok: false, errorCode: 'CANCELLED', resultCount: 1 })
  })
})
