import { visibleCorpora } from '../auth/principal'
import { forbidden, notFound } from '../http/errors'
import { listMetadata, readPageRequest, toPage } from '../http/paging'
import { Params } from '../http/params'
import { json } from '../http/respond'
import type { Route, RouteContext } from '../http/router'
import type { StoredQueryHistory } from '../store/queryHistoryTable'

const iso = (ms: number): string => new Date(ms).toISOString()

function summaryJson(entry: StoredQueryHistory): Record<string, unknown> {
  return {
    id: entry.id,
    query: entry.queryText,
    corpus_key: entry.corpora[0]?.key,
    started_at: iso(entry.startedAt),
    latency_millis: entry.latencyMillis,
    ...(entry.generation !== undefined ? { generation: entry.generation } : {}),
    ...(entry.factualConsistencyScore !== undefined
      ? { factual_consistency_score: entry.factualConsistencyScore }
      : {})
  }
}

function historyJson(entry: StoredQueryHistory): Record<string, unknown> {
  return {
    id: entry.id,
    query: entry.request,
    latency_millis: entry.latencyMillis,
    started_at: iso(entry.startedAt),
    spans: entry.spans
  }
}

/**
 * Query keys may read the history of their corpora (docs/vectara-api.md#query-history), so a
 * scoped key sees only entries whose every corpus it was granted.
 */
function list(ctx: RouteContext) {
  const params = new Params(ctx.query)
  const page = readPageRequest(params, 100)
  const corpusKey = params.string('corpus_key', { maxLength: 50 })
  const startedAfter = params.dateTime('started_after')
  const startedBefore = params.dateTime('started_before')
  const chatId = params.string('chat_id')
  const historyId = params.string('history_id')
  params.errors.throwIfAny()

  const visible = visibleCorpora(ctx.principal)
  if (corpusKey !== undefined && visible) {
    const corpus = ctx.services.store.corpora.byKey(corpusKey)
    if (corpus && !visible.includes(corpus.seq)) {
      throw forbidden(
        `Permissions do not allow reading the query history of corpus '${corpusKey}'.`
      )
    }
  }
  // The Sandbox has no chats, so no query belongs to one.
  const rows = chatId
    ? []
    : ctx.services.store.history.list({
        before: page.after ?? Number.MAX_SAFE_INTEGER,
        limit: page.limit,
        corpusKey,
        startedAfter,
        startedBefore,
        historyId,
        visibleCorpora: visible
      })
  const result = toPage(rows, page.limit, summaryJson)
  return json(200, { queries: result.items, metadata: listMetadata(result) })
}

function get(ctx: RouteContext) {
  const entry = ctx.services.store.history.byId(ctx.params.query_id)
  if (!entry) throw notFound(ctx.params.query_id, 'Query history not found.')
  const visible = visibleCorpora(ctx.principal)
  if (visible && !entry.corpora.every((c) => visible.includes(c.seq))) {
    throw forbidden('Permissions do not allow reading this query history with this API key.')
  }
  return json(200, historyJson(entry))
}

export const queryHistoryRoutes: Route[] = [
  { method: 'GET', path: '/v2/queries', auth: true, handle: list },
  { method: 'GET', path: '/v2/queries/:query_id', auth: true, handle: get }
]
