import { Fields, type JsonObject } from '../http/fields'
import type { Params } from '../http/params'
import type { ContextConfig } from '../search/context'
import type { RerankStage } from '../search/rerank'
import { CITATION_STYLES } from '../generation/citations'
import { LANGUAGES } from '../generation/languages'
import type { GenerationPlan } from '../generation/summary'
import { CORPUS_KEY_PATTERN, CORPUS_KEY_HINT } from './corpusKey'

export interface CorpusSelection {
  key: string
  /** Per-corpus query that overrides the request's. */
  query?: string
  metadataFilter?: string
  /** Where errors about this corpus point, e.g. `search.corpora[1]`. */
  fieldPath: string
}

export interface ParsedQuery {
  query: string
  corpora: CorpusSelection[]
  offset: number
  limit: number
  context: ContextConfig
  rerankers: RerankStage[]
  generation?: GenerationPlan
  stream: boolean
  saveHistory?: boolean
  /** The request as a QueryRequest, recorded in query history. */
  asQueryRequest: JsonObject
}

const MAX_QUERY_LENGTH = 5000
const MAX_FILTER_LENGTH = 8000
const MAX_CHAIN_DEPTH = 4
const DEFAULT_LIMIT = 10

/** POST /v2/query: QueryRequest, several corpora under `search.corpora`. */
export function parseQueryRequest(body: unknown): ParsedQuery {
  const fields = Fields.root(body)
  const query = readQueryText(fields)
  const search = fields.object('search', { required: true })
  const corpora =
    search?.objects(
      'corpora',
      (corpus, index): CorpusSelection | undefined => {
        const key = corpus.string('corpus_key', {
          required: true,
          pattern: CORPUS_KEY_PATTERN,
          patternHint: CORPUS_KEY_HINT,
          maxLength: 50
        })
        const override = corpus.string('query', { maxLength: MAX_QUERY_LENGTH })
        const selection = readSearchCorpus(corpus, `${search.path('corpora')}[${index}]`)
        return key === undefined ? undefined : { ...selection, key, query: override }
      },
      { required: true, minItems: 1, maxItems: 100 }
    ) ?? []
  return finish(fields, query, corpora, search)
}

/** POST /v2/corpora/{key}/query: QueryCorpusRequest, one corpus, flat `search`. */
export function parseCorpusQueryRequest(body: unknown, corpusKey: string): ParsedQuery {
  const fields = Fields.root(body)
  const query = readQueryText(fields)
  const search = fields.object('search')
  const selection = search ? readSearchCorpus(search, 'search') : { fieldPath: 'search' }
  return finish(fields, query, [{ ...selection, key: corpusKey }], search)
}

/** GET /v2/corpora/{key}/query: query-string parameters, no generation. */
export function parseSimpleQuery(params: Params, corpusKey: string): ParsedQuery {
  const query = params.string('query', { required: true, maxLength: MAX_QUERY_LENGTH })
  if (query !== undefined && query.trim() === '') params.fail('query', 'must not be empty')
  const limit = params.int('limit', { min: 1, default: DEFAULT_LIMIT })
  const offset = params.int('offset', { min: 0, default: 0 })
  const saveHistory = params.bool('save_history')
  params.bool('intelligent_query_rewriting')
  params.errors.throwIfAny()
  return {
    query: query!,
    corpora: [{ key: corpusKey, fieldPath: 'corpus_key' }],
    offset,
    limit,
    context: { startTag: '', endTag: '' },
    rerankers: [],
    stream: false,
    saveHistory,
    asQueryRequest: {
      query: query!,
      search: { corpora: [{ corpus_key: corpusKey }], offset, limit },
      ...(saveHistory !== undefined ? { save_history: saveHistory } : {})
    }
  }
}

function readQueryText(fields: Fields): string | undefined {
  return fields.string('query', { required: true, nonEmpty: true, maxLength: MAX_QUERY_LENGTH })
}

function readSearchCorpus(corpus: Fields, fieldPath: string): Omit<CorpusSelection, 'key'> {
  const metadataFilter = corpus.string('metadata_filter', { maxLength: MAX_FILTER_LENGTH })
  corpus.number('lexical_interpolation', { min: 0, max: 1 })
  corpus.oneOf('semantics', ['default', 'query', 'response'] as const)
  corpus.numberMap('custom_dimensions')
  return { fieldPath, metadataFilter: metadataFilter?.trim() ? metadataFilter : undefined }
}

function finish(
  fields: Fields,
  query: string | undefined,
  corpora: CorpusSelection[],
  search: Fields | undefined
): ParsedQuery {
  const offset = search?.integer('offset', { min: 0 }) ?? 0
  const limit = search?.integer('limit', { min: 1 }) ?? DEFAULT_LIMIT
  const context = readContext(search?.object('context_configuration'))
  const rerankers = readReranker(search?.object('reranker'), 0)
  const generation = readGeneration(
    fields.has('generation') ? fields.object('generation') : undefined
  )
  const stream = fields.boolean('stream_response') ?? false
  const saveHistory = fields.boolean('save_history')
  fields.boolean('intelligent_query_rewriting')
  fields.errors.throwIfAny()
  return {
    query: query!,
    corpora,
    offset,
    limit,
    context,
    rerankers,
    generation,
    stream,
    saveHistory,
    asQueryRequest: toQueryRequest(fields.value, corpora, search?.value)
  }
}

function readContext(config: Fields | undefined): ContextConfig {
  if (!config) return { startTag: '', endTag: '' }
  const maxContext = { min: 0, max: 10_000 }
  return {
    sentencesBefore: config.integer('sentences_before', maxContext),
    sentencesAfter: config.integer('sentences_after', maxContext),
    charactersBefore: config.integer('characters_before', maxContext),
    charactersAfter: config.integer('characters_after', maxContext),
    startTag: config.string('start_tag', { maxLength: 100 }) ?? '',
    endTag: config.string('end_tag', { maxLength: 100 }) ?? ''
  }
}

const RERANKER_TYPES = ['customer_reranker', 'userfn', 'mmr', 'chain', 'none'] as const

function readReranker(reranker: Fields | undefined, depth: number): RerankStage[] {
  if (!reranker) return []
  const type = reranker.oneOf('type', RERANKER_TYPES, { required: true })
  const limit = reranker.integer('limit', { min: 1 })
  const cutoff = reranker.number('cutoff')
  switch (type) {
    case 'none':
      return [{ type, limit }]
    case 'customer_reranker':
      reranker.string('reranker_name')
      reranker.string('reranker_id', {
        pattern: /^rnk_\d+$/,
        patternHint: 'must look like rnk_<digits>'
      })
      reranker.boolean('include_context')
      reranker.string('instructions')
      return [{ type, limit, cutoff }]
    case 'mmr':
      return [
        {
          type,
          limit,
          cutoff,
          diversityBias: reranker.number('diversity_bias', { min: 0, max: 1 }) ?? 0
        }
      ]
    case 'userfn':
      reranker.fail(
        'type',
        "'userfn' (user-defined function) rerankers are not supported by the Sandbox"
      )
      return []
    case 'chain': {
      if (depth >= MAX_CHAIN_DEPTH) {
        reranker.fail('rerankers', `chains may nest at most ${MAX_CHAIN_DEPTH} deep in the Sandbox`)
        return []
      }
      const stages = reranker.objects('rerankers', (inner) => readReranker(inner, depth + 1), {
        required: true,
        minItems: 1,
        maxItems: 50
      })
      return (stages ?? []).flat()
    }
    default:
      return []
  }
}

function readGeneration(generation: Fields | undefined): GenerationPlan | undefined {
  if (!generation) return undefined
  const enabled = generation.boolean('enabled') ?? true
  generation.string('generation_preset_name', { nonEmpty: true })
  generation.string('prompt_name', { nonEmpty: true })
  generation.string('prompt_template')
  generation.string('prompt_text')
  const maxUsed = generation.integer('max_used_search_results', { min: 0, max: 1000 }) ?? 5
  const maxChars = generation.integer('max_response_characters', { min: 0 })
  const language = generation.oneOf('response_language', LANGUAGES) ?? 'auto'
  const model = generation.object('model_parameters')
  model?.string('llm_name')
  model?.integer('max_tokens', { min: 1 })
  for (const name of ['temperature', 'frequency_penalty', 'presence_penalty']) model?.number(name)
  const citations = generation.object('citations')
  const style = citations?.oneOf('style', CITATION_STYLES) ?? 'numeric'
  const urlPattern = citations?.string('url_pattern', { maxLength: 2000 })
  const textPattern = citations?.string('text_pattern', { maxLength: 2000 })
  const fcs = generation.boolean('enable_factual_consistency_score') ?? true
  if (!enabled) return undefined
  return {
    maxUsedSearchResults: maxUsed,
    citations: { style, urlPattern, textPattern },
    responseLanguage: language,
    maxResponseCharacters: maxChars,
    factualConsistency: fcs
  }
}

/** The request in the QueryRequest shape that query history stores for every kind of query. */
function toQueryRequest(
  body: JsonObject,
  corpora: CorpusSelection[],
  search: JsonObject | undefined
): JsonObject {
  const searchOut: JsonObject = {
    corpora: corpora.map((c, i) => {
      const raw = Array.isArray(search?.corpora)
        ? (search.corpora[i] as JsonObject)
        : pickSearchCorpus(search)
      return { ...raw, corpus_key: c.key }
    })
  }
  for (const name of ['offset', 'limit', 'context_configuration', 'reranker']) {
    if (search?.[name] !== undefined && search[name] !== null) searchOut[name] = search[name]
  }
  const out: JsonObject = { query: body.query, search: searchOut }
  for (const name of [
    'generation',
    'stream_response',
    'save_history',
    'intelligent_query_rewriting'
  ]) {
    if (body[name] !== undefined && body[name] !== null) out[name] = body[name]
  }
  return out
}

function pickSearchCorpus(search: JsonObject | undefined): JsonObject {
  const out: JsonObject = {}
  for (const name of [
    'metadata_filter',
    'lexical_interpolation',
    'semantics',
    'custom_dimensions'
  ]) {
    if (search?.[name] !== undefined && search[name] !== null) out[name] = search[name]
  }
  return out
}
