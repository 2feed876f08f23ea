import type { z } from 'zod'
import {
  ApiKeySchema,
  CorpusSchema,
  DocumentSchema,
  ListApiKeysResponseSchema,
  ListCorporaResponseSchema,
  ListDocumentsResponseSchema,
  ListQueryHistoriesResponseSchema,
  QueryFullResponseSchema,
  QueryHistorySchema,
  type ApiKey,
  type Corpus,
  type CreateCorpusRequest,
  type CreateDocumentRequest,
  type Document,
  type ListMetadata,
  type QueryCorpusRequest,
  type QueryFullResponse,
  type QueryHistory,
  type QueryHistorySummary,
  type QueryRequest
} from '@shared/vectara'
import { ApiKeyCredential, DEFAULT_TOKEN_URL, OAuthCredential, type VectaraAuth } from './auth'
import { VectaraError } from './errors'
import { HttpTransport, type Credential, type HttpMethod, type RequestSpec } from './http'
import {
  resolveSettings,
  type CallOptions,
  type CreateApiKeyInput,
  type ListApiKeysFilter,
  type ListQueriesFilter,
  type VectaraClientOptions
} from './options'
import { collectPages, paginate, type Page } from './pagination'
import { streamQueryEvents, type QueryEventStream } from './queryStream'
import { buildUrl, checkServiceUrl, pathSegment, type QueryValue } from './urlPolicy'

export type { QueryEventStream } from './queryStream'
export type {
  CallOptions,
  CreateApiKeyInput,
  ListApiKeysFilter,
  ListQueriesFilter,
  VectaraClientOptions
} from './options'

/** The maximum page size of each list endpoint, so long listings take the fewest round trips. */
const PAGE_SIZE = { apiKeys: 100, corpora: 100, documents: 1000, queries: 100 }

/**
 * A typed client for the parts of Vectara's REST API v2 the app uses. Main-process only: it holds
 * the credential. Every failure is a `VectaraError`; map it for IPC with `toAppError`.
 */
export class VectaraClient {
  private readonly baseUrl: URL
  private readonly http: HttpTransport
  private readonly credential: Credential
  private readonly streamIdleTimeoutMs: number

  constructor(options: VectaraClientOptions) {
    this.baseUrl = checkServiceUrl(options.baseUrl, 'API base URL')
    const settings = resolveSettings(options)
    this.streamIdleTimeoutMs = settings.streamIdleTimeoutMs
    this.http = new HttpTransport({
      ...settings,
      onRequest: options.onRequest,
      // Read at error time: the credential is created just below, around this transport.
      secrets: () => this.credential.secrets()
    })
    this.credential = createCredential(options.auth, this.http, settings.now)
  }

  // -- API keys (a Personal key or OAuth client is required for all of these) --------------------

  /** Pages of API keys, 100 per request. */
  listApiKeys(filter: ListApiKeysFilter = {}, options: CallOptions = {}): AsyncGenerator<ApiKey[]> {
    return paginate((pageKey) =>
      this.page(
        'apiKeys.list',
        '/v2/api_keys',
        ListApiKeysResponseSchema,
        (r) => r.api_keys,
        options,
        {
          limit: Math.min(filter.pageSize ?? PAGE_SIZE.apiKeys, PAGE_SIZE.apiKeys),
          page_key: pageKey,
          corpus_key: filter.corpusKey,
          api_key_role: filter.role
        }
      )
    )
  }

  listAllApiKeys(filter: ListApiKeysFilter = {}, options: CallOptions = {}): Promise<ApiKey[]> {
    return collectPages(this.listApiKeys(filter, options))
  }

  /**
   * Sends the legacy `api_key_role` + `corpus_keys` (accepted by every API version); the answer
   * may carry the RBAC fields too. Never retried: a retry after a lost answer could make two keys.
   */
  async createApiKey(input: CreateApiKeyInput, options: CallOptions = {}): Promise<ApiKey> {
    const body: Record<string, unknown> = { name: input.name, api_key_role: input.role }
    // The January 2026 spec has corpus_keys left out for a personal key (docs/vectara-api.md).
    if (input.role !== 'personal') body.corpus_keys = input.corpusKeys ?? []
    return this.http.json(
      this.spec('apiKeys.create', 'POST', '/v2/api_keys', options, {
        json: body,
        retryable: false
      }),
      ApiKeySchema
    )
  }

  async getApiKey(id: string, options: CallOptions = {}): Promise<ApiKey> {
    const path = `/v2/api_keys/${pathSegment(id, 'API key ID')}`
    return this.http.json(this.spec('apiKeys.get', 'GET', path, options), ApiKeySchema)
  }

  /** PATCH `{enabled}`; setting the same value twice is harmless, so it is retried. */
  async setApiKeyEnabled(id: string, enabled: boolean, options: CallOptions = {}): Promise<ApiKey> {
    const path = `/v2/api_keys/${pathSegment(id, 'API key ID')}`
    return this.http.json(
      this.spec('apiKeys.setEnabled', 'PATCH', path, options, { json: { enabled } }),
      ApiKeySchema
    )
  }

  async deleteApiKey(id: string, options: CallOptions = {}): Promise<void> {
    const path = `/v2/api_keys/${pathSegment(id, 'API key ID')}`
    return this.http.empty(this.spec('apiKeys.delete', 'DELETE', path, options))
  }

  // -- Corpora -------------------------------------------------------------------------------

  /** `filter` is Vectara's regular expression over corpus names and summaries. */
  listCorpora(
    filter: { filter?: string } = {},
    options: CallOptions = {}
  ): AsyncGenerator<Corpus[]> {
    return paginate((pageKey) =>
      this.page(
        'corpora.list',
        '/v2/corpora',
        ListCorporaResponseSchema,
        (r) => r.corpora,
        options,
        {
          limit: PAGE_SIZE.corpora,
          page_key: pageKey,
          filter: filter.filter
        }
      )
    )
  }

  listAllCorpora(filter: { filter?: string } = {}, options: CallOptions = {}): Promise<Corpus[]> {
    return collectPages(this.listCorpora(filter, options))
  }

  async getCorpus(corpusKey: string, options: CallOptions = {}): Promise<Corpus> {
    const path = `/v2/corpora/${pathSegment(corpusKey, 'corpus key')}`
    return this.http.json(this.spec('corpora.get', 'GET', path, options), CorpusSchema)
  }

  async createCorpus(request: CreateCorpusRequest, options: CallOptions = {}): Promise<Corpus> {
    return this.http.json(
      this.spec('corpora.create', 'POST', '/v2/corpora', options, {
        json: request,
        retryable: false
      }),
      CorpusSchema
    )
  }

  async deleteCorpus(corpusKey: string, options: CallOptions = {}): Promise<void> {
    const path = `/v2/corpora/${pathSegment(corpusKey, 'corpus key')}`
    return this.http.empty(this.spec('corpora.delete', 'DELETE', path, options))
  }

  // -- Documents -----------------------------------------------------------------------------

  async createDocument(
    corpusKey: string,
    document: CreateDocumentRequest,
    options: CallOptions & { waitFor?: 'searchable' | 'indexed' } = {}
  ): Promise<Document> {
    const spec = this.spec('documents.create', 'POST', documentsPath(corpusKey), options, {
      json: document,
      retryable: false,
      query: { wait_for: options.waitFor }
    })
    return this.http.json(spec, DocumentSchema)
  }

  listDocuments(
    corpusKey: string,
    filter: { metadataFilter?: string } = {},
    options: CallOptions = {}
  ): AsyncGenerator<Document[]> {
    return paginate((pageKey) =>
      this.page(
        'documents.list',
        documentsPath(corpusKey),
        ListDocumentsResponseSchema,
        (r) => r.documents,
        options,
        {
          limit: PAGE_SIZE.documents,
          page_key: pageKey,
          metadata_filter: filter.metadataFilter
        }
      )
    )
  }

  listAllDocuments(
    corpusKey: string,
    filter: { metadataFilter?: string } = {},
    options: CallOptions = {}
  ): Promise<Document[]> {
    return collectPages(this.listDocuments(corpusKey, filter, options))
  }

  /** Document IDs may hold any character (e.g. `doc/123`): they are percent-encoded. */
  async deleteDocument(
    corpusKey: string,
    documentId: string,
    options: CallOptions = {}
  ): Promise<void> {
    const path = `${documentsPath(corpusKey)}/${pathSegment(documentId, 'document ID')}`
    return this.http.empty(this.spec('documents.delete', 'DELETE', path, options))
  }

  // -- Query ---------------------------------------------------------------------------------

  /** `POST /v2/query` over one or more corpora; `stream_response: true` gives typed SSE events. */
  query(
    request: QueryRequest & { stream_response: true },
    options?: CallOptions
  ): Promise<QueryEventStream>
  query(
    request: QueryRequest & { stream_response?: false },
    options?: CallOptions
  ): Promise<QueryFullResponse>
  query(request: QueryRequest, options?: CallOptions): Promise<QueryFullResponse | QueryEventStream>
  async query(
    request: QueryRequest,
    options: CallOptions = {}
  ): Promise<QueryFullResponse | QueryEventStream> {
    return this.runQuery('query', '/v2/query', request, options)
  }

  /** `POST /v2/corpora/{corpus_key}/query`. */
  queryCorpus(
    corpusKey: string,
    request: QueryCorpusRequest & { stream_response: true },
    options?: CallOptions
  ): Promise<QueryEventStream>
  queryCorpus(
    corpusKey: string,
    request: QueryCorpusRequest & { stream_response?: false },
    options?: CallOptions
  ): Promise<QueryFullResponse>
  queryCorpus(
    corpusKey: string,
    request: QueryCorpusRequest,
    options?: CallOptions
  ): Promise<QueryFullResponse | QueryEventStream>
  async queryCorpus(
    corpusKey: string,
    request: QueryCorpusRequest,
    options: CallOptions = {}
  ): Promise<QueryFullResponse | QueryEventStream> {
    const path = `/v2/corpora/${pathSegment(corpusKey, 'corpus key')}/query`
    return this.runQuery('queryCorpus', path, request, options)
  }

  // -- Query history -------------------------------------------------------------------------

  listQueries(
    filter: ListQueriesFilter = {},
    options: CallOptions = {}
  ): AsyncGenerator<QueryHistorySummary[]> {
    return paginate((pageKey) =>
      this.page(
        'queries.list',
        '/v2/queries',
        ListQueryHistoriesResponseSchema,
        (r) => r.queries,
        options,
        {
          limit: PAGE_SIZE.queries,
          page_key: pageKey,
          corpus_key: filter.corpusKey,
          started_after: isoTime(filter.startedAfter, 'startedAfter'),
          started_before: isoTime(filter.startedBefore, 'startedBefore')
        }
      )
    )
  }

  listAllQueries(
    filter: ListQueriesFilter = {},
    options: CallOptions = {}
  ): Promise<QueryHistorySummary[]> {
    return collectPages(this.listQueries(filter, options))
  }

  async getQuery(queryId: string, options: CallOptions = {}): Promise<QueryHistory> {
    const path = `/v2/queries/${pathSegment(queryId, 'query ID')}`
    return this.http.json(this.spec('queries.get', 'GET', path, options), QueryHistorySchema)
  }

  // -- internals -----------------------------------------------------------------------------

  /** Queries change nothing, so they are retried like reads (before any event is received). */
  private async runQuery(
    operation: string,
    path: string,
    request: QueryRequest | QueryCorpusRequest,
    options: CallOptions
  ): Promise<QueryFullResponse | QueryEventStream> {
    const spec = this.spec(operation, 'POST', path, options, { json: request, retryable: true })
    if (!request.stream_response) {
      return this.http.json(spec, QueryFullResponseSchema, (r) => r.search_results?.length ?? 0)
    }
    const opened = await this.http.openStream(spec)
    return streamQueryEvents(opened, {
      idleTimeoutMs: options.timeoutMs ?? this.streamIdleTimeoutMs,
      signal: options.signal,
      finish: (outcome) => this.http.report(spec, opened.startedAt, outcome)
    })
  }

  private async page<R extends { metadata?: ListMetadata }, T>(
    operation: string,
    path: string,
    schema: z.ZodType<R>,
    itemsOf: (response: R) => T[] | undefined,
    options: CallOptions,
    query: Record<string, QueryValue>
  ): Promise<Page<T>> {
    const spec = this.spec(operation, 'GET', path, options, { query })
    const response = await this.http.json(spec, schema, (r) => itemsOf(r)?.length ?? 0)
    return { items: itemsOf(response) ?? [], nextPageKey: response.metadata?.page_key }
  }

  private spec(
    operation: string,
    method: HttpMethod,
    path: string,
    options: CallOptions,
    extra: { json?: unknown; retryable?: boolean; query?: Record<string, QueryValue> } = {}
  ): RequestSpec {
    return {
      operation,
      method,
      url: buildUrl(this.baseUrl, path, extra.query),
      json: extra.json,
      credential: this.credential,
      // GET, PATCH {enabled} and DELETE give the same result when repeated.
      retryable: extra.retryable ?? method !== 'POST',
      signal: options.signal,
      timeoutMs: options.timeoutMs
    }
  }
}

function documentsPath(corpusKey: string): string {
  return `/v2/corpora/${pathSegment(corpusKey, 'corpus key')}/documents`
}

function createCredential(auth: VectaraAuth, http: HttpTransport, now: () => number): Credential {
  if (auth?.type === 'api_key') return new ApiKeyCredential(auth.apiKey)
  if (auth?.type === 'oauth') {
    return new OAuthCredential({
      clientId: auth.clientId,
      clientSecret: auth.clientSecret,
      tokenUrl: checkServiceUrl(auth.tokenUrl ?? DEFAULT_TOKEN_URL, 'OAuth token URL'),
      http,
      now
    })
  }
  throw new VectaraError('BAD_INPUT', 'Choose an API key or OAuth client credentials.')
}

function isoTime(value: Date | string | undefined, what: string): string | undefined {
  if (value === undefined) return undefined
  const date = value instanceof Date ? value : new Date(value)
  if (Number.isNaN(date.getTime())) {
    throw new VectaraError('BAD_INPUT', `${what} is not a valid date and time.`)
  }
  return date.toISOString()
}
