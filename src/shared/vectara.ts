import { z } from 'zod'
import type { KeyKind } from './contract/keys'
import { kindOfRole, kindOfSecret } from './keyKinds'

/**
 * Vectara REST API v2 objects the app reads and sends. Pure TypeScript + zod, so main and the
 * renderer share one set of types.
 *
 * Response schemas are lenient on purpose: Vectara says "new fields may be added to any response
 * at any time; clients should ignore unknown fields", every response field is optional in the
 * spec, and `null` is treated as absent (see `withoutNulls`). Unknown fields are stripped (objects cross IPC, so only
 * what we understand travels on), except where the API defines an object as open or opaque
 * (`api_policy`, metadata, query-history spans), which keep every field. A known field of the
 * wrong type is still an error: that is a breaking change we want to see, not paper over.
 */

/**
 * `null` means "absent" in an API response (Vectara sends `page_key: null` on a last page, and a
 * JSON null carries no more than a missing field). The client passes every answer through this
 * before the schemas below, which can then stay plain `.optional()` and fast: a per-field
 * null check made listing 10,000 keys measurably slower. Copies only what it changes.
 */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i]
      const cleaned = typeof item === 'object' && item !== null ? withoutNulls(item) : item
      if (cleaned !== item) (copy ??= value.slice())[i] = cleaned
    }
    return (copy ?? value) as T
  }
  if (typeof value !== 'object' || value === null) return value
  const record = value as Record<string, unknown>
  let copy: Record<string, unknown> | undefined
  for (const key in record) {
    const item = record[key]
    if (item === null) {
      copy ??= { ...record }
      delete copy[key]
    } else if (typeof item === 'object') {
      const cleaned = withoutNulls(item)
      if (cleaned !== item) (copy ??= { ...record })[key] = cleaned
    }
  }
  return (copy ?? value) as T
}

/** An enum the API may extend: known values are typed, new ones still parse. */
function openEnum<const T extends readonly string[]>(_known: T) {
  return z.custom<T[number] | (string & {})>((value) => typeof value === 'string', {
    message: 'Expected a string'
  })
}

const looseRecord = z.record(z.string(), z.unknown())

// ---------------------------------------------------------------------------------------------
// Common

export const ListMetadataSchema = z.object({ page_key: z.string().optional() })
export type ListMetadata = z.infer<typeof ListMetadataSchema>

/** Error bodies: `Error` (403, 409, 429, 5xx), `BadRequestError` (400), `NotFoundError` (404). */
export const ErrorBodySchema = z.object({
  messages: z.array(z.string()).optional(),
  request_id: z.string().optional(),
  field_errors: z.record(z.string(), z.string()).optional(),
  id: z.string().optional()
})
export type ErrorBody = z.infer<typeof ErrorBodySchema>

/** Spec pattern for corpus keys: `[a-zA-Z0-9_=-]+`, at most 50 characters. */
export const CorpusKeySchema = z
  .string()
  .min(1)
  .max(50)
  .regex(/^[a-zA-Z0-9_=-]+$/, 'Use only letters, digits, _, = and -')

// ---------------------------------------------------------------------------------------------
// API keys

export const apiKeyRoles = ['serving', 'serving_and_indexing', 'personal'] as const
export const ApiKeyRoleSchema = z.enum(apiKeyRoles)
export type ApiKeyRole = z.infer<typeof ApiKeyRoleSchema>

export const corpusRoleNames = ['owner', 'administrator', 'viewer', 'editor'] as const

export const CorpusRoleSchema = z.object({
  corpus_key: z.string().optional(),
  role: openEnum(corpusRoleNames).optional()
})
export type CorpusRole = z.infer<typeof CorpusRoleSchema>

export const AgentRoleSchema = z.object({
  agent_key: z.string().optional(),
  role: z.string().optional()
})
export type AgentRole = z.infer<typeof AgentRoleSchema>

/**
 * No public source gives a concrete `api_policy`; it is kept whole (opaque) and only read
 * defensively by `corpusKeysOf`.
 */
export const ApiPolicySchema = z.looseObject({
  name: z.string().optional(),
  allowed_operations: looseRecord.optional()
})
export type ApiPolicy = z.infer<typeof ApiPolicySchema>

export const ApiKeySchema = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  secret_key: z.string().optional(),
  enabled: z.boolean().optional(),
  api_key_role: openEnum(apiKeyRoles).optional(),
  api_roles: z.array(z.string()).optional(),
  corpus_roles: z.array(CorpusRoleSchema).optional(),
  agent_roles: z.array(AgentRoleSchema).optional(),
  api_policy: ApiPolicySchema.optional()
})
export type ApiKey = z.infer<typeof ApiKeySchema>

export const ListApiKeysResponseSchema = z.object({
  api_keys: z.array(ApiKeySchema).optional(),
  metadata: ListMetadataSchema.optional()
})
export type ListApiKeysResponse = z.infer<typeof ListApiKeysResponseSchema>

/** What the app sends: the legacy role + corpus keys, which every API version accepts. */
export const CreateApiKeyRequestSchema = z.object({
  name: z.string().min(1),
  api_key_role: ApiKeyRoleSchema,
  corpus_keys: z.array(CorpusKeySchema).optional()
})
export type CreateApiKeyRequest = z.infer<typeof CreateApiKeyRequestSchema>

/** The spec's `Language` enum (`generation.response_language`); `auto` follows the query. */
export const LANGUAGES = [
  'auto',
  'eng',
  'deu',
  'fra',
  'zho',
  'kor',
  'ara',
  'rus',
  'tha',
  'nld',
  'ita',
  'por',
  'spa',
  'jpn',
  'pol',
  'tur',
  'vie',
  'ind',
  'ces',
  'ukr',
  'ell',
  'heb',
  'fas',
  'hin',
  'urd',
  'swe',
  'ben',
  'msa',
  'ron'
] as const
export type Language = (typeof LANGUAGES)[number]

// ---------------------------------------------------------------------------------------------
// Key kinds (the app's Kind badge)

/** One definition of the kinds, shared with the IPC contract. */
export type { KeyKind }

/**
 * The legacy role is explicit, so it wins; the secret prefix is the documented console rule;
 * RBAC corpus roles are the newest shape, and their mapping (viewer ≈ Query, editor ≈ Index) is
 * an inference from the docs, so it comes last.
 */
export function keyKindOf(
  apiKey: Pick<ApiKey, 'api_key_role' | 'secret_key' | 'corpus_roles'>
): KeyKind {
  const byRole = apiKey.api_key_role ? kindOfRole(apiKey.api_key_role) : undefined
  if (byRole) return byRole
  const bySecret = apiKey.secret_key ? kindOfSecret(apiKey.secret_key) : 'unknown'
  if (bySecret !== 'unknown') return bySecret
  const roles = (apiKey.corpus_roles ?? []).map((r) => r.role).filter((r) => r !== undefined)
  if (roles.length === 0) return 'unknown'
  if (roles.some((r) => r === 'editor' || r === 'administrator' || r === 'owner')) return 'index'
  if (roles.every((r) => r === 'viewer')) return 'query'
  return 'unknown'
}

/**
 * The corpora a key can reach: `corpus_roles`, plus any resource list under
 * `api_policy.allowed_operations[op].allowed_resources` whose resource path names a corpus key
 * (e.g. `path.corpus_key`). The policy format is undocumented, so anything unexpected is skipped.
 */
export function corpusKeysOf(apiKey: Pick<ApiKey, 'corpus_roles' | 'api_policy'>): string[] {
  const keys = new Set<string>()
  for (const role of apiKey.corpus_roles ?? []) {
    if (role.corpus_key) keys.add(role.corpus_key)
  }
  for (const operation of Object.values(apiKey.api_policy?.allowed_operations ?? {})) {
    const resources = isRecord(operation) ? operation.allowed_resources : undefined
    if (!isRecord(resources)) continue
    for (const [resourcePath, values] of Object.entries(resources)) {
      if (!/corpus_key/i.test(resourcePath)) continue
      for (const value of Array.isArray(values) ? values : [values]) {
        if (typeof value === 'string' && value) keys.add(value)
      }
    }
  }
  return [...keys]
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// ---------------------------------------------------------------------------------------------
// Corpora

const filterAttributeTypes = [
  'integer',
  'real_number',
  'text',
  'boolean',
  'list[integer]',
  'list[real_number]',
  'list[text]'
] as const

export const FilterAttributeSchema = z.object({
  name: z.string().optional(),
  level: openEnum(['document', 'part'] as const).optional(),
  description: z.string().optional(),
  indexed: z.boolean().optional(),
  type: openEnum(filterAttributeTypes).optional()
})
export type FilterAttribute = z.infer<typeof FilterAttributeSchema>

export const CorpusCustomDimensionSchema = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  indexing_default: z.number().optional(),
  querying_default: z.number().optional()
})

export const CorpusLimitsSchema = z.object({
  used_docs: z.number().optional(),
  used_parts: z.number().optional(),
  used_bytes: z.number().optional(),
  used_characters: z.number().optional(),
  max_bytes: z.number().optional(),
  max_metadata_bytes: z.number().optional(),
  index_rate: z.number().optional()
})

export const CorpusSchema = z.object({
  id: z.string().optional(),
  key: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  enabled: z.boolean().optional(),
  chat_history_corpus: z.boolean().optional(),
  queries_are_answers: z.boolean().optional(),
  documents_are_questions: z.boolean().optional(),
  encoder_id: z.string().optional(),
  encoder_name: z.string().optional(),
  save_history: z.boolean().optional(),
  filter_attributes: z.array(FilterAttributeSchema).optional(),
  custom_dimensions: z.array(CorpusCustomDimensionSchema).optional(),
  limits: CorpusLimitsSchema.optional(),
  created_at: z.string().optional()
})
export type Corpus = z.infer<typeof CorpusSchema>

export const ListCorporaResponseSchema = z.object({
  corpora: z.array(CorpusSchema).optional(),
  metadata: ListMetadataSchema.optional()
})
export type ListCorporaResponse = z.infer<typeof ListCorporaResponseSchema>

export const CreateCorpusRequestSchema = z.object({
  key: CorpusKeySchema,
  name: z.string().optional(),
  description: z.string().optional(),
  save_history: z.boolean().optional(),
  queries_are_answers: z.boolean().optional(),
  documents_are_questions: z.boolean().optional(),
  encoder_name: z.string().optional(),
  filter_attributes: z
    .array(
      z.object({
        name: z.string().min(1),
        level: z.enum(['document', 'part']),
        description: z.string().optional(),
        indexed: z.boolean().optional(),
        type: z.enum(filterAttributeTypes)
      })
    )
    .optional(),
  custom_dimensions: z
    .array(
      z.object({
        name: z.string().min(1),
        description: z.string().optional(),
        indexing_default: z.number().optional(),
        querying_default: z.number().optional()
      })
    )
    .optional()
})
export type CreateCorpusRequest = z.infer<typeof CreateCorpusRequestSchema>

// ---------------------------------------------------------------------------------------------
// Documents

const customDimensionsInput = z.record(z.string(), z.number()).optional()

export const CoreDocumentPartSchema = z.object({
  text: z.string(),
  metadata: looseRecord.optional(),
  context: z.string().optional(),
  table_id: z.string().optional(),
  image_id: z.string().optional(),
  custom_dimensions: customDimensionsInput
})

export const CoreDocumentSchema = z.object({
  id: z.string().min(1),
  type: z.literal('core'),
  metadata: looseRecord.optional(),
  document_parts: z.array(CoreDocumentPartSchema).min(1)
})
export type CoreDocument = z.infer<typeof CoreDocumentSchema>

export interface StructuredDocumentSection {
  id?: number
  title?: string
  text: string
  metadata?: Record<string, unknown>
  sections?: StructuredDocumentSection[]
}

export const StructuredDocumentSectionSchema: z.ZodType<StructuredDocumentSection> = z.object({
  id: z.number().int().optional(),
  title: z.string().optional(),
  text: z.string(),
  metadata: looseRecord.optional(),
  get sections() {
    return z.array(StructuredDocumentSectionSchema).optional()
  }
})

export const ChunkingStrategySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('sentence_chunking_strategy') }),
  z.object({
    type: z.literal('max_chars_chunking_strategy'),
    max_chars_per_chunk: z.number().int().min(100)
  })
])

export const StructuredDocumentSchema = z.object({
  id: z.string().min(1),
  type: z.literal('structured'),
  title: z.string().optional(),
  description: z.string().optional(),
  metadata: looseRecord.optional(),
  custom_dimensions: customDimensionsInput,
  sections: z.array(StructuredDocumentSectionSchema).min(1),
  chunking_strategy: ChunkingStrategySchema.optional()
})
export type StructuredDocument = z.infer<typeof StructuredDocumentSchema>

export const CreateDocumentRequestSchema = z.discriminatedUnion('type', [
  CoreDocumentSchema,
  StructuredDocumentSchema
])
export type CreateDocumentRequest = z.infer<typeof CreateDocumentRequestSchema>

export const DocumentPartSchema = z.object({
  text: z.string().optional(),
  metadata: looseRecord.optional(),
  context: z.string().optional(),
  table_id: z.string().optional(),
  image_id: z.string().optional(),
  custom_dimensions: z.record(z.string(), z.number()).optional()
})

export const DocumentSchema = z.object({
  id: z.string().optional(),
  metadata: looseRecord.optional(),
  parts: z.array(DocumentPartSchema).optional(),
  storage_usage: z
    .object({ bytes_used: z.number().optional(), metadata_bytes_used: z.number().optional() })
    .optional()
})
export type Document = z.infer<typeof DocumentSchema>

export const ListDocumentsResponseSchema = z.object({
  documents: z.array(DocumentSchema).optional(),
  metadata: ListMetadataSchema.optional()
})
export type ListDocumentsResponse = z.infer<typeof ListDocumentsResponseSchema>

// ---------------------------------------------------------------------------------------------
// Query requests (what the playground sends; validated in IPC, so stricter than responses)

export const SearchCorpusSchema = z.object({
  custom_dimensions: z.record(z.string(), z.number()).nullish(),
  metadata_filter: z.string().max(8000).optional(),
  lexical_interpolation: z.number().min(0).max(1).optional(),
  semantics: z.enum(['default', 'query', 'response']).optional()
})

export const KeyedSearchCorpusSchema = SearchCorpusSchema.extend({
  corpus_key: CorpusKeySchema,
  query: z.string().max(5000).optional()
})

export const ContextConfigurationSchema = z.object({
  characters_before: z.number().int().min(0).optional(),
  characters_after: z.number().int().min(0).optional(),
  sentences_before: z.number().int().min(0).optional(),
  sentences_after: z.number().int().min(0).optional(),
  start_tag: z.string().optional(),
  end_tag: z.string().optional()
})

const rerankerBounds = {
  limit: z.number().int().min(1).optional(),
  cutoff: z.number().optional()
}

export type SearchReranker =
  | {
      type: 'customer_reranker'
      reranker_name?: string
      reranker_id?: string
      limit?: number
      cutoff?: number
      include_context?: boolean
      instructions?: string
    }
  | { type: 'userfn'; user_function?: string; limit?: number; cutoff?: number }
  | { type: 'mmr'; diversity_bias?: number; limit?: number; cutoff?: number }
  | { type: 'chain'; rerankers: SearchReranker[] }
  | { type: 'none'; limit?: number }

export const SearchRerankerSchema: z.ZodType<SearchReranker> = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('customer_reranker'),
    reranker_name: z.string().optional(),
    reranker_id: z.string().optional(),
    include_context: z.boolean().optional(),
    instructions: z.string().optional(),
    ...rerankerBounds
  }),
  z.object({ type: z.literal('userfn'), user_function: z.string().optional(), ...rerankerBounds }),
  z.object({ type: z.literal('mmr'), diversity_bias: z.number().optional(), ...rerankerBounds }),
  z.object({
    type: z.literal('chain'),
    get rerankers() {
      return z.array(SearchRerankerSchema).min(1)
    }
  }),
  z.object({ type: z.literal('none'), limit: z.number().int().min(1).optional() })
])

export const SearchParametersSchema = z.object({
  offset: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).optional(),
  context_configuration: ContextConfigurationSchema.optional(),
  reranker: SearchRerankerSchema.optional()
})

export const GenerationParametersSchema = z.object({
  enabled: z.boolean().optional(),
  generation_preset_name: z.string().optional(),
  max_used_search_results: z.number().int().min(0).optional(),
  prompt_template: z.string().optional(),
  max_response_characters: z.number().int().min(1).optional(),
  response_language: z.string().optional(),
  model_parameters: z
    .object({
      llm_name: z.string().optional(),
      max_tokens: z.number().int().min(1).optional(),
      temperature: z.number().optional(),
      frequency_penalty: z.number().optional(),
      presence_penalty: z.number().optional()
    })
    .optional(),
  citations: z
    .object({
      style: z.enum(['none', 'numeric', 'html', 'markdown']).optional(),
      url_pattern: z.string().optional(),
      text_pattern: z.string().optional()
    })
    .optional(),
  enable_factual_consistency_score: z.boolean().optional()
})
export type GenerationParameters = z.infer<typeof GenerationParametersSchema>

const queryOptions = {
  query: z.string().max(5000),
  generation: GenerationParametersSchema.nullish(),
  stream_response: z.boolean().optional(),
  save_history: z.boolean().optional(),
  intelligent_query_rewriting: z.boolean().optional()
}

/** `POST /v2/query`: one or more corpora. */
export const QueryRequestSchema = z.object({
  ...queryOptions,
  search: SearchParametersSchema.extend({ corpora: z.array(KeyedSearchCorpusSchema).min(1) })
})
export type QueryRequest = z.infer<typeof QueryRequestSchema>

/** `POST /v2/corpora/{corpus_key}/query`: the corpus is in the path. */
export const QueryCorpusRequestSchema = z.object({
  ...queryOptions,
  search: SearchParametersSchema.extend(SearchCorpusSchema.shape).optional()
})
export type QueryCorpusRequest = z.infer<typeof QueryCorpusRequestSchema>

// ---------------------------------------------------------------------------------------------
// Query responses

export const IndividualSearchResultSchema = z.object({
  text: z.string().optional(),
  score: z.number().optional(),
  part_metadata: looseRecord.optional(),
  document_metadata: looseRecord.optional(),
  document_id: z.string().optional(),
  table: looseRecord.optional(),
  image: looseRecord.optional(),
  request_corpora_index: z.number().optional(),
  corpus_key: z.string().optional()
})
export type IndividualSearchResult = z.infer<typeof IndividualSearchResultSchema>

export const RewrittenQuerySchema = z.object({
  corpus_key: z.string().optional(),
  filter_extraction: z
    .object({ query: z.string().optional(), metadata_filter: z.string().optional() })
    .optional()
})

export const QueryFullResponseSchema = z.object({
  summary: z.string().optional(),
  response_language: z.string().optional(),
  search_results: z.array(IndividualSearchResultSchema).optional(),
  factual_consistency_score: z.number().optional(),
  rendered_prompt: z.string().optional(),
  warnings: z.array(z.string()).optional(),
  rewritten_queries: z.array(RewrittenQuerySchema).optional()
})
export type QueryFullResponse = z.infer<typeof QueryFullResponseSchema>

/** One Server-Sent Event of a streamed query, discriminated by `type` (spec: QueryStreamedResponse). */
export const QueryStreamEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('search_results'),
    search_results: z.array(IndividualSearchResultSchema).optional(),
    rewritten_queries: z.array(RewrittenQuerySchema).optional()
  }),
  z.object({ type: z.literal('generation_chunk'), generation_chunk: z.string().optional() }),
  z.object({ type: z.literal('generation_end') }),
  z.object({
    type: z.literal('generation_info'),
    rendered_prompt: z.string().optional(),
    rephrased_query: z.string().optional()
  }),
  z.object({
    type: z.literal('factual_consistency_score'),
    factual_consistency_score: z.number().optional()
  }),
  z.object({ type: z.literal('error'), messages: z.array(z.string()).optional() }),
  z.object({ type: z.literal('end') })
])
export type KnownQueryStreamEvent = z.infer<typeof QueryStreamEventSchema>
export const queryStreamEventTypes = QueryStreamEventSchema.options.map((o) => o.shape.type.value)

/** An event type this app does not know yet: passed on so nothing is lost, never an error. */
export interface UnrecognizedQueryStreamEvent {
  type: 'unrecognized'
  event: string
  data: unknown
}
export type QueryStreamEvent = KnownQueryStreamEvent | UnrecognizedQueryStreamEvent

// ---------------------------------------------------------------------------------------------
// Query history

export const QueryHistorySummarySchema = z.object({
  id: z.string().optional(),
  query: z.string().optional(),
  corpus_key: z.string().optional(),
  started_at: z.string().optional(),
  latency_millis: z.number().optional(),
  chat_id: z.string().optional(),
  generation: z.string().optional(),
  factual_consistency_score: z.number().optional(),
  agent_key: z.string().optional(),
  session_key: z.string().optional()
})
export type QueryHistorySummary = z.infer<typeof QueryHistorySummarySchema>

export const ListQueryHistoriesResponseSchema = z.object({
  queries: z.array(QueryHistorySummarySchema).optional(),
  metadata: ListMetadataSchema.optional()
})
export type ListQueryHistoriesResponse = z.infer<typeof ListQueryHistoriesResponseSchema>

/** Spans have six shapes (rephrase, search, rerank, generation, fcs, …): kept whole. */
export const QueryHistorySpanSchema = z.looseObject({
  type: z.string().optional(),
  latency_millis: z.number().optional(),
  started_at: z.string().optional()
})

export const QueryHistorySchema = z.object({
  id: z.string().optional(),
  /** The stored request, kept whole: it may carry fields newer than this app. */
  query: z.looseObject({ query: z.string().optional() }).optional(),
  chat_id: z.string().optional(),
  latency_millis: z.number().optional(),
  started_at: z.string().optional(),
  agent_key: z.string().optional(),
  session_key: z.string().optional(),
  spans: z.array(QueryHistorySpanSchema).optional()
})
export type QueryHistory = z.infer<typeof QueryHistorySchema>
