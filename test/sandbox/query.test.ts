import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SandboxHandle } from '../../src/sandbox'
import { call, start, type Body } from './helpers'

let sandbox: SandboxHandle
beforeAll(async () => {
  sandbox = await start()
})
afterAll(() => sandbox.close())

const query = (body: unknown) => call(sandbox, 'POST', '/v2/query', { body })
const searchIn = (
  corpus: string,
  text: string,
  extra: Record<string, unknown> = {},
  corpusExtra: Record<string, unknown> = {}
) => query({ query: text, search: { corpora: [{ corpus_key: corpus, ...corpusExtra }], ...extra } })
const results = async (
  corpus: string,
  text: string,
  extra: Record<string, unknown> = {},
  corpusExtra: Record<string, unknown> = {}
) => {
  const response = await searchIn(corpus, text, extra, corpusExtra)
  expect(response.status).toBe(200)
  return response.body.search_results as Body[]
}

describe('ranking', () => {
  it('ranks the part that answers the question first, with scores in 0..1, best first', async () => {
    const hits = await results('product-faq', 'How long does the Trailglow 2 battery last?')
    expect(hits[0]).toMatchObject({
      document_id: 'faq-battery-life',
      corpus_key: 'product-faq',
      request_corpora_index: 0
    })
    expect(hits[0].document_metadata).toMatchObject({ product: 'trailglow-2', category: 'battery' })
    expect(hits[0].part_metadata).toEqual({ lang: 'eng' })
    const scores = hits.map((h) => h.score as number)
    expect(scores.every((s) => s > 0 && s <= 1)).toBe(true)
    expect([...scores].sort((a, b) => b - a)).toEqual(scores)
  })

  it('ORs the words of a query: one matching word is enough', async () => {
    const hits = await results('employee-handbook', 'zebra giraffe parental')
    expect(hits.length).toBeGreaterThan(0)
    expect(hits[0].text).toMatch(/parental leave/)
  })

  it('ranks parts matching more of the words higher', async () => {
    const hits = await results('support-runbooks', 'disable leaked key')
    expect(hits[0].document_id).toBe('runbook-leaked-api-key')
    expect(hits[0].text).toMatch(/^Disable the leaked key/)
  })

  it('matches word forms (porter stemming) and folds diacritics', async () => {
    expect((await results('employee-handbook', 'reimbursing claims'))[0].text).toMatch(
      /^Claims are reimbursed/
    )
    expect((await results('employee-handbook', 'hohe urlaubstage'))[0].document_id).toBe(
      'handbook-de-urlaub'
    )
  })

  it('answers an unanswerable question with an empty list, not an error', async () => {
    expect(await results('product-faq', 'xyzzy plugh')).toEqual([])
    expect(await results('product-faq', '?!… — ***')).toEqual([])
  })

  it.each([
    '"',
    "'",
    'battery"',
    'battery OR',
    'AND AND',
    'NEAR(battery lantern)',
    'text:battery',
    'battery*',
    '^battery',
    '(battery',
    'battery)',
    '{battery}',
    '-battery',
    'battery NOT lantern',
    '\u0000battery',
    '電池 バッテリー',
    'a'.repeat(5000)
  ])('never lets the query text reach FTS syntax: %j', async (text) => {
    const response = await searchIn('product-faq', text)
    expect(response.status).toBe(200)
    expect(Array.isArray(response.body.search_results)).toBe(true)
  })
})

describe('offset and limit', () => {
  it('returns limit results, starting at offset', async () => {
    const all = await results('employee-handbook', 'leave days euros', { limit: 8 })
    expect(all).toHaveLength(8)
    const page = await results('employee-handbook', 'leave days euros', { offset: 3, limit: 2 })
    expect(page.map((h) => h.text)).toEqual(all.slice(3, 5).map((h) => h.text))
    expect(await results('employee-handbook', 'leave days euros', { offset: 1000 })).toEqual([])
  })

  it('defaults to 10 results', async () => {
    expect(
      await results('employee-handbook', 'the a of to and leave days euros employee')
    ).toHaveLength(10)
  })
})

describe('several corpora', () => {
  it('merges corpora by score and says where each result came from', async () => {
    const response = await query({
      query: 'lantern battery warranty',
      search: {
        corpora: [{ corpus_key: 'employee-handbook' }, { corpus_key: 'product-faq' }],
        limit: 20
      }
    })
    const hits = response.body.search_results as Body[]
    const byCorpus = new Map(hits.map((h) => [h.corpus_key, h.request_corpora_index]))
    expect(byCorpus.get('employee-handbook')).toBe(0)
    expect(byCorpus.get('product-faq')).toBe(1)
    const scores = hits.map((h) => h.score as number)
    expect([...scores].sort((a, b) => b - a)).toEqual(scores)
  })

  it('uses a per-corpus query override', async () => {
    const response = await query({
      query: 'parental leave',
      search: {
        corpora: [
          { corpus_key: 'employee-handbook' },
          { corpus_key: 'product-faq', query: 'waterproof' }
        ]
      }
    })
    const faq = (response.body.search_results as Body[]).filter(
      (h) => h.corpus_key === 'product-faq'
    )
    expect(faq[0].document_id).toBe('faq-waterproof')
  })
})

describe('metadata filters', () => {
  const ids = (hits: Body[]) => [...new Set(hits.map((h) => h.document_id as string))].sort()
  const words =
    'leave days euros employee laptop security expenses conduct review travel urlaubstage'

  it.each([
    ['doc.year = 2024', (d: Body) => d.year === 2024],
    ['doc.year != 2025', (d: Body) => d.year !== 2025],
    ['doc.year < 2025', (d: Body) => d.year < 2025],
    ['doc.year <= 2024', (d: Body) => d.year <= 2024],
    ['doc.year > 2023', (d: Body) => d.year > 2023],
    ['doc.year >= 2025', (d: Body) => d.year >= 2025],
    [
      "doc.category IN ('finance', 'security')",
      (d: Body) => ['finance', 'security'].includes(d.category)
    ],
    [
      "doc.category = 'benefits' AND doc.year = 2025",
      (d: Body) => d.category === 'benefits' && d.year === 2025
    ],
    [
      "doc.category = 'finance' OR doc.year = 2023",
      (d: Body) => d.category === 'finance' || d.year === 2023
    ],
    [
      "(doc.category = 'workplace' OR doc.category = 'growth') AND doc.year >= 2024",
      (d: Body) => ['workplace', 'growth'].includes(d.category) && d.year >= 2024
    ],
    [
      "doc.year = 2025 and doc.category <> 'benefits'",
      (d: Body) => d.year === 2025 && d.category !== 'benefits'
    ]
  ])('keeps only documents where %s', async (filter, keep) => {
    const filtered = await results(
      'employee-handbook',
      words,
      { limit: 100 },
      { metadata_filter: filter }
    )
    expect(filtered.length).toBeGreaterThan(0)
    expect(filtered.every((h) => keep(h.document_metadata))).toBe(true)
    const all = await results('employee-handbook', words, { limit: 100 })
    expect(ids(filtered)).toEqual(ids(all.filter((h) => keep(h.document_metadata))))
  })

  it('filters on part metadata', async () => {
    const german = await results(
      'employee-handbook',
      'urlaubstage elternzeit leave',
      {},
      { metadata_filter: "part.lang = 'deu'" }
    )
    expect(german.length).toBeGreaterThan(0)
    expect(german.every((h) => h.part_metadata.lang === 'deu')).toBe(true)
  })

  it('filters on booleans and part integers', async () => {
    const unreviewed = await results(
      'support-runbooks',
      'parcel customer key',
      { limit: 50 },
      { metadata_filter: 'doc.reviewed = false' }
    )
    expect(ids(unreviewed)).toEqual(['runbook-damaged-parcel'])
    const firstSteps = await results(
      'support-runbooks',
      'customer key lantern parcel',
      { limit: 50 },
      { metadata_filter: 'part.step = 1' }
    )
    expect(firstSteps.every((h) => h.part_metadata.step === 1)).toBe(true)
  })

  it('binds values as parameters: SQL in a value is just text', async () => {
    const response = await searchIn(
      'employee-handbook',
      'leave',
      {},
      { metadata_filter: "doc.category = 'x'' OR 1=1; DROP TABLE parts; --'" }
    )
    expect(response.status).toBe(200)
    expect(response.body.search_results).toEqual([])
    expect((await results('employee-handbook', 'leave')).length).toBeGreaterThan(0)
  })

  it.each([
    ['doc.author = 1', /doc\.author is not a filter attribute/],
    ["part.category = 'x'", /part\.category is not a filter attribute/],
    ['meta.year = 1', /not an attribute/],
    ['NOT doc.year = 2024', /NOT/],
    ['doc.year IS NULL', /IS/],
    ["doc.category LIKE 'fin%'", /LIKE/],
    ['doc.year BETWEEN 2023 AND 2025', /BETWEEN/],
    ["lower(doc.category) = 'x'", /function call/],
    ['doc.year + 1 = 2025', /unsupported character '\+'/],
    ['doc.year = doc.year', /comparing with 'doc\.year'/],
    ['doc.category = "finance"', /single quotes/],
    ["doc.category = 'finance", /unterminated/],
    ["doc.year = '2024'", /integer/],
    ['doc.category = 2024', /text/],
    ['doc.year = 2024 doc.year = 2025', /expected AND, OR or the end/],
    ['doc.year IN ()', /empty IN list/],
    ['(doc.year = 2024', /expected '\)'/],
    ['2024 = doc.year', /attribute first/],
    ['doc.year', /comparison operator/],
    ['doc.year = ', /expected a value/],
    ['doc.year ~ 5', /unsupported character '~'/],
    ['('.repeat(40) + 'doc.year = 1' + ')'.repeat(40), /nested deeper/]
  ])('answers 400 naming the problem in %j', async (filter, message) => {
    const response = await searchIn('employee-handbook', 'leave', {}, { metadata_filter: filter })
    expect(response.status).toBe(400)
    expect(response.body.field_errors['search.corpora[0].metadata_filter']).toMatch(message)
    expect(response.body.messages[0]).toMatch(
      /Invalid metadata filter for corpus 'employee-handbook'/
    )
  })
})

describe('context_configuration', () => {
  const hitFor = async (config: Record<string, unknown>) =>
    (
      await results('employee-handbook', 'Parents receive 20 weeks of fully paid parental leave', {
        limit: 1,
        context_configuration: config
      })
    )[0]

  it('wraps the matched part in start and end tags', async () => {
    const hit = await hitFor({ start_tag: '<em>', end_tag: '</em>' })
    expect(hit.text).toBe(
      '<em>Parents receive 20 weeks of fully paid parental leave, whether they give birth, adopt or foster.</em>'
    )
  })

  it('adds whole sentences before and after', async () => {
    const hit = await hitFor({
      sentences_before: 1,
      sentences_after: 2,
      start_tag: '[',
      end_tag: ']'
    })
    expect(hit.text).toBe(
      'Leave requests go through the People portal at least two weeks ahead for anything longer than three days. ' +
        '[Parents receive 20 weeks of fully paid parental leave, whether they give birth, adopt or foster.] ' +
        'The leave can be split into up to three blocks within the first two years. ' +
        'Your manager and the People team will plan a phased return with reduced hours for the first month back.'
    )
  })

  it('rounds characters_before/after out to whole sentences', async () => {
    const hit = await hitFor({
      characters_before: 10,
      characters_after: 150,
      start_tag: '<b>',
      end_tag: '</b>'
    })
    expect(hit.text).toMatch(
      /^Leave requests go through the People portal at least two weeks ahead for anything longer than three days\. <b>Parents/
    )
    expect(hit.text).toMatch(
      /<\/b> The leave can be split into up to three blocks within the first two years\. Your manager and the People team will plan a phased return with reduced hours for the first month back\.$/
    )
  })

  it('prefers sentence counts over character counts', async () => {
    const hit = await hitFor({
      sentences_before: 0,
      characters_before: 500,
      sentences_after: 0,
      characters_after: 500,
      start_tag: '<',
      end_tag: '>'
    })
    expect(hit.text).toBe(
      '<Parents receive 20 weeks of fully paid parental leave, whether they give birth, adopt or foster.>'
    )
  })

  it('stops at the edges of the document', async () => {
    const hit = (
      await results('product-faq', 'How do I charge my lantern', {
        limit: 1,
        context_configuration: { sentences_before: 5, start_tag: '>' }
      })
    )[0]
    expect(hit.text).toBe('>How do I charge my lantern?')
  })
})

describe('rerankers', () => {
  beforeAll(async () => {
    await call(sandbox, 'POST', '/v2/corpora', { body: { key: 'echoes' } })
    const parts = [
      'Lantern battery care: charge the lantern battery fully before storing the lantern.',
      'Lantern battery care: charge the lantern battery fully before storing the lantern again.',
      'Lantern battery care: charge the lantern battery fully before you store the lantern.',
      'Lantern battery warranty covers two years.'
    ]
    await call(sandbox, 'POST', '/v2/corpora/echoes/documents', {
      body: { id: 'echo', type: 'core', document_parts: parts.map((text) => ({ text })) }
    })
  })

  it('MMR with a diversity bias moves near-duplicates below a distinct result', async () => {
    const plain = await results('echoes', 'lantern battery care', { reranker: { type: 'none' } })
    expect(plain[1].text).toMatch(/^Lantern battery care/)
    expect(plain[3].text).toMatch(/warranty/)
    const diverse = await results('echoes', 'lantern battery care', {
      reranker: { type: 'mmr', diversity_bias: 0.8 }
    })
    expect(diverse[0].text).toBe(plain[0].text)
    expect(diverse[1].text).toMatch(/warranty/)
    const unbiased = await results('echoes', 'lantern battery care', {
      reranker: { type: 'mmr', diversity_bias: 0 }
    })
    expect(unbiased.map((h) => h.text)).toEqual(plain.map((h) => h.text))
  })

  it('applies reranker limit and cutoff, alone and in a chain', async () => {
    expect(
      await results('echoes', 'lantern battery care', { reranker: { type: 'none', limit: 2 } })
    ).toHaveLength(2)
    const cut = await results('echoes', 'lantern battery care', {
      reranker: { type: 'customer_reranker', reranker_name: 'Rerank_Multilingual_v1', cutoff: 0.5 }
    })
    expect(cut.every((h) => h.score >= 0.5)).toBe(true)
    const chain = await results('echoes', 'lantern battery care', {
      reranker: {
        type: 'chain',
        rerankers: [
          { type: 'customer_reranker', reranker_name: 'Rerank_Multilingual_v1' },
          { type: 'mmr', diversity_bias: 0.8, limit: 3 }
        ]
      }
    })
    expect(chain).toHaveLength(3)
    expect(chain[1].text).toMatch(/warranty/)
  })

  it.each([
    [{ type: 'userfn', user_function: 'get("$.score")' }, 'search.reranker.type'],
    [{ type: 'magic' }, 'search.reranker.type'],
    [{ diversity_bias: 0.3 }, 'search.reranker.type'],
    [{ type: 'mmr', diversity_bias: 2 }, 'search.reranker.diversity_bias'],
    [{ type: 'none', limit: 0 }, 'search.reranker.limit'],
    [{ type: 'chain', rerankers: [] }, 'search.reranker.rerankers']
  ])('answers 400 for reranker %j', async (reranker, field) => {
    const response = await searchIn('echoes', 'lantern', { reranker })
    expect(response.status).toBe(400)
    expect(response.body.field_errors).toHaveProperty([field])
  })
})

describe('request validation', () => {
  it.each([
    ['no query', { search: { corpora: [{ corpus_key: 'product-faq' }] } }, 'query'],
    [
      'an empty query',
      { query: ' ', search: { corpora: [{ corpus_key: 'product-faq' }] } },
      'query'
    ],
    [
      'a query over 5000 characters',
      { query: 'a'.repeat(5001), search: { corpora: [{ corpus_key: 'product-faq' }] } },
      'query'
    ],
    ['no search', { query: 'x' }, 'search'],
    ['no corpora', { query: 'x', search: {} }, 'search.corpora'],
    ['an empty corpora list', { query: 'x', search: { corpora: [] } }, 'search.corpora'],
    [
      'a corpus without key',
      { query: 'x', search: { corpora: [{}] } },
      'search.corpora[0].corpus_key'
    ],
    [
      'a malformed corpus key',
      { query: 'x', search: { corpora: [{ corpus_key: 'a b' }] } },
      'search.corpora[0].corpus_key'
    ],
    [
      'limit 0',
      { query: 'x', search: { corpora: [{ corpus_key: 'product-faq' }], limit: 0 } },
      'search.limit'
    ],
    [
      'a negative offset',
      { query: 'x', search: { corpora: [{ corpus_key: 'product-faq' }], offset: -1 } },
      'search.offset'
    ],
    [
      'a fractional limit',
      { query: 'x', search: { corpora: [{ corpus_key: 'product-faq' }], limit: 2.5 } },
      'search.limit'
    ],
    [
      'lexical_interpolation over 1',
      {
        query: 'x',
        search: { corpora: [{ corpus_key: 'product-faq', lexical_interpolation: 2 }] }
      },
      'search.corpora[0].lexical_interpolation'
    ],
    [
      'an unknown semantics',
      { query: 'x', search: { corpora: [{ corpus_key: 'product-faq', semantics: 'both' }] } },
      'search.corpora[0].semantics'
    ],
    [
      'negative context',
      {
        query: 'x',
        search: {
          corpora: [{ corpus_key: 'product-faq' }],
          context_configuration: { sentences_before: -1 }
        }
      },
      'search.context_configuration.sentences_before'
    ],
    [
      'a stream flag that is not boolean',
      { query: 'x', search: { corpora: [{ corpus_key: 'product-faq' }] }, stream_response: 'yes' },
      'stream_response'
    ]
  ])('answers 400 for %s', async (_, body, field) => {
    const response = await query(body)
    expect(response.status).toBe(400)
    expect(response.body.field_errors).toHaveProperty([field])
  })

  it('accepts lexical_interpolation, semantics and custom_dimensions', async () => {
    const response = await searchIn(
      'product-faq',
      'battery',
      {},
      { lexical_interpolation: 0.025, semantics: 'query', custom_dimensions: { boost: 1 } }
    )
    expect(response.status).toBe(200)
    expect(response.body.search_results.length).toBeGreaterThan(0)
  })

  it('answers 404 when a corpus does not exist', async () => {
    const response = await query({
      query: 'x',
      search: { corpora: [{ corpus_key: 'product-faq' }, { corpus_key: 'ghost' }] }
    })
    expect(response.status).toBe(404)
    expect(response.body).toMatchObject({
      id: 'ghost',
      messages: [expect.stringMatching(/corpora were not found/)]
    })
  })
})

describe('single-corpus endpoints', () => {
  it('POST /v2/corpora/{key}/query takes a flat search object', async () => {
    const response = await call(sandbox, 'POST', '/v2/corpora/product-faq/query', {
      body: {
        query: 'is the lantern waterproof, does it have an SOS mode',
        search: {
          limit: 2,
          metadata_filter: "doc.product = 'trailglow-max'",
          context_configuration: { start_tag: '*', end_tag: '*' }
        }
      }
    })
    expect(response.status).toBe(200)
    expect(response.body.search_results).toHaveLength(2)
    expect(
      response.body.search_results.every(
        (h: Body) => h.document_metadata.product === 'trailglow-max'
      )
    ).toBe(true)
    expect(response.body.search_results[0].text).toMatch(/^\*.*\*$/)
  })

  it('POST /v2/corpora/{key}/query with only a query', async () => {
    const response = await call(sandbox, 'POST', '/v2/corpora/product-faq/query', {
      body: { query: 'warranty' }
    })
    expect(response.body.search_results[0].document_id).toBe('faq-warranty')
  })

  it('GET /v2/corpora/{key}/query reads query, limit and offset from the query string', async () => {
    const response = await call(
      sandbox,
      'GET',
      '/v2/corpora/product-faq/query?query=battery%20lantern&limit=2&offset=1'
    )
    expect(response.status).toBe(200)
    const full = await results('product-faq', 'battery lantern', { limit: 3 })
    expect(response.body.search_results.map((h: Body) => h.text)).toEqual(
      full.slice(1, 3).map((h) => h.text)
    )
  })

  it.each([
    ['', 'query'],
    ['?query=', 'query'],
    ['?query=x&limit=0', 'limit'],
    ['?query=x&offset=-2', 'offset'],
    ['?query=x&save_history=maybe', 'save_history']
  ])('GET answers 400 for %j', async (params, field) => {
    const response = await call(sandbox, 'GET', `/v2/corpora/product-faq/query${params}`)
    expect(response.status).toBe(400)
    expect(response.body.field_errors).toHaveProperty([field])
  })

  it('GET answers 404 for an unknown corpus', async () => {
    expect((await call(sandbox, 'GET', '/v2/corpora/ghost/query?query=x')).status).toBe(404)
  })
})
