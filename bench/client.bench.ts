/**
 * What the Vectara client costs on top of a bare `fetch`, against the live Sandbox on loopback:
 * - one small request (GET an API key): median client time minus median raw time;
 * - listing 10,000 keys (100 pages): client pagination time over the raw sequential fetch of the
 *   same pages, as the median of paired rounds.
 * Raw requests parse their JSON too, so the difference is the client's own work: URL building,
 * retry bookkeeping, timeouts, zod validation and observer reporting.
 */
import { startSandbox } from '../src/sandbox'
import { VectaraClient } from '../src/main/vectara/client'
import { silentLogger } from '../src/main/log'
import type { BenchResult } from './run'

export const name = 'vectara-client'

const SEED_KEYS = 10_000
const SMALL_WARMUP = 200
const SMALL_ROUNDS = 2_000
const LIST_ROUNDS = 21

export async function run(): Promise<BenchResult> {
  const sandbox = await startSandbox({ port: 0, seedKeys: SEED_KEYS, logger: silentLogger })
  try {
    const apiKey = sandbox.personalKey
    let observed = 0
    const client = new VectaraClient({
      baseUrl: sandbox.url,
      auth: { type: 'api_key', apiKey },
      // The app always records usage, so the bench pays for an observer too.
      onRequest: () => {
        observed++
      }
    })
    const headers = { 'x-api-key': apiKey, accept: 'application/json' }
    const [firstKey] = (await client.listApiKeys().next()).value ?? []
    if (!firstKey?.id) throw new Error('the Sandbox listed no keys')
    const keyUrl = `${sandbox.url}/v2/api_keys/${encodeURIComponent(firstKey.id)}`

    const raw = async (): Promise<void> => {
      const response = await fetch(keyUrl, { headers })
      await response.json()
    }
    const viaClient = async (): Promise<void> => {
      await client.getApiKey(firstKey.id!)
    }
    for (let i = 0; i < SMALL_WARMUP; i++) {
      await raw()
      await viaClient()
    }
    // Interleaved, so drift in the machine's load hits both sides alike.
    const rawTimes: number[] = []
    const clientTimes: number[] = []
    for (let i = 0; i < SMALL_ROUNDS; i++) {
      rawTimes.push(await timed(raw))
      clientTimes.push(await timed(viaClient))
    }

    const rawList = async (): Promise<number> => {
      let count = 0
      let pageKey: string | undefined
      do {
        const url = new URL('/v2/api_keys', sandbox.url)
        url.searchParams.set('limit', '100')
        if (pageKey) url.searchParams.set('page_key', pageKey)
        const response = await fetch(url, { headers })
        const body = (await response.json()) as {
          api_keys: unknown[]
          metadata?: { page_key?: string }
        }
        count += body.api_keys.length
        pageKey = body.metadata?.page_key
      } while (pageKey)
      return count
    }
    const clientList = async (): Promise<number> => (await client.listAllApiKeys()).length
    const listed = { raw: await rawList(), client: await clientList() }
    if (listed.raw !== listed.client || listed.raw < SEED_KEYS) {
      throw new Error(`listings disagree: raw ${listed.raw}, client ${listed.client}`)
    }
    const rawListTimes: number[] = []
    const clientListTimes: number[] = []
    const pairedRatios: number[] = []
    for (let i = 0; i < LIST_ROUNDS; i++) {
      // Alternate who goes first, and compare each pair: load on a shared machine drifts.
      let rawMs: number
      let clientMs: number
      if (i % 2 === 0) {
        rawMs = await timed(rawList)
        clientMs = await timed(clientList)
      } else {
        clientMs = await timed(clientList)
        rawMs = await timed(rawList)
      }
      rawListTimes.push(rawMs)
      clientListTimes.push(clientMs)
      pairedRatios.push(clientMs / rawMs)
    }

    const rawMedian = median(rawTimes)
    const clientMedian = median(clientTimes)
    return {
      figures: {
        single_request_raw_median_ms: round(rawMedian),
        single_request_client_median_ms: round(clientMedian),
        client_overhead_median_ms: round(clientMedian - rawMedian),
        list_10k_keys_raw_median_ms: round(median(rawListTimes)),
        list_10k_keys_client_median_ms: round(median(clientListTimes)),
        list_10k_keys_ratio: round(median(pairedRatios)),
        // Fastest over fastest: the client's intrinsic cost when the machine is busy elsewhere.
        list_10k_keys_best_ratio: round(Math.min(...clientListTimes) / Math.min(...rawListTimes)),
        keys_listed: listed.client,
        requests_observed: observed
      },
      targets: {
        client_overhead_median_ms: { max: 1 },
        list_10k_keys_ratio: { max: 1.2 }
      }
    }
  } finally {
    await sandbox.close()
  }
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await work()
  return performance.now() - started
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000
}
