import { describe, expect, it } from 'vitest'
import {
  ApiKeySchema,
  CorpusSchema,
  CreateDocumentRequestSchema,
  ListApiKeysResponseSchema,
  QueryFullResponseSchema,
  QueryHistorySchema,
  QueryRequestSchema,
  QueryStreamEventSchema,
  corpusKeysOf,
  keyKindOf,
  withoutNulls
} from '@shared/vectara'

describe('keyKindOf', () => {
  it('reads the legacy role first', () => {
    expect(keyKindOf({ api_key_role: 'personal' })).toBe('personal')
    expect(keyKindOf({ api_key_role: 'serving' })).toBe('query')
    expect(keyKindOf({ api_key_role: 'serving_and_indexing', secret_key: 'zqt_x' })).toBe('index')
  })

  it('falls back to the secret prefix', () => {
    expect(keyKindOf({ secret_key: 'zut_abcdef' })).toBe('personal')
    expect(keyKindOf({ secret_key: 'zqt_abcdef' })).toBe('query')
    expect(keyKindOf({ secret_key: 'zwt_abcdef' })).toBe('index')
    expect(keyKindOf({ api_key_role: 'some_future_role', secret_key: 'zwt_abcdef' })).toBe('index')
  })

  it('then to RBAC corpus roles: viewer is Query, editor or above is Index', () => {
    expect(keyKindOf({ corpus_roles: [{ corpus_key: 'a', role: 'viewer' }] })).toBe('query')
    expect(
      keyKindOf({
        corpus_roles: [
          { corpus_key: 'a', role: 'viewer' },
          { corpus_key: 'b', role: 'editor' }
        ]
      })
    ).toBe('index')
    expect(keyKindOf({ corpus_roles: [{ corpus_key: 'a', role: 'owner' }] })).toBe('index')
  })

  it('says unknown rather than guessing', () => {
    expect(keyKindOf({})).toBe('unknown')
    expect(keyKindOf({ secret_key: 'abc_123', corpus_roles: [] })).toBe('unknown')
    expect(keyKindOf({ corpus_roles: [{ corpus_key: 'a', role: 'auditor' }] })).toBe('unknown')
    // A role named like an Object.prototype member is not a role.
    expect(keyKindOf({ api_key_role: 'constructor' })).toBe('unknown')
  })
})

describe('corpusKeysOf', () => {
  it('reads corpus_roles and corpus resources in api_policy, without duplicates', () => {
    const key = ApiKeySchema.parse({
      corpus_roles: [{ corpus_key: 'handbook', role: 'viewer' }],
      api_policy: {
        name: 'serving',
        allowed_operations: {
          query: {
            allow_any_resource: false,
            allowed_resources: { 'path.corpus_key': ['handbook', 'faq'] }
          },
          index: { allowed_resources: { 'body.corpus_key': 'docs', 'path.agent_key': ['agent-1'] } }
        }
      }
    })
    expect(corpusKeysOf(key)).toEqual(['handbook', 'faq', 'docs'])
  })

  it('skips policy shapes it does not understand', () => {
    expect(
      corpusKeysOf({
        api_policy: {
          allowed_operations: {
            a: 'weird',
            b: { allowed_resources: ['x'] },
            c: { allowed_resources: { 'path.corpus_key': [1, null, ''] } },
            d: null
          }
        }
      })
    ).toEqual([])
    expect(corpusKeysOf({})).toEqual([])
  })
})

describe('lenient response parsing', () => {
  it('reads legacy and RBAC fields, drops unknown ones, and treats null as absent', () => {
    const parsed = ApiKeySchema.parse(
      withoutNulls({
        id: 'aky_1',
        name: 'site search',
        secret_key: 'zqt_abcdefghijk',
        enabled: true,
        api_key_role: 'serving',
        api_roles: ['corpus_viewer'],
        corpus_roles: [{ corpus_key: 'docs', role: 'viewer', granted_by: 'x' }],
        agent_roles: null,
        api_policy: { name: 'serving', allowed_operations: {}, future_flag: true },
        created_by_new_api: '2027-01-01'
      })
    )
    expect(parsed).toMatchObject({
      id: 'aky_1',
      api_key_role: 'serving',
      api_roles: ['corpus_viewer']
    })
    expect(parsed.agent_roles).toBeUndefined()
    expect(parsed).not.toHaveProperty('created_by_new_api')
    expect(parsed.corpus_roles?.[0]).toEqual({ corpus_key: 'docs', role: 'viewer' })
    // api_policy is opaque: kept whole.
    expect(parsed.api_policy).toHaveProperty('future_flag', true)
  })

  it('accepts an empty object and roles it does not know yet', () => {
    expect(ApiKeySchema.parse({})).toEqual({})
    expect(ApiKeySchema.parse({ api_key_role: 'agent_only' }).api_key_role).toBe('agent_only')
  })

  it('rejects a known field of the wrong type and a wrong top-level shape', () => {
    expect(ApiKeySchema.safeParse({ enabled: 'yes' }).success).toBe(false)
    expect(ListApiKeysResponseSchema.safeParse([]).success).toBe(false)
    expect(ListApiKeysResponseSchema.safeParse({ api_keys: {} }).success).toBe(false)
  })

  it('reads a null page_key as absent once nulls are dropped (the client always drops them)', () => {
    const raw = { api_keys: [], metadata: { page_key: null } }
    expect(ListApiKeysResponseSchema.safeParse(raw).success).toBe(false)
    expect(ListApiKeysResponseSchema.parse(withoutNulls(raw))).toEqual({
      api_keys: [],
      metadata: {}
    })
  })

  it('parses corpora, query answers and history with the fields the app shows', () => {
    const corpus = CorpusSchema.parse({
      id: 'crp_1',
      key: 'docs',
      limits: { used_docs: 3, brand_new: 1 },
      filter_attributes: [{ name: 'year', level: 'document', type: 'integer' }]
    })
    expect(corpus.limits).toEqual({ used_docs: 3 })
    const answer = QueryFullResponseSchema.parse({
      summary: 'S [1]',
      search_results: [{ text: 't', score: 0.5, document_id: 'd', part_metadata: { lang: 'eng' } }],
      warnings: ['fcs_language_not_supported']
    })
    expect(answer.search_results?.[0].part_metadata).toEqual({ lang: 'eng' })
    const history = QueryHistorySchema.parse({
      id: 'qry_1',
      query: { query: 'q', search: { corpora: [{ corpus_key: 'docs' }] } },
      spans: [{ type: 'search', latency_millis: 4, search_results: [{ text: 't' }] }]
    })
    expect(history.query).toHaveProperty('search')
    expect(history.spans?.[0]).toHaveProperty('search_results')
  })

  it('types stream events by `type` and rejects a known event with a wrong payload', () => {
    expect(
      QueryStreamEventSchema.parse({ type: 'generation_chunk', generation_chunk: 'Hi' })
    ).toEqual({
      type: 'generation_chunk',
      generation_chunk: 'Hi'
    })
    expect(
      QueryStreamEventSchema.safeParse({
        type: 'factual_consistency_score',
        factual_consistency_score: 'x'
      }).success
    ).toBe(false)
  })
})

describe('withoutNulls', () => {
  it('drops null fields at any depth, keeps everything else, and never mutates its input', () => {
    const input = {
      a: null,
      b: 0,
      c: '',
      d: false,
      list: [{ x: null, y: 1 }, 2, null],
      nested: { deep: { gone: null, kept: [] } }
    }
    const snapshot = structuredClone(input)
    expect(withoutNulls(input)).toEqual({
      b: 0,
      c: '',
      d: false,
      list: [{ y: 1 }, 2, null],
      nested: { deep: { kept: [] } }
    })
    expect(input).toEqual(snapshot)
  })

  it('returns the very same object when there is nothing to drop', () => {
    const input = { a: 1, list: [{ b: 'x' }], nested: { c: true } }
    expect(withoutNulls(input)).toBe(input)
    expect(withoutNulls(null)).toBeNull()
    expect(withoutNulls('text')).toBe('text')
  })
})

describe('request schemas (used to validate playground input)', () => {
  it('accepts a full multi-corpus query and rejects one without corpora', () => {
    const request = {
      query: 'parental leave',
      search: {
        corpora: [
          {
            corpus_key: 'handbook',
            metadata_filter: 'doc.year >= 2024',
            lexical_interpolation: 0.005
          }
        ],
        limit: 10,
        reranker: {
          type: 'chain',
          rerankers: [{ type: 'mmr', diversity_bias: 0.2 }, { type: 'none' }]
        }
      },
      generation: { generation_preset_name: 'mockingbird-2.0', citations: { style: 'numeric' } },
      stream_response: true
    }
    expect(QueryRequestSchema.parse(request)).toEqual(request)
    expect(QueryRequestSchema.safeParse({ query: 'q', search: { corpora: [] } }).success).toBe(
      false
    )
  })

  it('discriminates core and structured documents', () => {
    expect(
      CreateDocumentRequestSchema.parse({
        id: 'doc/1',
        type: 'structured',
        sections: [{ text: 'a', sections: [{ text: 'nested' }] }]
      })
    ).toMatchObject({ type: 'structured' })
    expect(
      CreateDocumentRequestSchema.safeParse({ id: 'd', type: 'core', document_parts: [] }).success
    ).toBe(false)
    expect(CreateDocumentRequestSchema.safeParse({ id: 'd', type: 'pdf' }).success).toBe(false)
  })
})
