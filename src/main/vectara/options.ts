import { VectaraError } from './errors'
import type { VectaraAuth } from './auth'
import { defaultSleep, type SleepFn, type VectaraRequestInfo } from './http'
import { defaultRetryPolicy, type RetryPolicy } from './retry'
import type { ApiKeyRole } from '@shared/vectara'

export interface VectaraClientOptions {
  /** e.g. `https://api.vectara.io`; plain http only for loopback (the Sandbox). */
  baseUrl: string
  auth: VectaraAuth
  /** Per attempt, to the end of the body; for streams, to the response headers. Default 30 s. */
  timeoutMs?: number
  /** Longest quiet gap inside a streamed answer. Default 30 s. */
  streamIdleTimeoutMs?: number
  retry?: Partial<RetryPolicy>
  fetch?: typeof fetch
  /** Called once per call (after all its attempts) with facts only: never a header or body. */
  onRequest?: (info: VectaraRequestInfo) => void
  /** Wall clock in ms since the epoch (token expiry, HTTP-date Retry-After). */
  now?: () => number
  sleep?: SleepFn
  /** Uniform in [0, 1): backoff jitter. */
  random?: () => number
}

export interface CallOptions {
  signal?: AbortSignal
  /** Overrides the client's timeout for this call. */
  timeoutMs?: number
}

export interface ListApiKeysFilter {
  /** Only keys with permissions on this corpus. */
  corpusKey?: string
  role?: ApiKeyRole
  /** Keys per page (default and maximum 100); a probe asks for one. */
  pageSize?: number
}

export interface CreateApiKeyInput {
  name: string
  role: ApiKeyRole
  /** The corpora a Query or Index key may reach; ignored for a Personal key. */
  corpusKeys?: string[]
}

export interface ListQueriesFilter {
  corpusKey?: string
  startedAfter?: Date | string
  startedBefore?: Date | string
}

const DEFAULT_TIMEOUT_MS = 30_000

/** The constructor's options with defaults filled in, refusing values that would misbehave. */
export function resolveSettings(options: VectaraClientOptions): {
  fetch: typeof fetch
  timeoutMs: number
  streamIdleTimeoutMs: number
  retry: RetryPolicy
  now: () => number
  sleep: SleepFn
  random: () => number
} {
  return {
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: positive(options.timeoutMs, 'timeout'),
    streamIdleTimeoutMs: positive(options.streamIdleTimeoutMs, 'stream idle timeout'),
    retry: retryPolicy(options.retry),
    now: options.now ?? Date.now,
    sleep: options.sleep ?? defaultSleep,
    random: options.random ?? Math.random
  }
}

function retryPolicy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  const defined = Object.entries(overrides).filter(([, value]) => value !== undefined)
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...Object.fromEntries(defined) }
  if (!Number.isInteger(policy.maxRetries) || policy.maxRetries < 0) {
    throw new VectaraError('BAD_INPUT', 'retry.maxRetries must be a whole number, 0 or more.')
  }
  for (const name of ['baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs'] as const) {
    if (!Number.isFinite(policy[name]) || policy[name] < 0) {
      throw new VectaraError(
        'BAD_INPUT',
        `retry.${name} must be a number of milliseconds, 0 or more.`
      )
    }
  }
  return policy
}

function positive(value: number | undefined, what: string): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MS
  if (!Number.isFinite(value) || value <= 0) {
    throw new VectaraError('BAD_INPUT', `The ${what} must be a positive number of milliseconds.`)
  }
  return value
}
