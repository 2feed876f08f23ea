/**
 * What the playground adds to a query: the IPC router, zod validation both ways, the keychain
 * read, building the client, capturing the raw exchange, parsing the answer, recording usage
 * and history. Measured as `playground.run` through the router against a raw `fetch` of the
 * same body to the same embedded Sandbox, interleaved so both see the same machine load.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BenchResult } from './run'
import { createAppCore } from '../src/main/core'
import { MemoryClipboard } from '../src/main/clipboard'
import { silentLogger } from '../src/main/log'
import { MemorySecretStore } from '../src/main/secrets/memorySecretStore'
import { defaultPlaygroundOptions, type PlaygroundOptions } from '../src/shared/playground/options'
import { buildQueryRequest, queryUrl } from '../src/shared/playground/request'
import type { CallOutput } from '../src/shared/contract'

export const name = 'playground'

const ROUNDS = 150
const WARM_UP = 15

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000

export async function run(): Promise<BenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vkm-bench-playground-'))
  const secrets = new MemorySecretStore()
  const core = await createAppCore({
    runtime: 'harness',
    appVersion: 'bench',
    dataDir,
    secrets,
    clipboard: new MemoryClipboard(),
    logger: silentLogger,
    sandboxPropagationMs: 0,
    pruneUsage: false
  })
  try {
    const invoke = async <T>(name: string, input: unknown): Promise<T> => {
      const result = await core.router.invoke(name, input)
      if (!result.ok) throw new Error(`${name}: ${result.error.message}`)
      return result.value as T
    }
    await invoke('keys.refresh', { accountId: 'sandbox' })
    const created = await invoke<CallOutput<'keys.create'>>('keys.create', {
      accountId: 'sandbox',
      name: 'bench',
      access: 'serving',
      corpusKeys: ['employee-handbook']
    })
    const secret = (await secrets.get(`key:sandbox:${created.key.id}`))!
    const url = queryUrl(core.sandbox.url())

    const measure = async (
      options: PlaygroundOptions
    ): Promise<{ app: number[]; raw: number[] }> => {
      const query = 'How many weeks of parental leave do employees get?'
      const corpusKeys = ['employee-handbook']
      const body = JSON.stringify(buildQueryRequest({ query, corpusKeys, options }))
      const app: number[] = []
      const raw: number[] = []
      for (let i = 0; i < WARM_UP + ROUNDS; i++) {
        // Alternate which goes first so neither always gets the warmer connection.
        const order = i % 2 === 0 ? ['raw', 'app'] : ['app', 'raw']
        for (const which of order) {
          const started = performance.now()
          if (which === 'raw') {
            const response = await fetch(url, {
              method: 'POST',
              headers: {
                'x-api-key': secret,
                'content-type': 'application/json',
                accept: options.stream ? 'text/event-stream' : 'application/json'
              },
              body
            })
            await response.text()
          } else {
            const result = await invoke<CallOutput<'playground.run'>>('playground.run', {
              runId: `bench-${i}-${which}`,
              accountId: 'sandbox',
              credential: { type: 'stored', keyId: created.key.id },
              corpusKeys,
              query,
              options
            })
            if (result.error) throw new Error(result.error.title)
          }
          if (i >= WARM_UP) (which === 'raw' ? raw : app).push(performance.now() - started)
        }
      }
      return { app, raw }
    }

    const plain = await measure({ ...defaultPlaygroundOptions, stream: false, generation: false })
    const summary = await measure({ ...defaultPlaygroundOptions, stream: false })
    const paired = (m: { app: number[]; raw: number[] }): number =>
      median(m.app.map((ms, i) => ms - m.raw[i]))
    return {
      figures: {
        playground_overhead_median_ms: round(paired(plain)),
        playground_overhead_with_summary_median_ms: round(paired(summary)),
        raw_fetch_median_ms: round(median(plain.raw)),
        playground_run_median_ms: round(median(plain.app)),
        rounds: ROUNDS
      },
      targets: { playground_overhead_median_ms: { max: 2 } }
    }
  } finally {
    await core.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
