import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SandboxHandle } from '../../src/sandbox'
import { call, conformance, openapi, seededKeys, start, type Body } from './helpers'

let sandbox: SandboxHandle
let keys: Record<string, Body>

beforeAll(async () => {
  sandbox = await start()
  keys = await seededKeys(sandbox)
})
afterAll(() => sandbox.close())

const create = (body: unknown) => call(sandbox, 'POST', '/v2/api_keys', { body })
const query = (key: string, corpus: string) =>
  call(sandbox, 'POST', '/v2/query', {
    key,
    body: { query: 'battery', search: { corpora: [{ corpus_key: corpus }] } }
  })

describe('GET /v2/api_keys', () => {
  it('lists every seeded key, pages with page_key and omits page_key on the last page', async () => {
    const first = await call(sandbox, 'GET', '/v2/api_keys?limit=4')
    expect(first.status).toBe(200)
    expect(first.body.api_keys).toHaveLength(4)
    expect(typeof first.body.metadata.page_key).toBe('string')
    const second = await call(
      sandbox,
      'GET',
      `/v2/api_keys?limit=4&page_key=${encodeURIComponent(first.body.metadata.page_key)}`
    )
    expect(second.status).toBe(200)
    expect(second.body.api_keys).toHaveLength(2)
    expect(second.body.metadata).toEqual({})
    const ids = [...first.body.api_keys, ...second.body.api_keys].map((k: Body) => k.id)
    expect(new Set(ids).size).toBe(6)
  })

  it('has no page_key when the page is exactly full and nothing follows', async () => {
    const all = await call(sandbox, 'GET', '/v2/api_keys?limit=100')
    const count = all.body.api_keys.length
    const exact = await call(sandbox, 'GET', `/v2/api_keys?limit=${count}`)
    expect(exact.body.api_keys).toHaveLength(count)
    expect(exact.body.metadata.page_key).toBeUndefined()
  })

  it('defaults to 10 per page', async () => {
    const created = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        create({ name: `bulk-${i}`, api_key_role: 'serving', corpus_keys: ['product-faq'] })
      )
    )
    const page = await call(sandbox, 'GET', '/v2/api_keys')
    expect(page.body.api_keys).toHaveLength(10)
    expect(page.body.metadata.page_key).toBeDefined()
    for (const c of created)
      expect((await call(sandbox, 'DELETE', `/v2/api_keys/${c.body.id}`)).status).toBe(204)
  })

  it('filters by api_key_role and by corpus_key', async () => {
    const indexKeys = await call(
      sandbox,
      'GET',
      '/v2/api_keys?api_key_role=serving_and_indexing&limit=100'
    )
    expect(indexKeys.body.api_keys.map((k: Body) => k.name)).toEqual(['release-notes-indexer'])
    const handbook = await call(
      sandbox,
      'GET',
      '/v2/api_keys?corpus_key=employee-handbook&limit=100'
    )
    expect(handbook.body.api_keys.map((k: Body) => k.name).sort()).toEqual([
      'handbook-assistant',
      'legacy-intranet-search'
    ])
    const personal = await call(sandbox, 'GET', '/v2/api_keys?api_key_role=personal')
    expect(personal.body.api_keys).toHaveLength(1)
    expect(personal.body.api_keys[0].secret_key).toBe(sandbox.personalKey)
    const none = await call(sandbox, 'GET', '/v2/api_keys?corpus_key=no-such-corpus')
    expect(none.status).toBe(200)
    expect(none.body.api_keys).toEqual([])
  })

  it.each([
    ['limit=0', 'limit'],
    ['limit=101', 'limit'],
    ['limit=ten', 'limit'],
    ['api_key_role=admin', 'api_key_role'],
    ['corpus_key=bad%20key', 'corpus_key'],
    ['page_key=not-a-page-key', 'page_key']
  ])('answers 400 with field_errors for %s', async (params, field) => {
    const response = await call(sandbox, 'GET', `/v2/api_keys?${params}`)
    expect(response.status).toBe(400)
    expect(Object.keys(response.body.field_errors)).toContain(field)
    expect(response.body.messages[0]).toMatch(/Invalid request/)
    expect(response.body.request_id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('shows each key with its legacy role and the matching corpus roles', () => {
    expect(keys['website-search']).toMatchObject({
      api_key_role: 'serving',
      enabled: true,
      corpus_roles: [{ corpus_key: 'product-faq', role: 'viewer' }]
    })
    expect(keys['release-notes-indexer'].corpus_roles).toEqual(
      expect.arrayContaining([
        { corpus_key: 'release-notes', role: 'editor' },
        { corpus_key: 'product-faq', role: 'editor' }
      ])
    )
    expect(keys['legacy-intranet-search'].enabled).toBe(false)
    for (const key of Object.values(keys)) {
      expect(key.id).toMatch(/^aky_[A-Za-z0-9]+$/)
      expect(key.secret_key).toMatch(/^z[uqw]t_[A-Za-z0-9]{40}$/)
    }
  })
})

describe('POST /v2/api_keys', () => {
  it.each([
    ['serving', 'zqt_', 'viewer'],
    ['serving_and_indexing', 'zwt_', 'editor']
  ])('creates a %s key (legacy fields) with a %s secret', async (role, prefix, corpusRole) => {
    const response = await create({
      name: `new ${role}`,
      api_key_role: role,
      corpus_keys: ['product-faq']
    })
    expect(response.status).toBe(201)
    expect(response.body).toMatchObject({
      name: `new ${role}`,
      enabled: true,
      api_key_role: role,
      corpus_roles: [{ corpus_key: 'product-faq', role: corpusRole }]
    })
    expect(response.body.secret_key).toMatch(new RegExp(`^${prefix}[A-Za-z0-9]{40}$`))
    expect((await query(response.body.secret_key, 'product-faq')).status).toBe(200)
  })

  it('creates a personal key with a zut_ secret that may manage keys', async () => {
    const response = await create({ name: 'second admin', api_key_role: 'personal' })
    expect(response.status).toBe(201)
    expect(response.body.secret_key).toMatch(/^zut_/)
    expect(response.body.corpus_roles).toEqual([])
    expect(
      (await call(sandbox, 'GET', '/v2/api_keys', { key: response.body.secret_key })).status
    ).toBe(200)
  })

  it('accepts corpus_roles alone and derives the legacy role from them', async () => {
    const viewer = await create({
      name: 'viewer only',
      corpus_roles: [{ corpus_key: 'release-notes', role: 'viewer' }]
    })
    expect(viewer.status).toBe(201)
    expect(viewer.body.api_key_role).toBe('serving')
    expect(viewer.body.secret_key).toMatch(/^zqt_/)
    const editor = await create({
      name: 'editor',
      corpus_roles: [
        { corpus_key: 'release-notes', role: 'editor' },
        { corpus_key: 'product-faq', role: 'viewer' }
      ],
      api_roles: ['corpus_viewer']
    })
    expect(editor.body.api_key_role).toBe('serving_and_indexing')
    expect(editor.body.api_roles).toEqual(['corpus_viewer'])
    expect(editor.body.corpus_roles).toEqual(
      expect.arrayContaining([
        { corpus_key: 'release-notes', role: 'editor' },
        { corpus_key: 'product-faq', role: 'viewer' }
      ])
    )
  })

  it.each([
    [
      'an empty name',
      { name: '  ', api_key_role: 'serving', corpus_keys: ['product-faq'] },
      'name'
    ],
    ['no name', { api_key_role: 'serving', corpus_keys: ['product-faq'] }, 'name'],
    [
      'a name that is not text',
      { name: 42, api_key_role: 'serving', corpus_keys: ['product-faq'] },
      'name'
    ],
    [
      'an unknown role',
      { name: 'x', api_key_role: 'superuser', corpus_keys: ['product-faq'] },
      'api_key_role'
    ],
    ['no role at all', { name: 'x' }, 'api_key_role'],
    ['missing corpora', { name: 'x', api_key_role: 'serving' }, 'corpus_keys'],
    [
      'an empty corpus list',
      { name: 'x', api_key_role: 'serving_and_indexing', corpus_keys: [] },
      'corpus_keys'
    ],
    [
      'an unknown corpus',
      { name: 'x', api_key_role: 'serving', corpus_keys: ['nope'] },
      'corpus_keys[0]'
    ],
    [
      'a malformed corpus key',
      { name: 'x', api_key_role: 'serving', corpus_keys: ['no spaces'] },
      'corpus_keys[0]'
    ],
    [
      'corpora on a personal key',
      { name: 'x', api_key_role: 'personal', corpus_keys: ['product-faq'] },
      'corpus_keys'
    ],
    [
      'an editor role on a query key',
      {
        name: 'x',
        api_key_role: 'serving',
        corpus_roles: [{ corpus_key: 'product-faq', role: 'editor' }]
      },
      'corpus_roles[0].role'
    ],
    [
      'an unknown corpus role',
      { name: 'x', corpus_roles: [{ corpus_key: 'product-faq', role: 'god' }] },
      'corpus_roles[0].role'
    ],
    [
      'an unknown api role',
      { name: 'x', api_key_role: 'personal', api_roles: ['root'] },
      'api_roles[0]'
    ],
    [
      'agent roles',
      {
        name: 'x',
        api_key_role: 'personal',
        agent_roles: [{ agent_key: 'a', role: 'agent_user' }]
      },
      'agent_roles'
    ]
  ])('answers 400 for %s', async (_, body, field) => {
    const response = await create(body)
    expect(response.status).toBe(400)
    expect(response.body.field_errors).toHaveProperty([field])
  })

  it('answers 400 for a body that is not a JSON object', async () => {
    for (const rawBody of ['[1,2]', '"text"', 'null', '{"name":']) {
      const response = await call(sandbox, 'POST', '/v2/api_keys', {
        rawBody,
        headers: { 'content-type': 'application/json' }
      })
      expect(response.status).toBe(400)
      expect(response.body.messages[0]).toMatch(/JSON/)
    }
  })
})

describe('GET, PATCH and DELETE /v2/api_keys/{id}', () => {
  it('reads one key by id', async () => {
    const created = await create({
      name: 'readable',
      api_key_role: 'serving',
      corpus_keys: ['product-faq']
    })
    const response = await call(sandbox, 'GET', `/v2/api_keys/${created.body.id}`)
    expect(response.status).toBe(200)
    expect(response.body).toEqual(created.body)
  })

  it('answers 404 NotFoundError for an unknown id', async () => {
    const response = await call(sandbox, 'GET', '/v2/api_keys/aky_doesnotexist')
    expect(response.status).toBe(404)
    expect(response.body).toMatchObject({ id: 'aky_doesnotexist', messages: [expect.any(String)] })
  })

  it('disables and re-enables a key', async () => {
    const created = await create({
      name: 'toggle',
      api_key_role: 'serving',
      corpus_keys: ['product-faq']
    })
    const off = await call(sandbox, 'PATCH', `/v2/api_keys/${created.body.id}`, {
      body: { enabled: false }
    })
    expect(off.status).toBe(200)
    expect(off.body.enabled).toBe(false)
    expect((await query(created.body.secret_key, 'product-faq')).status).toBe(401)
    const on = await call(sandbox, 'PATCH', `/v2/api_keys/${created.body.id}`, {
      body: { enabled: true }
    })
    expect(on.body.enabled).toBe(true)
    expect((await query(created.body.secret_key, 'product-faq')).status).toBe(200)
  })

  it('rejects a PATCH whose enabled is not a boolean', async () => {
    const created = await create({
      name: 'patch-bad',
      api_key_role: 'serving',
      corpus_keys: ['product-faq']
    })
    const response = await call(sandbox, 'PATCH', `/v2/api_keys/${created.body.id}`, {
      body: { enabled: 'no' }
    })
    expect(response.status).toBe(400)
    expect(response.body.field_errors).toEqual({ enabled: 'must be true or false' })
  })

  it('refuses to let a key delete itself (403), but another credential may', async () => {
    const second = await create({ name: 'self-deleter', api_key_role: 'personal' })
    const own = await call(sandbox, 'DELETE', `/v2/api_keys/${second.body.id}`, {
      key: second.body.secret_key
    })
    expect(own.status).toBe(403)
    expect(own.body.messages[0]).toMatch(/delete itself/)
    expect((await call(sandbox, 'GET', `/v2/api_keys/${second.body.id}`)).status).toBe(200)
    expect((await call(sandbox, 'DELETE', `/v2/api_keys/${second.body.id}`)).status).toBe(204)
  })

  it('deletes with 204 and an empty body; afterwards the key is gone everywhere at once', async () => {
    const created = await create({
      name: 'doomed',
      api_key_role: 'serving',
      corpus_keys: ['product-faq']
    })
    const id = created.body.id
    const deleted = await call(sandbox, 'DELETE', `/v2/api_keys/${id}`)
    expect(deleted.status).toBe(204)
    expect(deleted.text).toBe('')
    expect((await call(sandbox, 'GET', `/v2/api_keys/${id}`)).status).toBe(404)
    expect(
      (await call(sandbox, 'PATCH', `/v2/api_keys/${id}`, { body: { enabled: true } })).status
    ).toBe(404)
    expect((await call(sandbox, 'DELETE', `/v2/api_keys/${id}`)).status).toBe(404)
    const listed = await call(sandbox, 'GET', '/v2/api_keys?limit=100')
    expect(listed.body.api_keys.map((k: Body) => k.id)).not.toContain(id)
    expect((await query(created.body.secret_key, 'product-faq')).status).toBe(401)
  })
})

describe('who may manage keys', () => {
  it.each([
    ['a Query key', 'website-search'],
    ['an Index key', 'release-notes-indexer']
  ])('refuses %s on every /v2/api_keys operation with 403', async (_, name) => {
    const key = keys[name].secret_key
    const target = keys['handbook-assistant'].id
    const attempts = [
      call(sandbox, 'GET', '/v2/api_keys', { key }),
      call(sandbox, 'POST', '/v2/api_keys', {
        key,
        body: { name: 'x', api_key_role: 'serving', corpus_keys: ['product-faq'] }
      }),
      call(sandbox, 'GET', `/v2/api_keys/${target}`, { key }),
      call(sandbox, 'PATCH', `/v2/api_keys/${target}`, { key, body: { enabled: false } }),
      call(sandbox, 'DELETE', `/v2/api_keys/${target}`, { key })
    ]
    for (const response of await Promise.all(attempts)) {
      expect(response.status).toBe(403)
      expect(response.body.messages[0]).toMatch(/Personal API key/)
    }
    expect((await call(sandbox, 'GET', `/v2/api_keys/${target}`)).body.enabled).toBe(true)
  })

  it('checked every response against the spec', () => {
    if (openapi.available) expect(conformance.checked).toBeGreaterThan(50)
  })
})

describe('a Personal key whose roles only read', () => {
  it('may list and read keys but gets 403 for creating, changing or deleting them', async () => {
    const viewer = await call(sandbox, 'POST', '/v2/api_keys', {
      body: { name: 'auditor', api_key_role: 'personal', api_roles: ['viewer'] }
    })
    expect(viewer.status).toBe(201)
    const key = viewer.body.secret_key as string
    const listed = await call(sandbox, 'GET', '/v2/api_keys', { key })
    expect(listed.status).toBe(200)
    const target = listed.body.api_keys.find((k: Body) => k.name === 'website-search')
    expect((await call(sandbox, 'GET', `/v2/api_keys/${target.id}`, { key })).status).toBe(200)
    const refused = await call(sandbox, 'DELETE', `/v2/api_keys/${target.id}`, { key })
    expect(refused.status).toBe(403)
    expect(refused.body.messages[0]).toMatch(/only allow reading/)
    expect(
      (await call(sandbox, 'PATCH', `/v2/api_keys/${target.id}`, { key, body: { enabled: false } }))
        .status
    ).toBe(403)
    expect(
      (
        await call(sandbox, 'POST', '/v2/api_keys', {
          key,
          body: { name: 'x', api_key_role: 'serving', corpus_keys: ['product-faq'] }
        })
      ).status
    ).toBe(403)
    expect((await call(sandbox, 'GET', `/v2/api_keys/${target.id}`)).body.enabled).toBe(true)
  })
})
