import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SandboxHandle } from '../../src/sandbox'
import { call, start, type Body } from './helpers'

let sandbox: SandboxHandle
beforeAll(async () => {
  sandbox = await start()
})
afterAll(() => sandbox.close())

const list = (params = '') => call(sandbox, 'GET', `/v2/corpora${params}`)
const create = (body: unknown) => call(sandbox, 'POST', '/v2/corpora', { body })

describe('GET /v2/corpora', () => {
  it('lists the seeded corpora with ids crp_<n>, paged, without page_key on the last page', async () => {
    const first = await list('?limit=3')
    expect(first.status).toBe(200)
    expect(first.body.corpora.map((c: Body) => c.key)).toEqual([
      'employee-handbook',
      'product-faq',
      'release-notes'
    ])
    expect(first.body.corpora[0].id).toMatch(/^crp_\d+$/)
    const rest = await list(`?limit=3&page_key=${first.body.metadata.page_key}`)
    expect(rest.body.corpora.map((c: Body) => c.key)).toEqual(['support-runbooks'])
    expect(rest.body.metadata.page_key).toBeUndefined()
  })

  it('filters by a regular expression over name and description', async () => {
    const byName = await list('?filter=handbook')
    expect(byName.body.corpora.map((c: Body) => c.key)).toEqual(['employee-handbook'])
    const byDescription = await list(`?filter=${encodeURIComponent('firmware|customer care')}`)
    expect(byDescription.body.corpora.map((c: Body) => c.key).sort()).toEqual([
      'release-notes',
      'support-runbooks'
    ])
    const anchored = await list(`?filter=${encodeURIComponent('^Trailglow')}`)
    expect(anchored.body.corpora.map((c: Body) => c.key)).toEqual(['product-faq'])
  })

  it('filters by corpus_id', async () => {
    const all = await list()
    const id = all.body.corpora[1].id
    const response = await list(`?corpus_id=${id}`)
    expect(response.body.corpora.map((c: Body) => c.id)).toEqual([id])
  })

  it.each([
    ['an invalid regular expression', '?filter=%28unclosed', 'filter'],
    [
      'a pattern that could backtrack for minutes',
      `?filter=${encodeURIComponent('(a+)+$')}`,
      'filter'
    ],
    ['a nested repeat hidden in a group', `?filter=${encodeURIComponent('((a|aa))*b')}`, 'filter'],
    ['a backreference', `?filter=${encodeURIComponent('(a)\\1')}`, 'filter'],
    ['a malformed corpus id', '?corpus_id=7', 'corpus_id'],
    ['limit over 100', '?limit=101', 'limit']
  ])('answers 400 for %s', async (_, params, field) => {
    const started = performance.now()
    const response = await list(params)
    expect(response.status).toBe(400)
    expect(response.body.field_errors).toHaveProperty([field])
    expect(performance.now() - started).toBeLessThan(1000)
  })
})

describe('GET /v2/corpora/{key}', () => {
  it('shows the corpus with its usage limits', async () => {
    const response = await call(sandbox, 'GET', '/v2/corpora/employee-handbook')
    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({
      key: 'employee-handbook',
      name: 'Employee handbook',
      save_history: true,
      enabled: true,
      limits: { used_docs: 11, max_metadata_bytes: 10485760 }
    })
    expect(response.body.limits.used_parts).toBeGreaterThan(30)
    expect(response.body.filter_attributes.map((a: Body) => `${a.level}:${a.name}`)).toEqual([
      'document:year',
      'document:category',
      'part:lang'
    ])
  })

  it('answers 404 NotFoundError naming the key', async () => {
    const response = await call(sandbox, 'GET', '/v2/corpora/nope')
    expect(response.status).toBe(404)
    expect(response.body.id).toBe('nope')
  })
})

describe('POST /v2/corpora', () => {
  it('creates a corpus (201); the name defaults to the key', async () => {
    const response = await create({
      key: 'Field_Notes=2026-a',
      description: 'Notes from the field.',
      save_history: true,
      filter_attributes: [
        { name: 'author', level: 'document', type: 'text' },
        { name: 'page', level: 'part', type: 'integer', indexed: false, description: 'Page number' }
      ],
      custom_dimensions: [{ name: 'boost' }]
    })
    expect(response.status).toBe(201)
    expect(response.body).toMatchObject({
      key: 'Field_Notes=2026-a',
      name: 'Field_Notes=2026-a',
      description: 'Notes from the field.',
      save_history: true,
      encoder_name: 'boomerang-2023-q3',
      filter_attributes: [
        { name: 'author', level: 'document', type: 'text', indexed: true },
        { name: 'page', level: 'part', type: 'integer', indexed: false, description: 'Page number' }
      ],
      custom_dimensions: [{ name: 'boost', indexing_default: 0, querying_default: 0 }],
      limits: { used_docs: 0, used_parts: 0 }
    })
    expect((await call(sandbox, 'GET', '/v2/corpora/Field_Notes=2026-a')).status).toBe(200)
  })

  it('answers 409 for a key that already exists', async () => {
    await create({ key: 'twice' })
    const response = await create({ key: 'twice', name: 'Again' })
    expect(response.status).toBe(409)
    expect(response.body.messages[0]).toMatch(/twice/)
  })

  it.each([
    ['a missing key', { name: 'x' }, 'key'],
    ['an empty key', { key: '' }, 'key'],
    ['a key with spaces', { key: 'my corpus' }, 'key'],
    ['a key with a slash', { key: 'a/b' }, 'key'],
    ['a key of 51 characters', { key: 'k'.repeat(51) }, 'key'],
    ['a key that is not text', { key: 12 }, 'key'],
    [
      'an unknown filter type',
      { key: 'ok1', filter_attributes: [{ name: 'a', level: 'document', type: 'date' }] },
      'filter_attributes[0].type'
    ],
    [
      'an unknown filter level',
      { key: 'ok2', filter_attributes: [{ name: 'a', level: 'section', type: 'text' }] },
      'filter_attributes[0].level'
    ],
    [
      'a filter name that is not a metadata path',
      { key: 'ok3', filter_attributes: [{ name: 'a b', level: 'part', type: 'text' }] },
      'filter_attributes[0].name'
    ],
    [
      'a duplicated filter attribute',
      {
        key: 'ok4',
        filter_attributes: [
          { name: 'a', level: 'part', type: 'text' },
          { name: 'a', level: 'part', type: 'integer' }
        ]
      },
      'filter_attributes[1].name'
    ],
    ['save_history that is not a boolean', { key: 'ok5', save_history: 'yes' }, 'save_history']
  ])('answers 400 for %s', async (_, body, field) => {
    const response = await create(body)
    expect(response.status).toBe(400)
    expect(response.body.field_errors).toHaveProperty([field])
  })

  it('a key of exactly 50 characters is fine', async () => {
    expect((await create({ key: 'k'.repeat(50) })).status).toBe(201)
  })
})

describe('DELETE /v2/corpora/{key}', () => {
  it('deletes with 204; the corpus, its documents and its key grants are gone', async () => {
    await create({ key: 'short-lived' })
    await call(sandbox, 'POST', '/v2/corpora/short-lived/documents', {
      body: { id: 'd1', type: 'core', document_parts: [{ text: 'Ephemeral lantern text.' }] }
    })
    const key = (
      await call(sandbox, 'POST', '/v2/api_keys', {
        body: { name: 'bound', api_key_role: 'serving', corpus_keys: ['short-lived'] }
      })
    ).body

    const deleted = await call(sandbox, 'DELETE', '/v2/corpora/short-lived')
    expect(deleted.status).toBe(204)
    expect(deleted.text).toBe('')
    expect((await call(sandbox, 'GET', '/v2/corpora/short-lived')).status).toBe(404)
    expect((await call(sandbox, 'DELETE', '/v2/corpora/short-lived')).status).toBe(404)
    expect((await call(sandbox, 'GET', `/v2/api_keys/${key.id}`)).body.corpus_roles).toEqual([])

    // A new corpus with the same key is a different corpus: old keys stay bound to the old one.
    await create({ key: 'short-lived' })
    const queried = await call(sandbox, 'POST', '/v2/query', {
      key: key.secret_key,
      body: { query: 'lantern', search: { corpora: [{ corpus_key: 'short-lived' }] } }
    })
    expect(queried.status).toBe(403)
    const search = await call(sandbox, 'POST', '/v2/query', {
      body: { query: 'ephemeral lantern', search: { corpora: [{ corpus_key: 'short-lived' }] } }
    })
    expect(search.body.search_results).toEqual([])
  })

  it('a new corpus is not reachable with existing scoped keys', async () => {
    const key = (
      await call(sandbox, 'POST', '/v2/api_keys', {
        body: { name: 'old', api_key_role: 'serving_and_indexing', corpus_keys: ['product-faq'] }
      })
    ).body
    await create({ key: 'brand-new' })
    const response = await call(sandbox, 'POST', '/v2/corpora/brand-new/documents', {
      key: key.secret_key,
      body: { id: 'd', type: 'core', document_parts: [{ text: 'x' }] }
    })
    expect(response.status).toBe(403)
  })
})
