import { AppError, type ErrorCode } from '@shared/errors'
import { redactSecrets } from '@shared/redact'
import type { ErrorBody } from '@shared/vectara'
import type { ErrorMapper } from '../router'

export type VectaraErrorCode = Extract<
  ErrorCode,
  | 'BAD_INPUT'
  | 'API_BAD_REQUEST'
  | 'API_UNAUTHORIZED'
  | 'API_FORBIDDEN'
  | 'API_NOT_FOUND'
  | 'API_CONFLICT'
  | 'API_RATE_LIMITED'
  | 'API_SERVER_ERROR'
  | 'API_INVALID_RESPONSE'
  | 'API_TIMEOUT'
  | 'NETWORK_ERROR'
  | 'CANCELLED'
>

export interface VectaraErrorDetails {
  /** HTTP status, when the server answered. */
  status?: number
  /** The server's own messages (already scrubbed of secrets). */
  messages?: string[]
  requestId?: string
  fieldErrors?: Record<string, string>
  /** The id a 404 names (NotFoundError.id). */
  id?: string
  /** How long the server asked us to wait (429/503 `Retry-After`), when we gave up instead. */
  retryAfterMs?: number
  /** The timeout that expired, for API_TIMEOUT. */
  timeoutMs?: number
  /** A low-level error code such as ECONNRESET, for NETWORK_ERROR. */
  causeCode?: string
  /** HTTP attempts made, including retries. */
  attempts?: number
}

/**
 * The one error type the Vectara client throws. Its message and every string in it pass through
 * `redactSecrets` here, and server-supplied text is scrubbed of the client's own secrets before it
 * gets here, so an error can be logged or shown as is. No headers are ever kept on it.
 */
export class VectaraError extends Error {
  readonly code: VectaraErrorCode
  readonly status?: number
  readonly messages: string[]
  readonly requestId?: string
  readonly fieldErrors?: Record<string, string>
  readonly id?: string
  readonly retryAfterMs?: number
  readonly timeoutMs?: number
  readonly causeCode?: string
  readonly attempts?: number

  constructor(code: VectaraErrorCode, message: string, details: VectaraErrorDetails = {}) {
    super(redactSecrets(message))
    this.name = 'VectaraError'
    this.code = code
    this.status = details.status
    this.messages = (details.messages ?? []).map(redactSecrets)
    this.requestId = details.requestId
    this.fieldErrors = details.fieldErrors && redactValues(details.fieldErrors)
    this.id = details.id && redactSecrets(details.id)
    this.retryAfterMs = details.retryAfterMs
    this.timeoutMs = details.timeoutMs
    this.causeCode = details.causeCode
    this.attempts = details.attempts
  }

  /** A copy with some details added (e.g. how many attempts it took to get here). */
  with(extra: VectaraErrorDetails): VectaraError {
    const { status, messages, requestId, fieldErrors, id, retryAfterMs, timeoutMs, causeCode } =
      this
    const details = {
      status,
      messages,
      requestId,
      fieldErrors,
      id,
      retryAfterMs,
      timeoutMs,
      causeCode
    }
    return new VectaraError(this.code, this.message, {
      ...details,
      attempts: this.attempts,
      ...extra
    })
  }
}

export function isVectaraError(value: unknown): value is VectaraError {
  return value instanceof VectaraError
}

export function codeForStatus(status: number): VectaraErrorCode {
  if (status === 400) return 'API_BAD_REQUEST'
  if (status === 401) return 'API_UNAUTHORIZED'
  if (status === 403) return 'API_FORBIDDEN'
  if (status === 404) return 'API_NOT_FOUND'
  if (status === 409) return 'API_CONFLICT'
  if (status === 429) return 'API_RATE_LIMITED'
  if (status >= 500) return 'API_SERVER_ERROR'
  if (status >= 400) return 'API_BAD_REQUEST'
  // 1xx/3xx never count as an answer: redirects are not followed (see http.ts).
  return 'API_INVALID_RESPONSE'
}

export interface ErrorResponse {
  /** `GET /v2/api_keys`: what was asked, for the message. */
  request: string
  status: number
  body: string
  /** Removes the client's own secrets from server text. */
  scrub: (text: string) => string
}

/** A non-2xx answer as a VectaraError, keeping the server's words (scrubbed) and request id. */
export function errorFromResponse({ request, status, body, scrub }: ErrorResponse): VectaraError {
  const details = readErrorBody(body)
  const messages = details.messages.map(scrub)
  const fieldErrors = details.fieldErrors
    ? Object.fromEntries(Object.entries(details.fieldErrors).map(([k, v]) => [scrub(k), scrub(v)]))
    : undefined
  const said = messages.length ? `: ${messages.join('; ')}` : ''
  const what =
    status >= 300 && status < 400
      ? `answered with a redirect (HTTP ${status}), which is never followed so credentials stay with the configured host`
      : `failed with HTTP ${status}`
  return new VectaraError(codeForStatus(status), `${request} ${what}${said}`, {
    status,
    messages,
    requestId: details.requestId && scrub(details.requestId),
    fieldErrors,
    id: details.id && scrub(details.id)
  })
}

interface ErrorDetails {
  messages: string[]
  requestId?: string
  fieldErrors?: Record<string, string>
  id?: string
}

/**
 * Vectara error bodies are `{messages, request_id, field_errors?, id?}` (ErrorBody); OAuth token
 * endpoints answer `{error, error_description}` (RFC 6749 §5.2) and gateways in front of an API
 * often `{message}`. Each field is read on its own, so one odd field does not lose the others.
 */
function readErrorBody(text: string): ErrorDetails {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    return { messages: [] }
  }
  if (!isRecord(data)) return { messages: [] }
  const body = data as Partial<
    Record<keyof ErrorBody | 'message' | 'error' | 'error_description', unknown>
  >
  const messages = [body.messages, body.message, body.error, body.error_description]
    .flatMap((value) => (Array.isArray(value) ? value : [value]))
    .filter((m): m is string => typeof m === 'string' && m.trim() !== '')
  const fieldErrors = isRecord(body.field_errors)
    ? Object.fromEntries(
        Object.entries(body.field_errors).filter(
          (e): e is [string, string] => typeof e[1] === 'string'
        )
      )
    : undefined
  return {
    messages: messages.slice(0, 10),
    requestId: typeof body.request_id === 'string' ? body.request_id : undefined,
    fieldErrors: fieldErrors && Object.keys(fieldErrors).length ? fieldErrors : undefined,
    id: typeof body.id === 'string' ? body.id : undefined
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Replaces every occurrence of the given secrets (plus anything secret-shaped) in server text. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let out = text
  for (const secret of secrets) {
    if (secret.length >= 4) out = out.split(secret).join('[redacted]')
  }
  return redactSecrets(out)
}

function redactValues(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(record).map(([k, v]) => [redactSecrets(k), redactSecrets(v)])
  )
}

// ---------------------------------------------------------------------------------------------
// Mapping onto the app's IPC error shape

const plainWords: Record<VectaraErrorCode, string> = {
  BAD_INPUT: 'The request could not be sent as given.',
  API_BAD_REQUEST: 'The API rejected the request as invalid.',
  API_UNAUTHORIZED: 'The API rejected the credential (unknown, disabled or deleted key).',
  API_FORBIDDEN:
    'The credential is valid but not allowed to do this (wrong key kind, or the corpus is outside its scope).',
  API_NOT_FOUND: 'The API could not find it; it may have been deleted.',
  API_CONFLICT: 'That already exists (a corpus key or document ID must be unique).',
  API_RATE_LIMITED: 'The API is limiting requests right now. Try again shortly.',
  API_SERVER_ERROR: 'The Vectara service had a problem. Try again later.',
  API_INVALID_RESPONSE: 'The API sent an answer the app could not read.',
  API_TIMEOUT: 'The API did not answer in time.',
  NETWORK_ERROR: 'Could not reach the API. Check the network connection and the base URL.',
  CANCELLED: 'The request was cancelled.'
}

/** A sentence a user can act on, with the server's own words after it when there are any. */
export function describeForUser(error: VectaraError): string {
  let text = plainWords[error.code]
  if (error.code === 'BAD_INPUT') text = error.message
  if (error.code === 'API_NOT_FOUND' && error.id)
    text = `The API could not find "${error.id}"; it may have been deleted.`
  if (error.code === 'API_RATE_LIMITED' && error.retryAfterMs !== undefined) {
    text = `The API is limiting requests right now. Try again in ${Math.ceil(error.retryAfterMs / 1000)} s.`
  }
  if (error.code === 'API_TIMEOUT' && error.timeoutMs !== undefined) {
    text = `The API did not answer within ${formatSeconds(error.timeoutMs)}.`
  }
  if (error.code === 'API_SERVER_ERROR' && error.status) {
    text = `The Vectara service had a problem (HTTP ${error.status}). Try again later.`
  }
  const detail = error.messages.join(' ').trim()
  return detail ? `${text} Server: ${truncate(detail, 300)}` : text
}

function formatSeconds(ms: number): string {
  if (ms < 1000) return `${ms} ms`
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}

/** VectaraError → AppError for IPC; anything else is left to the next mapper. */
export function toAppError(error: unknown): AppError | undefined {
  if (!isVectaraError(error)) return undefined
  return new AppError(error.code, describeForUser(error), {
    status: error.status,
    requestId: error.requestId,
    fieldErrors: error.fieldErrors
  })
}

/** Register with `new Router(handlers, { errorMappers: [vectaraErrorMapper] })`. */
export const vectaraErrorMapper: ErrorMapper = toAppError
