import type { QueryRequest } from '../vectara'
import type { PlaygroundOptions } from './options'

/** Tags asked of Vectara around the matching text; the renderer splits on exactly these. */
export const HIGHLIGHT_START = '<em>'
export const HIGHLIGHT_END = '</em>'

export interface PlaygroundQuery {
  query: string
  corpusKeys: string[]
  options: PlaygroundOptions
}

/**
 * The exact body `POST /v2/query` receives. Main sends it; the renderer builds the same one for
 * "Copy as cURL" and "Copy request JSON", so what is copied is what would be sent.
 */
export function buildQueryRequest({ query, corpusKeys, options }: PlaygroundQuery): QueryRequest {
  const filter = options.metadataFilter.trim()
  const request: QueryRequest = {
    query,
    search: {
      corpora: corpusKeys.map((corpusKey) => ({
        corpus_key: corpusKey,
        lexical_interpolation: options.lexicalInterpolation,
        ...(filter ? { metadata_filter: filter } : {})
      })),
      offset: options.offset,
      limit: options.limit,
      context_configuration: {
        sentences_before: options.sentencesBefore,
        sentences_after: options.sentencesAfter,
        start_tag: HIGHLIGHT_START,
        end_tag: HIGHLIGHT_END
      },
      ...(options.reranker === 'mmr'
        ? { reranker: { type: 'mmr' as const, diversity_bias: options.diversityBias } }
        : {})
    },
    stream_response: options.stream
  }
  if (options.generation) {
    const preset = options.generationPreset.trim()
    request.generation = {
      ...(preset ? { generation_preset_name: preset } : {}),
      max_used_search_results: options.maxUsedResults,
      response_language: options.responseLanguage,
      citations: { style: options.citationStyle },
      enable_factual_consistency_score: options.factualConsistency
    }
  }
  // Absent means "the corpus's own default"; only an explicit yes is sent.
  if (options.saveHistory) request.save_history = true
  return request
}

/** `https://api.vectara.io` + `/v2/query`, tolerating a trailing slash on the base. */
export function queryUrl(baseUrl: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/v2/query`
}
