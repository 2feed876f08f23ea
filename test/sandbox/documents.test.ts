import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SandboxHandle } from '../../src/sandbox'
import { call, start, type Body } from './helpers'

let sandbox: SandboxHandle
beforeAll(async () => {
  sandbox = await start()
  await call(sandbox, 'POST', '/v2/corpora', {
    body: {
      key: 'docs',
      filter_attributes: [
        { name: 'year', level: 'document', type: 'integer' },
        { name: 'topic', level: 'document', type: 'text' },
        { name: 'tags', level: 'document', type: 'list[text]' },
        { name: 'lang', level: 'part', type: 'text' }
      ]
    }
  })
})
afterAll(() => sandbox.close())

const path = (id?: string) =>
  `/v2/corpora/docs/documents${id === undefined ? '' : `/${encodeURIComponent(id)}`}`
const post = (body: unknown, corpus = 'docs') =>
  call(sandbox, 'POST', `/v2/corpora/${corpus}/documents`, { body })
const search = async (query: string) =>
  (
    await call(sandbox, 'POST', '/v2/query', {
      body: { query, search: { corpora: [{ corpus_key: 'docs' }] } }
    })
  ).body.search_results as Body[]

describe('POST /v2/corpora/{key}/documents', () => {
  it('creates a core document (201) that is searchable at once', async () => {
    const response = await post({
      id: 'core-1',
      type: 'core',
      metadata: { year: 2025, topic: 'maps', tags: ['a', 'b'] },
      document_parts: [
        { text: 'Topographic maps show contour lines.', metadata: { lang: 'eng' } },
        {
          text: 'Höhenlinien verbinden Punkte gleicher Höhe.',
          metadata: { lang: 'deu' },
          context: 'German gloss'
        }
      ]
    })
    expect(response.status).toBe(201)
    expect(response.body).toMatchObject({ id: 'core-1', metadata: { year: 2025, topic: 'maps' } })
    expect(response.body.parts).toBeUndefined()
    expect(response.body.storage_usage.bytes_used).toBeGreaterThan(
      response.body.storage_usage.metadata_bytes_used
    )
    expect((await search('contour lines'))[0].document_id).toBe('core-1')
  })

  it('creates a structured document, one part per sentence, title kept as metadata', async () => {
    const response = await post({
      id: 'structured-1',
      type: 'structured',
      title: 'Knots',
      metadata: { year: 2024 },
      sections: [
        {
          title: 'Bowline',
          text: 'The bowline makes a fixed loop. It is easy to untie after loading.',
          metadata: { lang: 'eng' }
        },
        {
          text: 'A clove hitch grips a post.',
          sections: [{ text: 'Nested sections are indexed too.' }]
        }
      ]
    })
    expect(response.status).toBe(201)
    const doc = await call(sandbox, 'GET', path('structured-1'))
    expect(doc.body.metadata).toEqual({ year: 2024, title: 'Knots' })
    expect(doc.body.parts.map((p: Body) => p.text)).toEqual([
      'The bowline makes a fixed loop.',
      'It is easy to untie after loading.',
      'A clove hitch grips a post.',
      'Nested sections are indexed too.'
    ])
    expect(doc.body.parts[0].metadata).toEqual({ lang: 'eng' })
  })

  it('packs sentences up to max_chars_per_chunk', async () => {
    const text =
      'One short sentence here. Another short sentence. ' +
      'A very long sentence '.repeat(10).trim() +
      '.'
    await post({
      id: 'chunked',
      type: 'structured',
      sections: [{ text }],
      chunking_strategy: { type: 'max_chars_chunking_strategy', max_chars_per_chunk: 100 }
    })
    const parts = (await call(sandbox, 'GET', path('chunked'))).body.parts.map(
      (p: Body) => p.text as string
    )
    expect(parts[0]).toBe('One short sentence here. Another short sentence.')
    expect(parts.every((p: string) => p.length <= 100)).toBe(true)
    expect(parts.join(' ').replace(/\s+/g, ' ')).toContain('A very long sentence A very long')
  })

  it('answers 409 for an id that already exists in the corpus', async () => {
    await post({ id: 'dup', type: 'core', document_parts: [{ text: 'first' }] })
    const response = await post({ id: 'dup', type: 'core', document_parts: [{ text: 'second' }] })
    expect(response.status).toBe(409)
    expect(response.body.messages[0]).toMatch(/dup/)
  })

  it.each([
    ['a missing type', { id: 'x', document_parts: [{ text: 'a' }] }, 'type'],
    ['an unknown type', { id: 'x', type: 'pdf', document_parts: [{ text: 'a' }] }, 'type'],
    ['a missing id', { type: 'core', document_parts: [{ text: 'a' }] }, 'id'],
    ['an empty id', { id: '', type: 'core', document_parts: [{ text: 'a' }] }, 'id'],
    ['no parts', { id: 'x', type: 'core', document_parts: [] }, 'document_parts'],
    [
      'a part without text',
      { id: 'x', type: 'core', document_parts: [{ metadata: {} }] },
      'document_parts[0].text'
    ],
    [
      'only blank text',
      { id: 'x', type: 'core', document_parts: [{ text: '   ' }] },
      'document_parts'
    ],
    ['no sections', { id: 'x', type: 'structured', sections: [] }, 'sections'],
    [
      'a section without text',
      { id: 'x', type: 'structured', sections: [{ title: 'T' }] },
      'sections[0].text'
    ],
    [
      'metadata that is not an object',
      { id: 'x', type: 'core', metadata: [1], document_parts: [{ text: 'a' }] },
      'metadata'
    ],
    [
      'a filter attribute of the wrong type',
      { id: 'x', type: 'core', metadata: { year: '2025' }, document_parts: [{ text: 'a' }] },
      'metadata.year'
    ],
    [
      'a list attribute with the wrong items',
      { id: 'x', type: 'core', metadata: { tags: [1] }, document_parts: [{ text: 'a' }] },
      'metadata.tags'
    ],
    [
      'a part attribute of the wrong type',
      { id: 'x', type: 'core', document_parts: [{ text: 'a', metadata: { lang: 7 } }] },
      'parts[0].metadata.lang'
    ],
    [
      'a chunk size under 100',
      {
        id: 'x',
        type: 'structured',
        sections: [{ text: 'a' }],
        chunking_strategy: { type: 'max_chars_chunking_strategy', max_chars_per_chunk: 10 }
      },
      'chunking_strategy.max_chars_per_chunk'
    ]
  ])('answers 400 for %s', async (_, body, field) => {
    const response = await post(body)
    expect(response.status).toBe(400)
    expect(response.body.field_errors).toHaveProperty([field])
  })

  it('answers 400 for an unknown wait_for and 404 for an unknown corpus', async () => {
    const doc = { id: 'w', type: 'core', document_parts: [{ text: 'a' }] }
    expect((await call(sandbox, 'POST', `${path()}?wait_for=later`, { body: doc })).status).toBe(
      400
    )
    expect((await call(sandbox, 'POST', `${path()}?wait_for=indexed`, { body: doc })).status).toBe(
      201
    )
    const missing = await post(doc, 'ghost-corpus')
    expect(missing.status).toBe(404)
    expect(missing.body.id).toBe('ghost-corpus')
  })
})

describe('document ids in paths are percent-encoded', () => {
  // Ids that are exactly "." or ".." cannot be sent at all: URL parsers fold them as dot segments.
  it.each(['guides/intro page', 'ünïcødé?#&', '100%', '.hidden', 'a..b'])(
    'round-trips the id %j',
    async (id) => {
      expect(
        (await post({ id, type: 'core', document_parts: [{ text: `Text of ${id}.` }] })).status
      ).toBe(201)
      const got = await call(sandbox, 'GET', path(id))
      expect(got.status).toBe(200)
      expect(got.body.id).toBe(id)
      expect((await call(sandbox, 'DELETE', path(id))).status).toBe(204)
      expect((await call(sandbox, 'GET', path(id))).status).toBe(404)
    }
  )

  it('answers 400 for malformed percent-encoding', async () => {
    const response = await call(sandbox, 'GET', '/v2/corpora/docs/documents/%E0%A4%A')
    expect(response.status).toBe(400)
  })
})

describe('GET and DELETE /v2/corpora/{key}/documents/{id}', () => {
  it('gets a document with its parts and their metadata and context', async () => {
    const response = await call(sandbox, 'GET', path('core-1'))
    expect(response.status).toBe(200)
    expect(response.body.parts[1]).toEqual({
      text: 'Höhenlinien verbinden Punkte gleicher Höhe.',
      metadata: { lang: 'deu' },
      context: 'German gloss'
    })
  })

  it('answers 404 NotFoundError naming the document', async () => {
    const response = await call(sandbox, 'GET', path('missing'))
    expect(response.status).toBe(404)
    expect(response.body.id).toBe('missing')
  })

  it('deletes with 204 and removes the parts from search', async () => {
    await post({
      id: 'to-delete',
      type: 'core',
      document_parts: [{ text: 'Xylophone workshop schedule.' }]
    })
    expect(await search('xylophone')).toHaveLength(1)
    const response = await call(sandbox, 'DELETE', path('to-delete'))
    expect(response.status).toBe(204)
    expect(response.text).toBe('')
    expect(await search('xylophone')).toEqual([])
    expect((await call(sandbox, 'DELETE', path('to-delete'))).status).toBe(404)
  })
})

describe('GET /v2/corpora/{key}/documents', () => {
  beforeAll(async () => {
    await call(sandbox, 'POST', '/v2/corpora', {
      body: { key: 'many', filter_attributes: [{ name: 'n', level: 'document', type: 'integer' }] }
    })
    for (let n = 0; n < 25; n++) {
      await call(sandbox, 'POST', '/v2/corpora/many/documents', {
        body: {
          id: `doc-${String(n).padStart(2, '0')}`,
          type: 'core',
          metadata: { n },
          document_parts: [{ text: `Document number ${n}.` }]
        }
      })
    }
  })

  it('pages through every document (default 10), omitting page_key at the end', async () => {
    const ids: string[] = []
    let pageKey: string | undefined
    let pages = 0
    do {
      const response = await call(
        sandbox,
        'GET',
        `/v2/corpora/many/documents${pageKey ? `?page_key=${pageKey}` : ''}`
      )
      expect(response.status).toBe(200)
      ids.push(...response.body.documents.map((d: Body) => d.id))
      expect(response.body.documents.every((d: Body) => d.parts === undefined)).toBe(true)
      pageKey = response.body.metadata.page_key
      pages++
    } while (pageKey)
    expect(pages).toBe(3)
    expect(ids).toHaveLength(25)
    expect(new Set(ids).size).toBe(25)
  })

  it('accepts a limit up to 1000 and refuses more', async () => {
    expect(
      (await call(sandbox, 'GET', '/v2/corpora/many/documents?limit=1000')).body.documents
    ).toHaveLength(25)
    expect((await call(sandbox, 'GET', '/v2/corpora/many/documents?limit=1001')).status).toBe(400)
  })

  it('filters documents with a document-level metadata_filter', async () => {
    const response = await call(
      sandbox,
      'GET',
      `/v2/corpora/many/documents?limit=100&metadata_filter=${encodeURIComponent('doc.n >= 20 OR doc.n IN (1, 2)')}`
    )
    expect(
      response.body.documents.map((d: Body) => d.metadata.n).sort((a: number, b: number) => a - b)
    ).toEqual([1, 2, 20, 21, 22, 23, 24])
  })

  it('answers 400 for a filter on part metadata or an unknown attribute', async () => {
    const part = await call(
      sandbox,
      'GET',
      `/v2/corpora/docs/documents?metadata_filter=${encodeURIComponent("part.lang = 'eng'")}`
    )
    expect(part.status).toBe(400)
    expect(part.body.field_errors.metadata_filter).toMatch(/only doc\./)
    const unknown = await call(
      sandbox,
      'GET',
      `/v2/corpora/many/documents?metadata_filter=${encodeURIComponent('doc.m = 1')}`
    )
    expect(unknown.status).toBe(400)
    expect(unknown.body.messages[0]).toMatch(/doc\.m is not a filter attribute/)
  })
})
