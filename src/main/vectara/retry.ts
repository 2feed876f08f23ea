/**
 * When and how long to wait before trying a request again. Pure: time and randomness come in as
 * arguments so tests can pin them.
 */

export interface RetryPolicy {
  /** Retries after the first attempt (so at most maxRetries + 1 attempts). */
  maxRetries: number
  /** Backoff cap for the first retry; doubles each time up to maxDelayMs. */
  baseDelayMs: number
  maxDelayMs: number
  /**
   * The longest `Retry-After` worth waiting for. A longer one is not waited out (the app would
   * look frozen): the call fails at once with API_RATE_LIMITED and the requested wait.
   */
  maxRetryAfterMs: number
}

export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000
}

/**
 * Vectara documents no rate-limit headers; its own test suite and SDKs retry 429 and gateway
 * errors. 500 is left out: for Vectara it usually means the request itself broke something.
 */
const retryableStatuses = new Set([429, 502, 503, 504])

export function isRetryableStatus(status: number): boolean {
  return retryableStatuses.has(status)
}

/** Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"). */
export function backoffDelayMs(
  retryNumber: number,
  policy: RetryPolicy,
  random: () => number
): number {
  const exponent = Math.min(Math.max(retryNumber - 1, 0), 30)
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** exponent)
  return Math.floor(clamp01(random()) * ceiling)
}

/**
 * `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 §10.2.3). Anything unreadable is
 * ignored (undefined) so the caller falls back to backoff; a date in the past means "now".
 */
export function parseRetryAfterMs(
  value: string | null | undefined,
  nowMs: number
): number | undefined {
  const text = value?.trim()
  if (!text) return undefined
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000)
  // Date.parse also accepts bare numbers like "-1" or "1.5x": demand a weekday/month name.
  if (!/[a-z]{3}/i.test(text)) return undefined
  const at = Date.parse(text)
  if (Number.isNaN(at)) return undefined
  return Math.max(0, at - nowMs)
}

export type RetryDecision =
  | { retry: true; delayMs: number }
  | {
      retry: false
      reason: 'not-retryable' | 'exhausted' | 'retry-after-too-long'
      retryAfterMs?: number
    }

export interface RetryInput {
  /** The attempt that just failed, 1-based. */
  attempt: number
  /** Whether this call may be repeated at all (idempotent, or a query). */
  allowed: boolean
  /** Whether the failure is the transient kind (429, 502-504, a dropped connection). */
  transient: boolean
  retryAfterMs?: number
  policy: RetryPolicy
  random: () => number
}

export function decideRetry(input: RetryInput): RetryDecision {
  const { attempt, policy, retryAfterMs } = input
  if (!input.allowed || !input.transient)
    return { retry: false, reason: 'not-retryable', retryAfterMs }
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) {
    return { retry: false, reason: 'retry-after-too-long', retryAfterMs }
  }
  if (attempt > policy.maxRetries) return { retry: false, reason: 'exhausted', retryAfterMs }
  const delayMs = retryAfterMs ?? backoffDelayMs(attempt, policy, input.random)
  return { retry: true, delayMs }
}

/** Connection-level failures worth another try; DNS "not found" and TLS errors are not. */
const retryableNetworkCodes = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED'
])

export function isRetryableNetworkCode(code: string | undefined): boolean {
  return code !== undefined && retryableNetworkCodes.has(code)
}

/**
 * The most specific code in an undici `fetch failed` chain: TypeError → cause (SocketError,
 * Error with .code, or AggregateError when every address of a host refused).
 */
export function networkCodeOf(error: unknown): string | undefined {
  let current: unknown = error
  for (let depth = 0; depth < 6 && current; depth++) {
    if (typeof current !== 'object') break
    const record = current as {
      code?: unknown
      message?: unknown
      cause?: unknown
      errors?: unknown
    }
    if (typeof record.code === 'string') return record.code
    if (typeof record.message === 'string' && /socket hang up/i.test(record.message))
      return 'ECONNRESET'
    if (Array.isArray(record.errors) && record.errors.length) current = record.errors[0]
    else current = record.cause
  }
  return undefined
}

function clamp01(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 0
  return value >= 1 ? 0.999_999 : value
}
