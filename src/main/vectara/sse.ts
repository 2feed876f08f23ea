import { createParser, type EventSourceMessage } from 'eventsource-parser'
import {
  QueryStreamEventSchema,
  queryStreamEventTypes,
  withoutNulls,
  type QueryStreamEvent
} from '@shared/vectara'
import { VectaraError } from './errors'
import { networkCodeOf } from './retry'

/** A single event larger than this is not a query answer; stop rather than buffer without end. */
const MAX_EVENT_CHARS = 8 * 1024 * 1024

export interface ReadEventsOptions {
  /** Longest quiet gap allowed between chunks once the stream has started. */
  idleTimeoutMs: number
  signal?: AbortSignal
}

/**
 * Server-Sent Events from a response body. Returning early (a `break` in `for await`) or failing
 * cancels the body, which closes the connection.
 */
export async function* readServerSentEvents(
  body: ReadableStream<Uint8Array>,
  options: ReadEventsOptions
): AsyncGenerator<EventSourceMessage, void, undefined> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  const pending: EventSourceMessage[] = []
  let tooLarge = false
  const parser = createParser({
    onEvent: (message) => pending.push(message),
    onError: (error) => {
      if (error.type === 'max-buffer-size-exceeded') tooLarge = true
    },
    maxBufferSize: MAX_EVENT_CHARS
  })
  try {
    for (;;) {
      const chunk = await readWithin(reader, options)
      if (chunk.done) {
        parser.feed(decoder.decode())
        yield* pending.splice(0)
        // An event without its closing blank line is incomplete and dropped, as the SSE
        // standard says; the caller decides whether the stream ended where it should.
        return
      }
      parser.feed(decoder.decode(chunk.value, { stream: true }))
      if (tooLarge) {
        throw new VectaraError(
          'API_INVALID_RESPONSE',
          'The event stream sent an event too large to read.'
        )
      }
      yield* pending.splice(0)
    }
  } finally {
    reader.cancel().catch(() => {})
  }
}

function readWithin(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  { idleTimeoutMs, signal }: ReadEventsOptions
): Promise<ReadableStreamReadResult<Uint8Array>> {
  return new Promise((resolve, reject) => {
    const cleanup = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', onAbort)
    }
    const onAbort = (): void => {
      cleanup()
      reject(new VectaraError('CANCELLED', 'The streamed query was cancelled.'))
    }
    const timer = setTimeout(() => {
      cleanup()
      reject(
        new VectaraError(
          'API_TIMEOUT',
          `The event stream went quiet for ${idleTimeoutMs} ms; it was closed.`,
          { timeoutMs: idleTimeoutMs }
        )
      )
    }, idleTimeoutMs)
    if (signal?.aborted) return onAbort()
    signal?.addEventListener('abort', onAbort, { once: true })
    reader.read().then(
      (result) => {
        cleanup()
        resolve(result)
      },
      (error: unknown) => {
        cleanup()
        if (signal?.aborted) return onAbort()
        const causeCode = networkCodeOf(error)
        reject(
          new VectaraError(
            'NETWORK_ERROR',
            `The connection closed in the middle of the event stream (${causeCode ?? 'read failed'}).`,
            { causeCode }
          )
        )
      }
    )
  })
}

const knownTypes = new Set<string>(queryStreamEventTypes)

/**
 * One SSE message as a typed query event. Vectara repeats the event name in the JSON's `type`;
 * either is accepted. A type this app does not know is passed on as `unrecognized`.
 */
export function toQueryStreamEvent(message: EventSourceMessage): QueryStreamEvent {
  let data: unknown
  try {
    data = JSON.parse(message.data)
  } catch {
    throw new VectaraError(
      'API_INVALID_RESPONSE',
      `The event stream sent a "${message.event ?? 'message'}" event whose data is not JSON.`
    )
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new VectaraError(
      'API_INVALID_RESPONSE',
      'The event stream sent an event that is not an object.'
    )
  }
  const declared = (data as { type?: unknown }).type
  const type = typeof declared === 'string' ? declared : message.event
  if (!type || !knownTypes.has(type)) {
    return { type: 'unrecognized', event: type ?? 'message', data }
  }
  const parsed = QueryStreamEventSchema.safeParse(withoutNulls({ ...data, type }))
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new VectaraError(
      'API_INVALID_RESPONSE',
      `The event stream sent a malformed "${type}" event${issue?.path.length ? ` at ${issue.path.join('.')}` : ''}.`
    )
  }
  return parsed.data
}
