import { describe, expect, it } from 'vitest'
import {
  backoffDelayMs,
  decideRetry,
  defaultRetryPolicy,
  isRetryableNetworkCode,
  isRetryableStatus,
  networkCodeOf,
  parseRetryAfterMs,
  type RetryPolicy
} from '../../../src/main/vectara/retry'

const policy: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  maxRetryAfterMs: 5_000
}

describe('backoffDelayMs (exponential, full jitter)', () => {
  it('doubles the ceiling each retry and caps it at maxDelayMs', () => {
    const top = (): number => 0.999_999_9
    expect(backoffDelayMs(1, policy, top)).toBe(99)
    expect(backoffDelayMs(2, policy, top)).toBe(199)
    expect(backoffDelayMs(3, policy, top)).toBe(399)
    expect(backoffDelayMs(4, policy, top)).toBe(799)
    expect(backoffDelayMs(5, policy, top)).toBe(999)
    expect(backoffDelayMs(60, policy, top)).toBe(999)
  })

  it('spreads delays over the whole [0, ceiling) range', () => {
    expect(backoffDelayMs(3, policy, () => 0)).toBe(0)
    expect(backoffDelayMs(3, policy, () => 0.5)).toBe(200)
  })

  it('tolerates a broken random source', () => {
    expect(backoffDelayMs(1, policy, () => Number.NaN)).toBe(0)
    expect(backoffDelayMs(1, policy, () => -3)).toBe(0)
    expect(backoffDelayMs(1, policy, () => 7)).toBeLessThan(100)
  })
})

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-11-20T10:00:00Z')

  it('reads delay-seconds', () => {
    expect(parseRetryAfterMs('3', now)).toBe(3_000)
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0)
    expect(parseRetryAfterMs('1.5', now)).toBe(1_500)
  })

  it('reads an HTTP-date relative to now, and treats the past as now', () => {
    expect(parseRetryAfterMs('Fri, 20 Nov 2026 10:00:07 GMT', now)).toBe(7_000)
    expect(parseRetryAfterMs('Fri, 20 Nov 2026 09:00:00 GMT', now)).toBe(0)
  })

  it('ignores values it cannot read', () => {
    for (const bad of [null, undefined, '', '-1', 'soon', '1.5x', '12 34', '2026-11-20']) {
      expect(parseRetryAfterMs(bad, now), String(bad)).toBeUndefined()
    }
  })
})

describe('decideRetry', () => {
  const base = { allowed: true, transient: true, policy, random: () => 0.5 }

  it('retries transient failures of retryable calls with backoff', () => {
    expect(decideRetry({ ...base, attempt: 1 })).toEqual({ retry: true, delayMs: 50 })
    expect(decideRetry({ ...base, attempt: 3 })).toEqual({ retry: true, delayMs: 200 })
  })

  it('stops after maxRetries', () => {
    expect(decideRetry({ ...base, attempt: 4 })).toEqual({ retry: false, reason: 'exhausted' })
  })

  it('never retries a call that is not allowed to be repeated, nor a permanent failure', () => {
    expect(decideRetry({ ...base, attempt: 1, allowed: false })).toMatchObject({
      retry: false,
      reason: 'not-retryable'
    })
    expect(decideRetry({ ...base, attempt: 1, transient: false })).toMatchObject({ retry: false })
  })

  it('waits exactly as long as Retry-After asks, within the cap', () => {
    expect(decideRetry({ ...base, attempt: 1, retryAfterMs: 2_000 })).toEqual({
      retry: true,
      delayMs: 2_000
    })
  })

  it('gives up at once, reporting the wait, when Retry-After exceeds the cap', () => {
    expect(decideRetry({ ...base, attempt: 1, retryAfterMs: 60_000 })).toEqual({
      retry: false,
      reason: 'retry-after-too-long',
      retryAfterMs: 60_000
    })
  })

  it('defaults to 3 retries', () => {
    expect(defaultRetryPolicy.maxRetries).toBe(3)
  })
})

describe('what counts as transient', () => {
  it('retries 429 and gateway errors only', () => {
    expect([429, 502, 503, 504].every(isRetryableStatus)).toBe(true)
    expect([400, 401, 403, 404, 409, 500, 501].some(isRetryableStatus)).toBe(false)
  })

  it('finds the code inside undici error chains', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('x'), { code: 'ECONNREFUSED' })
    })
    expect(networkCodeOf(refused)).toBe('ECONNREFUSED')
    const aggregate = new TypeError('fetch failed', {
      cause: Object.assign(
        new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' })]),
        {}
      )
    })
    expect(networkCodeOf(aggregate)).toBe('ECONNREFUSED')
    expect(networkCodeOf(new Error('socket hang up'))).toBe('ECONNRESET')
    expect(networkCodeOf(new Error('nothing'))).toBeUndefined()
    expect(networkCodeOf('text')).toBeUndefined()
  })

  it('treats dropped connections as transient but not DNS failures', () => {
    for (const code of ['ECONNRESET', 'ECONNREFUSED', 'UND_ERR_SOCKET', 'EPIPE']) {
      expect(isRetryableNetworkCode(code)).toBe(true)
    }
    expect(isRetryableNetworkCode('ENOTFOUND')).toBe(false)
    expect(isRetryableNetworkCode(undefined)).toBe(false)
  })
})
