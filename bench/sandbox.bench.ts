/**
 * Sandbox query latency over 10,000 document parts, end to end over loopback HTTP (request
 * parsing, auth, FTS5 + BM25, JSON), as the app's client sees it. Documents are generated from
 * a fixed vocabulary with a seeded PRNG, so every run searches the same corpus.
 */
import type { BenchResult } from './run'
import { startSandbox } from '../src/sandbox'
import { silentLogger } from '../src/main/log'

export const name = 'sandbox'

const PARTS = 10_000
const PARTS_PER_DOC = 25
const QUERIES = 400
const WARMUP = 40

const VOCABULARY = (
  'lantern battery charge solar panel warranty firmware update bluetooth pairing brightness lumen ' +
  'camp tent trail night light hour cable port flap water rating storm cold winter summer river ' +
  'repair screw cover cell order refund parcel shipping delivery warehouse retailer partner key ' +
  'policy leave travel expense budget laptop security password team review salary pension health ' +
  'release version crash fix faster group scene timer chart language android phone app signal'
).split(' ')

function prng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return seed / 2 ** 31
  }
}

function sentence(next: () => number): string {
  const length = 8 + Math.floor(next() * 12)
  const words = Array.from({ length }, () => VOCABULARY[Math.floor(next() * VOCABULARY.length)])
  return words.join(' ').replace(/^./, (c) => c.toUpperCase()) + '.'
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]

const round = (ms: number): number => Math.round(ms * 100) / 100

/** First start with `--seed-keys 10000`: what a scale test or a benchmark waits for. */
async function seedTenThousandKeysMs(): Promise<number> {
  const started = performance.now()
  const seeded = await startSandbox({ seedKeys: 10_000, logger: silentLogger })
  const elapsed = performance.now() - started
  await seeded.close()
  return elapsed
}

export async function run(): Promise<BenchResult> {
  const seedMs = await seedTenThousandKeysMs()
  const sandbox = await startSandbox({ seed: false, logger: silentLogger })
  const headers = { 'x-api-key': sandbox.personalKey, 'content-type': 'application/json' }
  const post = async (path: string, body: unknown): Promise<unknown> => {
    const response = await fetch(sandbox.url + path, {
      method: 'POST',
      headers,
      body: JSON.stringify(body)
    })
    if (!response.ok)
      throw new Error(`${path} answered ${response.status}: ${await response.text()}`)
    return response.json()
  }
  try {
    const next = prng(42)
    await post('/v2/corpora', {
      key: 'bench',
      filter_attributes: [
        { name: 'year', level: 'document', type: 'integer' },
        { name: 'lang', level: 'part', type: 'text' }
      ]
    })
    const indexStarted = performance.now()
    for (let doc = 0; doc < PARTS / PARTS_PER_DOC; doc++) {
      await post('/v2/corpora/bench/documents', {
        id: `doc-${doc}`,
        type: 'core',
        metadata: { year: 2020 + (doc % 7) },
        document_parts: Array.from({ length: PARTS_PER_DOC }, () => ({
          text: sentence(next),
          metadata: { lang: next() < 0.8 ? 'eng' : 'deu' }
        }))
      })
    }
    const indexMs = performance.now() - indexStarted

    const measure = async (body: (q: string) => unknown): Promise<number[]> => {
      const times: number[] = []
      for (let i = 0; i < WARMUP + QUERIES; i++) {
        const query = Array.from(
          { length: 3 + (i % 4) },
          () => VOCABULARY[Math.floor(next() * VOCABULARY.length)]
        ).join(' ')
        const started = performance.now()
        await post('/v2/query', body(query))
        if (i >= WARMUP) times.push(performance.now() - started)
      }
      return times.sort((a, b) => a - b)
    }
    const plain = await measure((query) => ({
      query,
      search: { corpora: [{ corpus_key: 'bench' }], limit: 10 }
    }))
    const filtered = await measure((query) => ({
      query,
      search: {
        corpora: [
          { corpus_key: 'bench', metadata_filter: "doc.year >= 2023 AND part.lang = 'eng'" }
        ],
        limit: 10
      }
    }))
    const generated = await measure((query) => ({
      query,
      search: {
        corpora: [{ corpus_key: 'bench' }],
        limit: 10,
        context_configuration: { sentences_before: 2, sentences_after: 2 }
      },
      generation: { max_used_search_results: 5 }
    }))

    return {
      figures: {
        query_p50_ms: round(percentile(plain, 50)),
        query_p95_ms: round(percentile(plain, 95)),
        filtered_query_p50_ms: round(percentile(filtered, 50)),
        generation_query_p50_ms: round(percentile(generated, 50)),
        generation_query_p95_ms: round(percentile(generated, 95)),
        index_10k_parts_ms: Math.round(indexMs),
        seed_10k_keys_ms: Math.round(seedMs)
      },
      targets: { query_p50_ms: { max: 20 }, seed_10k_keys_ms: { max: 3000 } }
    }
  } finally {
    await sandbox.close()
  }
}
