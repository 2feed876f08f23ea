import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SandboxHandle } from '../../src/sandbox'
import { call, FakeClock, seededKeys, start, type Body } from './helpers'

const queryBody = (corpus: string) => ({
  query: 'battery charging',
  search: { corpora: [{ corpus_key: corpus }] }
})

describe('credentials', () => {
  let sandbox: SandboxHandle
  let keys: Record<string, Body>
  beforeAll(async () => {
    sandbox = await start()
    keys = await seededKeys(sandbox)
  })
  afterAll(() => sandbox.close())

  it.each([
    ['no credentials', null],
    ['an unknown key', 'zqt_NotARealKeyNotARealKeyNotARealKey00000'],
    ['an empty key', ''],
    ['an absurdly long key', `zqt_${'x'.repeat(5000)}`]
  ])('answers 401 with an Error body for %s', async (_, key) => {
    const response = await call(sandbox, 'GET', '/v2/corpora', { key })
    expect(response.status).toBe(401)
    expect(response.body.messages[0]).toBeTruthy()
    expect(response.text).not.toContain('NotARealKey')
  })

  it('answers 401 for a disabled key', async () => {
    const response = await call(sandbox, 'POST', '/v2/query', {
      key: keys['legacy-intranet-search'].secret_key,
      body: queryBody('employee-handbook')
    })
    expect(response.status).toBe(401)
    expect(response.body.messages[0]).toMatch(/disabled/)
  })

  it('ignores a customer-id header, as v2 does', async () => {
    const response = await call(sandbox, 'GET', '/v2/corpora', {
      headers: { 'customer-id': '1234567' }
    })
    expect(response.status).toBe(200)
  })

  describe('a Query key', () => {
    const key = () => keys['website-search'].secret_key

    it('queries its own corpus', async () => {
      expect(
        (await call(sandbox, 'POST', '/v2/query', { key: key(), body: queryBody('product-faq') }))
          .status
      ).toBe(200)
      expect(
        (await call(sandbox, 'GET', '/v2/corpora/product-faq/query?query=lantern', { key: key() }))
          .status
      ).toBe(200)
    })

    it('may not query another corpus (403), even alongside its own', async () => {
      const response = await call(sandbox, 'POST', '/v2/query', {
        key: key(),
        body: {
          query: 'leave',
          search: { corpora: [{ corpus_key: 'product-faq' }, { corpus_key: 'employee-handbook' }] }
        }
      })
      expect(response.status).toBe(403)
      expect(response.body.messages[0]).toMatch(/employee-handbook/)
    })

    it('may not index, read documents or corpora, or manage corpora (403)', async () => {
      const doc = { id: 'x', type: 'core', document_parts: [{ text: 'hello' }] }
      const attempts = await Promise.all([
        call(sandbox, 'POST', '/v2/corpora/product-faq/documents', { key: key(), body: doc }),
        call(sandbox, 'GET', '/v2/corpora/product-faq/documents', { key: key() }),
        call(sandbox, 'GET', '/v2/corpora/product-faq/documents/faq-charging', { key: key() }),
        call(sandbox, 'DELETE', '/v2/corpora/product-faq/documents/faq-charging', { key: key() }),
        call(sandbox, 'GET', '/v2/corpora', { key: key() }),
        call(sandbox, 'GET', '/v2/corpora/product-faq', { key: key() }),
        call(sandbox, 'POST', '/v2/corpora', { key: key(), body: { key: 'mine' } }),
        call(sandbox, 'DELETE', '/v2/corpora/product-faq', { key: key() })
      ])
      expect(attempts.map((r) => r.status)).toEqual(Array(8).fill(403))
    })
  })

  describe('an Index key', () => {
    const key = () => keys['release-notes-indexer'].secret_key

    it('indexes into, reads and queries its corpora', async () => {
      const created = await call(sandbox, 'POST', '/v2/corpora/release-notes/documents', {
        key: key(),
        body: {
          id: 'idx-key-doc',
          type: 'core',
          document_parts: [{ text: 'Indexed with an index key.' }]
        }
      })
      expect(created.status).toBe(201)
      expect(
        (
          await call(sandbox, 'GET', '/v2/corpora/release-notes/documents/idx-key-doc', {
            key: key()
          })
        ).status
      ).toBe(200)
      expect((await call(sandbox, 'GET', '/v2/corpora/release-notes', { key: key() })).status).toBe(
        200
      )
      expect(
        (await call(sandbox, 'POST', '/v2/query', { key: key(), body: queryBody('release-notes') }))
          .status
      ).toBe(200)
      expect(
        (
          await call(sandbox, 'DELETE', '/v2/corpora/release-notes/documents/idx-key-doc', {
            key: key()
          })
        ).status
      ).toBe(204)
    })

    it('lists only its own corpora', async () => {
      const response = await call(sandbox, 'GET', '/v2/corpora?limit=100', { key: key() })
      expect(response.body.corpora.map((c: Body) => c.key).sort()).toEqual([
        'product-faq',
        'release-notes'
      ])
    })

    it('may not touch other corpora or manage corpora (403)', async () => {
      const doc = { id: 'x', type: 'core', document_parts: [{ text: 'hello' }] }
      const attempts = await Promise.all([
        call(sandbox, 'POST', '/v2/corpora/employee-handbook/documents', { key: key(), body: doc }),
        call(sandbox, 'GET', '/v2/corpora/employee-handbook', { key: key() }),
        call(sandbox, 'POST', '/v2/query', { key: key(), body: queryBody('employee-handbook') }),
        call(sandbox, 'POST', '/v2/corpora', { key: key(), body: { key: 'mine' } }),
        call(sandbox, 'DELETE', '/v2/corpora/release-notes', { key: key() })
      ])
      expect(attempts.map((r) => r.status)).toEqual(Array(5).fill(403))
    })

    it('still gets 404 for a corpus that does not exist', async () => {
      const response = await call(sandbox, 'POST', '/v2/query', {
        key: key(),
        body: queryBody('ghost')
      })
      expect(response.status).toBe(404)
      expect(response.body.id).toBe('ghost')
    })
  })
})

describe('OAuth client credentials', () => {
  const clock = new FakeClock()
  let sandbox: SandboxHandle
  beforeAll(async () => {
    sandbox = await start({ now: clock.now })
  })
  afterAll(() => sandbox.close())

  const form = (fields: Record<string, string>) => ({
    rawBody: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    key: null
  })
  const credentials = () => ({
    client_id: sandbox.oauthClient.clientId,
    client_secret: sandbox.oauthClient.clientSecret
  })

  it('issues a Bearer token at /oauth2/token from a form body', async () => {
    const response = await call(
      sandbox,
      'POST',
      '/oauth2/token',
      form({ grant_type: 'client_credentials', ...credentials() })
    )
    expect(response.status).toBe(200)
    expect(response.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 1800
    })
    expect(response.headers.get('cache-control')).toBe('no-store')
  })

  it('issues a token at /oauth/token from a JSON body, and at /oauth2/token from JSON', async () => {
    for (const path of ['/oauth/token', '/oauth2/token']) {
      const response = await call(sandbox, 'POST', path, {
        key: null,
        body: { grant_type: 'client_credentials', ...credentials() }
      })
      expect(response.status).toBe(200)
      expect(response.body.token_type).toBe('Bearer')
    }
  })

  it('accepts HTTP Basic client authentication', async () => {
    const basic = Buffer.from(
      `${sandbox.oauthClient.clientId}:${sandbox.oauthClient.clientSecret}`
    ).toString('base64')
    const response = await call(sandbox, 'POST', '/oauth2/token', {
      ...form({ grant_type: 'client_credentials' }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${basic}`
      }
    })
    expect(response.status).toBe(200)
  })

  it('acts with Personal-key rights and expires after 30 minutes', async () => {
    const token = (
      await call(sandbox, 'POST', '/oauth/token', {
        key: null,
        body: { grant_type: 'client_credentials', ...credentials() }
      })
    ).body.access_token
    expect((await call(sandbox, 'GET', '/v2/api_keys', { key: null, bearer: token })).status).toBe(
      200
    )
    const created = await call(sandbox, 'POST', '/v2/corpora', {
      key: null,
      bearer: token,
      body: { key: 'oauth-made' }
    })
    expect(created.status).toBe(201)
    clock.advance(29 * 60_000)
    expect((await call(sandbox, 'GET', '/v2/api_keys', { key: null, bearer: token })).status).toBe(
      200
    )
    clock.advance(60_001)
    const expired = await call(sandbox, 'GET', '/v2/api_keys', { key: null, bearer: token })
    expect(expired.status).toBe(401)
    expect(expired.body.messages[0]).toMatch(/expired/)
  })

  it.each([
    ['an unknown token', 'Bearer abcdefghijklmnop'],
    ['a non-Bearer scheme', 'Token abcdefghijklmnop'],
    ['an empty Bearer', 'Bearer ']
  ])('answers 401 for %s', async (_, authorization) => {
    const response = await call(sandbox, 'GET', '/v2/api_keys', {
      key: null,
      headers: { authorization }
    })
    expect(response.status).toBe(401)
  })

  it('refuses bad client credentials with 401 invalid_client', async () => {
    const response = await call(
      sandbox,
      'POST',
      '/oauth2/token',
      form({
        grant_type: 'client_credentials',
        client_id: sandbox.oauthClient.clientId,
        client_secret: 'wrong'
      })
    )
    expect(response.status).toBe(401)
    expect(response.body.error).toBe('invalid_client')
  })

  it.each([
    [{ client_id: 'a', client_secret: 'b' }, 'invalid_request'],
    [{ grant_type: 'password', client_id: 'a', client_secret: 'b' }, 'unsupported_grant_type'],
    [{ grant_type: 'client_credentials' }, 'invalid_request']
  ])('answers 400 for an incomplete or unsupported grant %#', async (fields, error) => {
    const response = await call(
      sandbox,
      'POST',
      '/oauth2/token',
      form(fields as Record<string, string>)
    )
    expect(response.status).toBe(400)
    expect(response.body.error).toBe(error)
  })

  it('answers 415 for a token request in another format', async () => {
    const response = await call(sandbox, 'POST', '/oauth2/token', {
      key: null,
      rawBody: 'x',
      headers: { 'content-type': 'text/plain' }
    })
    expect(response.status).toBe(415)
  })
})

describe('propagation of disable, enable and delete', () => {
  const clock = new FakeClock()
  const DELAY = 60_000
  let sandbox: SandboxHandle
  beforeAll(async () => {
    sandbox = await start({ now: clock.now, propagationMs: DELAY })
  })
  afterAll(() => sandbox.close())

  const newKey = async (name: string) =>
    (
      await call(sandbox, 'POST', '/v2/api_keys', {
        body: { name, api_key_role: 'serving', corpus_keys: ['product-faq'] }
      })
    ).body
  const queryWith = async (secret: string) =>
    (await call(sandbox, 'POST', '/v2/query', { key: secret, body: queryBody('product-faq') }))
      .status
  const patch = (id: string, enabled: boolean) =>
    call(sandbox, 'PATCH', `/v2/api_keys/${id}`, { body: { enabled } })

  it('blocks queries only after the delay, while the admin API shows the change at once', async () => {
    const key = await newKey('propagating-disable')
    expect((await patch(key.id, false)).body.enabled).toBe(false)
    expect((await call(sandbox, 'GET', `/v2/api_keys/${key.id}`)).body.enabled).toBe(false)
    expect(await queryWith(key.secret_key)).toBe(200)
    clock.advance(DELAY - 1)
    expect(await queryWith(key.secret_key)).toBe(200)
    clock.advance(1)
    expect(await queryWith(key.secret_key)).toBe(401)
  })

  it('serves again only after the delay once re-enabled', async () => {
    const key = await newKey('propagating-enable')
    await patch(key.id, false)
    clock.advance(DELAY)
    expect(await queryWith(key.secret_key)).toBe(401)
    expect((await patch(key.id, true)).body.enabled).toBe(true)
    expect(await queryWith(key.secret_key)).toBe(401)
    clock.advance(DELAY)
    expect(await queryWith(key.secret_key)).toBe(200)
  })

  it('a disable undone within the window never blocks', async () => {
    const key = await newKey('flip-flop')
    await patch(key.id, false)
    clock.advance(DELAY / 2)
    await patch(key.id, true)
    expect(await queryWith(key.secret_key)).toBe(200)
    clock.advance(DELAY * 2)
    expect(await queryWith(key.secret_key)).toBe(200)
  })

  it('a deleted key vanishes from the admin API at once but authenticates until the delay passes', async () => {
    const key = await newKey('propagating-delete')
    expect((await call(sandbox, 'DELETE', `/v2/api_keys/${key.id}`)).status).toBe(204)
    expect((await call(sandbox, 'GET', `/v2/api_keys/${key.id}`)).status).toBe(404)
    expect(await queryWith(key.secret_key)).toBe(200)
    clock.advance(DELAY)
    const response = await call(sandbox, 'POST', '/v2/query', {
      key: key.secret_key,
      body: queryBody('product-faq')
    })
    expect(response.status).toBe(401)
    expect(response.body.messages[0]).toMatch(/deleted/)
  })

  it('setPropagationMs changes the delay at run time', async () => {
    const key = await newKey('instant')
    sandbox.setPropagationMs(0)
    await patch(key.id, false)
    expect(await queryWith(key.secret_key)).toBe(401)
    sandbox.setPropagationMs(DELAY)
    expect(() => sandbox.setPropagationMs(-1)).toThrow(RangeError)
  })
})

describe('propagation with the real clock', () => {
  it('takes effect after a short real delay', async () => {
    const sandbox = await start({ propagationMs: 150 })
    try {
      const key = (
        await call(sandbox, 'POST', '/v2/api_keys', {
          body: { name: 'real', api_key_role: 'serving', corpus_keys: ['product-faq'] }
        })
      ).body
      await call(sandbox, 'PATCH', `/v2/api_keys/${key.id}`, { body: { enabled: false } })
      expect(
        (
          await call(sandbox, 'POST', '/v2/query', {
            key: key.secret_key,
            body: queryBody('product-faq')
          })
        ).status
      ).toBe(200)
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(
        (
          await call(sandbox, 'POST', '/v2/query', {
            key: key.secret_key,
            body: queryBody('product-faq')
          })
        ).status
      ).toBe(401)
    } finally {
      await sandbox.close()
    }
  })
})
