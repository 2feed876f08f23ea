import { canQuery } from '../auth/principal'
import { ApiError, badRequest, forbidden, notFound } from '../http/errors'
import { Params } from '../http/params'
import { json, type Reply } from '../http/respond'
import type { Route, RouteContext } from '../http/router'
import { compileFilter, FilterError, type SqlFilter } from '../filter/compile'
import { parseFilter } from '../filter/parser'
import { chunkSummary, summarise, type Generated } from '../generation/summary'
import type { SearchOutcome, SearchPlan } from '../search/engine'
import type { Corpus } from '../store/corporaTable'
import { pause, SseWriter } from '../sse'
import { historyEntry, shouldSaveHistory, type StageTimes } from './historyRecord'
import {
  parseCorpusQueryRequest,
  parseQueryRequest,
  parseSimpleQuery,
  type ParsedQuery
} from './queryRequest'

interface Prepared {
  parsed: ParsedQuery
  corpora: Corpus[]
  plan: SearchPlan
}

/** Corpora must exist (404) and be granted to the caller (403); filters must compile (400). */
function prepare(ctx: RouteContext, parsed: ParsedQuery): Prepared {
  const corpora = parsed.corpora.map((selection) => {
    const corpus = ctx.services.store.corpora.byKey(selection.key)
    if (!corpus)
      throw notFound(
        selection.key,
        `One or more of the corpora were not found: '${selection.key}'.`
      )
    if (!canQuery(ctx.principal, corpus.seq)) {
      throw forbidden(`Permissions do not allow querying corpus '${corpus.key}' with this API key.`)
    }
    return corpus
  })
  const plan: SearchPlan = {
    corpora: parsed.corpora.map((selection, index) => ({
      corpus: corpora[index],
      query: selection.query ?? parsed.query,
      filter: selection.metadataFilter
        ? compile(selection.metadataFilter, corpora[index], selection.fieldPath)
        : undefined,
      requestIndex: index
    })),
    offset: parsed.offset,
    limit: parsed.limit,
    context: parsed.context,
    rerankers: parsed.rerankers
  }
  return { parsed, corpora, plan }
}

function compile(filter: string, corpus: Corpus, fieldPath: string): SqlFilter {
  try {
    return compileFilter(parseFilter(filter), corpus.filterAttributes)
  } catch (error) {
    if (!(error instanceof FilterError)) throw error
    throw badRequest(`Invalid metadata filter for corpus '${corpus.key}': ${error.message}`, {
      [`${fieldPath}.metadata_filter`]: error.message
    })
  }
}

interface Answer {
  outcome: SearchOutcome
  generated?: Generated
  times: StageTimes
}

function answer(ctx: RouteContext, prepared: Prepared): Answer {
  const startedAt = ctx.services.now()
  const started = performance.now()
  const outcome = ctx.services.search.search(prepared.plan)
  const generationStart = performance.now()
  const generated = prepared.parsed.generation
    ? summarise(prepared.parsed.query, outcome.hits, prepared.parsed.generation)
    : undefined
  const finished = performance.now()
  return {
    outcome,
    generated,
    times: {
      startedAt,
      searchMs: outcome.retrievalMs,
      rerankMs: outcome.rerankMs,
      generationMs: generated ? finished - generationStart : 0,
      totalMs: finished - started
    }
  }
}

function record(ctx: RouteContext, prepared: Prepared, result: Answer): void {
  if (!shouldSaveHistory(prepared.parsed, prepared.corpora)) return
  ctx.services.store.history.insert(
    historyEntry(prepared.parsed, prepared.corpora, result.outcome, result.generated, result.times)
  )
}

function fullResponse(result: Answer): Record<string, unknown> {
  const { generated, outcome } = result
  if (!generated) return { search_results: outcome.results }
  return {
    summary: generated.summary,
    response_language: generated.responseLanguage,
    search_results: outcome.results,
    ...(generated.factualConsistencyScore !== undefined
      ? { factual_consistency_score: generated.factualConsistencyScore }
      : {})
  }
}

const wantsStream = (ctx: RouteContext, parsed: ParsedQuery): boolean =>
  parsed.stream || /\btext\/event-stream\b/i.test(String(ctx.req.headers.accept ?? ''))

async function respond(
  ctx: RouteContext,
  parsed: ParsedQuery,
  streamable: boolean
): Promise<Reply | undefined> {
  const prepared = prepare(ctx, parsed)
  if (streamable && wantsStream(ctx, parsed)) {
    await stream(ctx, prepared)
    return undefined
  }
  const result = answer(ctx, prepared)
  record(ctx, prepared, result)
  return json(200, fullResponse(result))
}

/**
 * search_results → generation_chunk… → generation_end → factual_consistency_score → end.
 * The summary is computed up front (it is extractive) but sent a few words at a time, paced
 * like a generator. A client that disconnects, or a Sandbox that shuts down, stops the stream.
 */
async function stream(ctx: RouteContext, prepared: Prepared): Promise<void> {
  const { streams, streamChunkDelayMs } = ctx.services
  if (!streams.tryAcquire()) {
    throw new ApiError(429, [`Too many concurrent streams (${streams.max}); retry shortly.`], {
      headers: { 'retry-after': '1' }
    })
  }
  const sse = new SseWriter(ctx.res)
  try {
    const result = answer(ctx, prepared)
    sse.open(ctx.requestId)
    sse.send('search_results', { search_results: result.outcome.results })
    const { generated } = result
    if (generated) {
      for (const chunk of chunkSummary(generated.summary)) {
        await pause(streamChunkDelayMs(), ctx.signal)
        if (ctx.signal.aborted) break
        sse.send('generation_chunk', { generation_chunk: chunk })
      }
      if (!ctx.signal.aborted) {
        sse.send('generation_end')
        if (generated.factualConsistencyScore !== undefined) {
          sse.send('factual_consistency_score', {
            factual_consistency_score: generated.factualConsistencyScore
          })
        }
      }
    }
    if (ctx.signal.aborted) {
      sse.send('error', { messages: ['The stream was stopped: the Sandbox is shutting down.'] })
    } else {
      record(ctx, prepared, result)
    }
    sse.send('end')
  } catch (error) {
    if (!ctx.res.headersSent) throw error
    ctx.services.log.error('query stream failed', error)
    sse.send('error', { messages: ['The Sandbox failed while streaming this response.'] })
    sse.send('end')
  } finally {
    streams.release()
    sse.end()
  }
}

export const queryRoutes: Route[] = [
  {
    method: 'POST',
    path: '/v2/query',
    auth: true,
    body: ['json'],
    handle: (ctx) => respond(ctx, parseQueryRequest(ctx.body), true)
  },
  {
    method: 'POST',
    path: '/v2/corpora/:corpus_key/query',
    auth: true,
    body: ['json'],
    handle: (ctx) => respond(ctx, parseCorpusQueryRequest(ctx.body, ctx.params.corpus_key), true)
  },
  {
    method: 'GET',
    path: '/v2/corpora/:corpus_key/query',
    auth: true,
    handle: (ctx) =>
      respond(ctx, parseSimpleQuery(new Params(ctx.query), ctx.params.corpus_key), false)
  }
]
