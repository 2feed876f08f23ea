import type { QueryStreamEvent } from '@shared/vectara'
import { VectaraError } from './errors'
import { failureOf, type OpenedStream, type Outcome } from './http'
import { readServerSentEvents, toQueryStreamEvent } from './sse'

/**
 * The events of one streamed query, in order, ending with `end`. Iterate it to the end or stop
 * early (`break`, `return()`, or the AbortSignal): each closes the connection. A stream that is
 * never iterated keeps its connection until the process drops it, so always consume or return it.
 */
export type QueryEventStream = AsyncGenerator<QueryStreamEvent, void, undefined>

export interface StreamQueryOptions {
  idleTimeoutMs: number
  signal?: AbortSignal
  /** Called exactly once, when the stream is over for whatever reason. */
  finish: (outcome: Outcome) => void
}

export async function* streamQueryEvents(
  opened: OpenedStream,
  { idleTimeoutMs, signal, finish }: StreamQueryOptions
): QueryEventStream {
  let resultCount: number | undefined
  let sawEnd = false
  let sawError = false
  let failure: unknown
  try {
    for await (const message of readServerSentEvents(opened.body, { idleTimeoutMs, signal })) {
      const event = toQueryStreamEvent(message)
      if (event.type === 'search_results') {
        resultCount = (resultCount ?? 0) + (event.search_results?.length ?? 0)
      }
      if (event.type === 'error') sawError = true
      if (event.type === 'end') sawEnd = true
      yield event
      if (sawEnd) return
    }
    // After an `error` event the server may just close: that event already said what went wrong.
    if (sawError) return
    throw new VectaraError(
      'API_INVALID_RESPONSE',
      'The event stream ended before its "end" event; the answer may be incomplete.',
      { status: opened.status }
    )
  } catch (error) {
    failure = error
    throw error
  } finally {
    opened.close()
    finish(outcomeOf({ opened, sawEnd, sawError, failure, resultCount }))
  }
}

function outcomeOf(state: {
  opened: OpenedStream
  sawEnd: boolean
  sawError: boolean
  failure: unknown
  resultCount?: number
}): Outcome {
  const { opened, resultCount } = state
  const base = { attempts: opened.attempts, status: opened.status, resultCount }
  if (state.failure !== undefined) {
    return { ...failureOf(state.failure), ...base }
  }
  // An `error` event means the query failed on the server although HTTP said 200.
  if (state.sawError) return { ...base, ok: false, errorCode: 'API_SERVER_ERROR' }
  if (!state.sawEnd) return { ...base, ok: false, errorCode: 'CANCELLED' }
  return { ...base, ok: true }
}
