import { VectaraClient, type VectaraClientOptions } from '../../../../src/main/vectara/client'
import type { VectaraRequestInfo } from '../../../../src/main/vectara/http'

export const TEST_API_KEY = 'zut_TestPersonalKey0123456789abcdef'

export interface TestClient {
  client: VectaraClient
  infos: VectaraRequestInfo[]
  /** Every delay the client asked to sleep for, in order. */
  sleeps: number[]
}

/**
 * A client with short timeouts, instant (recorded) backoff sleeps and a fixed jitter, so fault
 * tests run fast and can assert on the delays chosen.
 */
export function testClient(
  baseUrl: string,
  overrides: Partial<VectaraClientOptions> = {}
): TestClient {
  const infos: VectaraRequestInfo[] = []
  const sleeps: number[] = []
  const client = new VectaraClient({
    baseUrl,
    auth: { type: 'api_key', apiKey: TEST_API_KEY },
    timeoutMs: 2_000,
    streamIdleTimeoutMs: 2_000,
    retry: { maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 },
    random: () => 0.5,
    sleep: async (ms, signal) => {
      sleeps.push(ms)
      if (signal?.aborted) throw signal.reason
    },
    onRequest: (info) => infos.push(info),
    ...overrides
  })
  return { client, infos, sleeps }
}

/** The rejection of a promise that must fail (fails the test if it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the call to fail, but it succeeded')
}
