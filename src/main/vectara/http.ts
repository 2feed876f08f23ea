import type { z } from 'zod'
import { redactSecrets } from '@shared/redact'
import { withoutNulls } from '@shared/vectara'
import { VectaraError, errorFromResponse, scrubSecrets, type VectaraErrorCode } from './errors'
import {
  decideRetry,
  isRetryableNetworkCode,
  isRetryableStatus,
  networkCodeOf,
  parseRetryAfterMs,
  type RetryPolicy
} from './retry'

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE'

/** Supplies the auth headers for each attempt. */
export interface Credential {
  headers(signal?: AbortSignal): Promise<Record<string, string>>
  /**
   * Called once when an attempt sent with `used` was answered 401. Returns true when the
   * credential was renewable (an OAuth token), so one more attempt may succeed.
   */
  renewAfterUnauthorized(used: Record<string, string>): boolean
  /** The secrets to scrub from any text the server sends back. */
  secrets(): string[]
}

/** What `onRequest` observers see: one per call (all its attempts), never a header or body. */
export interface VectaraRequestInfo {
  /** The client operation, e.g. `apiKeys.list`, `query`, `oauth.token`. */
  operation: string
  method: HttpMethod
  /** URL path only (percent-encoded, no query string, no host). */
  path: string
  /** The final HTTP status, when the server answered. */
  status?: number
  ok: boolean
  /** From the first attempt to the end of the body (for streams: the end of the stream). */
  latencyMs: number
  /** HTTP attempts, including retries and an OAuth token renewal. */
  attempts: number
  errorCode?: VectaraErrorCode
  requestId?: string
  /** Items in a list page, or search results of a query. */
  resultCount?: number
}

export type SleepFn = (ms: number, signal?: AbortSignal) => Promise<void>

export interface HttpOptions {
  fetch: typeof fetch
  timeoutMs: number
  retry: RetryPolicy
  /** Wall clock (ms since the epoch): HTTP-date `Retry-After` values. */
  now: () => number
  sleep: SleepFn
  random: () => number
  onRequest?: (info: VectaraRequestInfo) => void
  /** Secrets to scrub from server text, looked up at the time of each error. */
  secrets: () => string[]
}

export interface RequestSpec {
  operation: string
  method: HttpMethod
  url: URL
  json?: unknown
  form?: Record<string, string>
  credential?: Credential
  /** Only idempotent calls and queries: a repeated create could make two of something. */
  retryable: boolean
  signal?: AbortSignal
  timeoutMs?: number
}

/** A streamed response whose headers have arrived; the body is the caller's to read and close. */
export interface OpenedStream {
  body: ReadableStream<Uint8Array>
  status: number
  attempts: number
  startedAt: number
  /** Aborts the underlying request, which closes the connection. */
  close(): void
}

interface Answer {
  status: number
  headers: Headers
  text: string
}

export class HttpTransport {
  constructor(private readonly options: HttpOptions) {}

  /** A JSON call; `schema` checks the answer's shape. */
  async json<T>(spec: RequestSpec, schema: z.ZodType<T>, count?: (value: T) => number): Promise<T> {
    return this.observe(spec, async () => {
      const { answer, attempts } = await this.exchange(spec, 'buffered')
      const value = parseAnswer(spec, answer, schema)
      return { value, status: answer.status, attempts, resultCount: count?.(value) }
    })
  }

  /** A call whose success has no body worth reading (DELETE → 204). */
  async empty(spec: RequestSpec): Promise<void> {
    await this.observe(spec, async () => {
      const { answer, attempts } = await this.exchange(spec, 'buffered')
      return { value: undefined, status: answer.status, attempts }
    })
  }

  /**
   * Sends a streamed request. Retries (where allowed) happen only before the stream starts; the
   * promise rejects on any HTTP error, so the caller only ever reads a healthy 200 stream.
   */
  async openStream(spec: RequestSpec): Promise<OpenedStream> {
    const startedAt = performance.now()
    try {
      const { stream, attempts, status } = await this.exchange(spec, 'stream')
      if (!stream) {
        throw new VectaraError(
          'API_INVALID_RESPONSE',
          `${describeRequest(spec)} answered HTTP ${status} without an event stream.`,
          { status, attempts }
        )
      }
      return { ...stream, status, attempts, startedAt }
    } catch (error) {
      this.report(spec, startedAt, failureOf(error))
      throw error
    }
  }

  /** Reports a finished call to the observer; an observer that throws is ignored. */
  report(
    spec: Pick<RequestSpec, 'operation' | 'method' | 'url'>,
    startedAt: number,
    outcome: Outcome
  ): void {
    if (!this.options.onRequest) return
    const info: VectaraRequestInfo = {
      operation: spec.operation,
      method: spec.method,
      // Ids are percent-encoded path segments; a secret pasted as an id is still masked.
      path: redactSecrets(spec.url.pathname),
      ok: outcome.ok,
      latencyMs: Math.round((performance.now() - startedAt) * 100) / 100,
      attempts: outcome.attempts
    }
    if (outcome.status !== undefined) info.status = outcome.status
    if (outcome.errorCode !== undefined) info.errorCode = outcome.errorCode
    if (outcome.requestId !== undefined) info.requestId = outcome.requestId
    if (outcome.resultCount !== undefined) info.resultCount = outcome.resultCount
    try {
      this.options.onRequest(info)
    } catch {
      // Observers record usage; their failure must not fail the call they observe.
    }
  }

  private async observe<T>(
    spec: RequestSpec,
    run: () => Promise<{ value: T; status: number; attempts: number; resultCount?: number }>
  ): Promise<T> {
    const startedAt = performance.now()
    try {
      const done = await run()
      this.report(spec, startedAt, { ok: true, ...done })
      return done.value
    } catch (error) {
      this.report(spec, startedAt, failureOf(error))
      throw error
    }
  }

  private async exchange(
    spec: RequestSpec,
    mode: 'buffered' | 'stream'
  ): Promise<{
    answer: Answer
    attempts: number
    status: number
    stream?: Pick<OpenedStream, 'body' | 'close'>
  }> {
    const { retry: policy, random } = this.options
    let attempts = 0
    let budgetAttempt = 0
    let renewed = false
    /** An earlier attempt failed in a way that leaves open whether the server acted on it. */
    let mayHaveApplied = false
    for (;;) {
      attempts++
      budgetAttempt++
      if (spec.signal?.aborted) throw cancelled(spec).with({ attempts: attempts - 1 })
      let used: Record<string, string>
      try {
        used = (await spec.credential?.headers(spec.signal)) ?? {}
      } catch (error) {
        // The token request has made its own retries: do not multiply them here.
        throw this.errorFromThrown(spec, error).with({ attempts: attempts - 1 })
      }
      let failure: VectaraError
      let transient = false
      let retryAfterMs: number | undefined
      try {
        const sent = await this.attempt(spec, mode, used)
        if (sent.stream) {
          return { answer: sent.answer, attempts, status: sent.answer.status, stream: sent.stream }
        }
        const { answer } = sent
        if (answer.status >= 200 && answer.status < 300) {
          return { answer, attempts, status: answer.status }
        }
        if (answer.status === 404 && spec.method === 'DELETE' && mayHaveApplied) {
          // The lost answer was probably the deletion itself: gone is what the caller asked for.
          return { answer, attempts, status: answer.status }
        }
        if (answer.status === 401 && spec.credential && !renewed) {
          renewed = spec.credential.renewAfterUnauthorized(used)
          if (renewed) {
            budgetAttempt--
            continue
          }
        }
        failure = this.errorFromAnswer(spec, answer)
        transient = isRetryableStatus(answer.status)
        retryAfterMs = parseRetryAfterMs(answer.headers.get('retry-after'), this.options.now())
      } catch (error) {
        failure = this.errorFromThrown(spec, error)
        transient = failure.code === 'NETWORK_ERROR' && isRetryableNetworkCode(failure.causeCode)
      }
      const decision = decideRetry({
        attempt: budgetAttempt,
        allowed: spec.retryable,
        transient,
        retryAfterMs,
        policy,
        random
      })
      if (!decision.retry) {
        throw failure.with({ attempts, retryAfterMs: decision.retryAfterMs })
      }
      // A 429 was refused before any work; a dropped connection or a gateway error may not have been.
      if (failure.code !== 'API_RATE_LIMITED') mayHaveApplied = true
      try {
        await this.options.sleep(decision.delayMs, spec.signal)
      } catch {
        throw cancelled(spec).with({ attempts })
      }
    }
  }

  /** One HTTP round trip under its own timeout (to the end of the body, or to the headers of a stream). */
  private async attempt(
    spec: RequestSpec,
    mode: 'buffered' | 'stream',
    auth: Record<string, string>
  ): Promise<{ answer: Answer; stream?: Pick<OpenedStream, 'body' | 'close'> }> {
    const timeoutMs = spec.timeoutMs ?? this.options.timeoutMs
    const timeout = new AbortController()
    const timer = setTimeout(() => timeout.abort(), timeoutMs)
    const signal = spec.signal ? AbortSignal.any([spec.signal, timeout.signal]) : timeout.signal
    try {
      const response = await this.options.fetch(spec.url, {
        method: spec.method,
        headers: { ...requestHeaders(spec, mode), ...auth },
        body: requestBody(spec),
        signal,
        // A redirect could carry the x-api-key header to another host: never follow one.
        redirect: 'manual'
      })
      if (mode === 'stream' && response.status === 200 && response.body) {
        clearTimeout(timer)
        const type = response.headers.get('content-type') ?? ''
        if (!type.includes('text/event-stream')) {
          timeout.abort()
          throw new VectaraError(
            'API_INVALID_RESPONSE',
            `${describeRequest(spec)}: expected an event stream, got "${type.slice(0, 60) || 'no content type'}".`,
            { status: response.status }
          )
        }
        const answer = { status: response.status, headers: response.headers, text: '' }
        return { answer, stream: { body: response.body, close: () => timeout.abort() } }
      }
      const text = await response.text()
      return { answer: { status: response.status, headers: response.headers, text } }
    } catch (error) {
      if (error instanceof VectaraError) throw error
      if (timeout.signal.aborted && !spec.signal?.aborted) {
        throw new VectaraError(
          'API_TIMEOUT',
          `${describeRequest(spec)}: no answer within ${timeoutMs} ms.`,
          {
            timeoutMs
          }
        )
      }
      throw error
    } finally {
      clearTimeout(timer)
    }
  }

  private errorFromAnswer(spec: RequestSpec, answer: Answer): VectaraError {
    return errorFromResponse({
      request: describeRequest(spec),
      status: answer.status,
      body: answer.text,
      scrub: (text) => scrubSecrets(text, this.options.secrets())
    })
  }

  private errorFromThrown(spec: RequestSpec, error: unknown): VectaraError {
    if (error instanceof VectaraError) return error
    if (spec.signal?.aborted) return cancelled(spec)
    // Only the low-level code is kept: runtime error messages can quote header values.
    const causeCode = networkCodeOf(error)
    return new VectaraError(
      'NETWORK_ERROR',
      `${describeRequest(spec)}: could not reach ${spec.url.host} (${causeCode ?? 'connection failed'}).`,
      { causeCode }
    )
  }
}

export interface Outcome {
  ok: boolean
  attempts: number
  status?: number
  errorCode?: VectaraErrorCode
  requestId?: string
  resultCount?: number
}

export function failureOf(error: unknown): Outcome {
  if (error instanceof VectaraError) {
    return {
      ok: false,
      attempts: error.attempts ?? 1,
      status: error.status,
      errorCode: error.code,
      requestId: error.requestId
    }
  }
  return { ok: false, attempts: 1 }
}

export function cancelled(spec: Pick<RequestSpec, 'method' | 'url'>): VectaraError {
  return new VectaraError('CANCELLED', `${describeRequest(spec)} was cancelled.`)
}

export function describeRequest(spec: Pick<RequestSpec, 'method' | 'url'>): string {
  return `${spec.method} ${spec.url.pathname}`
}

function requestHeaders(spec: RequestSpec, mode: 'buffered' | 'stream'): Record<string, string> {
  const headers: Record<string, string> = {
    accept: mode === 'stream' ? 'text/event-stream' : 'application/json'
  }
  if (spec.json !== undefined) headers['content-type'] = 'application/json'
  if (spec.form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded'
  return headers
}

function requestBody(spec: RequestSpec): string | undefined {
  if (spec.json !== undefined) return JSON.stringify(spec.json)
  if (spec.form !== undefined) return new URLSearchParams(spec.form).toString()
  return undefined
}

function parseAnswer<T>(spec: RequestSpec, answer: Answer, schema: z.ZodType<T>): T {
  let data: unknown
  try {
    data = JSON.parse(answer.text)
  } catch {
    const what = answer.text.trim() ? 'a body that is not valid JSON' : 'an empty body'
    throw new VectaraError(
      'API_INVALID_RESPONSE',
      `${describeRequest(spec)} answered with ${what}.`,
      {
        status: answer.status
      }
    )
  }
  // Most answers hold no null at all: skip the walk over 100 keys a page when none can be there.
  const parsed = schema.safeParse(answer.text.includes('null') ? withoutNulls(data) : data)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : ''
    throw new VectaraError(
      'API_INVALID_RESPONSE',
      `${describeRequest(spec)} answered with an unexpected shape${where}: ${issue?.message ?? 'invalid'}.`,
      { status: answer.status }
    )
  }
  return parsed.data
}

export const defaultSleep: SleepFn = (ms, signal) =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
