import { createParser } from 'eventsource-parser'
import { loadOpenApi, type OpenApiValidator, type Verdict } from '../../../fixtures/openapi'

export interface ConformanceRecord {
  /** e.g. `GET /v2/api_keys 200`. */
  what: string
  verdict: Verdict
}

export interface ConformanceLog {
  validator: OpenApiValidator
  records: ConformanceRecord[]
  /** Checks still reading a body copy; await them before reading `records`. */
  pending: Promise<void>[]
}

export function conformanceLog(): ConformanceLog {
  return { validator: loadOpenApi(), records: [], pending: [] }
}

/**
 * A `fetch` for the client that also checks every answer it sees against Vectara's official
 * spec: JSON bodies by (method, path, status), event-stream payloads event by event. It reads a
 * copy of the body, so the client under test reads the real one untouched.
 */
export function conformingFetch(log: ConformanceLog): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init)
    const url = new URL(input instanceof Request ? input.url : String(input))
    const method = (init?.method ?? 'GET').toUpperCase()
    const what = `${method} ${url.pathname} ${response.status}`
    const copy = response.clone()
    const eventStream = (response.headers.get('content-type') ?? '').includes('text/event-stream')
    log.pending.push(
      (eventStream
        ? checkEvents(log, what, method, url.pathname, copy)
        : checkJson(log, what, method, url.pathname, copy)
      ).catch(
        // A stream the test cancelled ends its copy too; what was read before has been checked.
        () => {}
      )
    )
    return response
  }
}

async function checkJson(
  log: ConformanceLog,
  what: string,
  method: string,
  path: string,
  copy: Response
): Promise<void> {
  const text = await copy.text()
  if (copy.status === 204 || text === '') return
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    log.records.push({ what, verdict: { ok: false, errors: 'body is not JSON' } })
    return
  }
  log.records.push({
    what,
    verdict: log.validator.validateResponse(method, path, copy.status, body)
  })
}

async function checkEvents(
  log: ConformanceLog,
  what: string,
  method: string,
  path: string,
  copy: Response
): Promise<void> {
  const parser = createParser({
    onEvent: (message) => {
      let payload: unknown
      try {
        payload = JSON.parse(message.data)
      } catch {
        log.records.push({
          what,
          verdict: { ok: false, errors: `event ${message.event} is not JSON` }
        })
        return
      }
      log.records.push({
        what: `${what} event ${message.event ?? ''}`,
        verdict: log.validator.validateEvent(method, path, payload)
      })
    }
  })
  const decoder = new TextDecoder()
  const reader = copy.body?.getReader()
  for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) {
    parser.feed(decoder.decode(chunk.value, { stream: true }))
  }
}
