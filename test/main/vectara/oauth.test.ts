import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_TOKEN_URL } from '../../../src/main/vectara/auth'
import { VectaraClient } from '../../../src/main/vectara/client'
import type { VectaraRequestInfo } from '../../../src/main/vectara/http'
import { rejectionOf } from './helpers/clientFactory'
import {
  delay,
  sendJson,
  startLoopbackServer,
  type LoopbackServer,
  type RecordedRequest
} from './helpers/loopbackServer'

const CLIENT_ID = 'app-client-7'
const CLIENT_SECRET = 'oauth-client-secret-Q9v7x2'

interface AuthServerOptions {
  expiresIn?: number
  tokenDelayMs?: number
  /** Answer API calls with 401 even for a fresh token. */
  rejectAll?: boolean
  /** Tokens the API treats as revoked. */
  revoked?: Set<string>
  tokenAnswer?: (request: RecordedRequest) => [number, unknown] | undefined
}

let server: LoopbackServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** A token endpoint at /oauth2/token and one API endpoint that checks the bearer token. */
async function authServer(options: AuthServerOptions = {}): Promise<LoopbackServer> {
  let issued = 0
  server = await startLoopbackServer(async (req, res) => {
    if (req.url === '/oauth2/token') {
      await delay(options.tokenDelayMs ?? 0)
      const custom = options.tokenAnswer?.(req)
      if (custom) return sendJson(res, custom[0], custom[1])
      issued++
      return sendJson(res, 200, {
        access_token: `jwt-token-${issued}-abcdefgh`,
        token_type: 'Bearer',
        expires_in: options.expiresIn ?? 1800
      })
    }
    const token = req.headers.authorization?.replace('Bearer ', '') ?? ''
    if (options.rejectAll || !token.startsWith('jwt-token-') || options.revoked?.has(token)) {
      return sendJson(res, 401, { messages: ['Invalid or expired token'] })
    }
    sendJson(res, 200, { corpora: [{ key: 'docs' }] })
  })
  return server
}

function oauthClient(
  url: string,
  extra: { now?: () => number; infos?: VectaraRequestInfo[] } = {}
): VectaraClient {
  return new VectaraClient({
    baseUrl: url,
    auth: {
      type: 'oauth',
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      tokenUrl: `${url}/oauth2/token`
    },
    timeoutMs: 2_000,
    now: extra.now,
    sleep: async () => {},
    onRequest: (info) => extra.infos?.push(info)
  })
}

describe('OAuth client credentials', () => {
  it('posts a form-encoded client_credentials request and sends the token as a bearer', async () => {
    const srv = await authServer()
    const infos: VectaraRequestInfo[] = []
    const client = oauthClient(srv.url, { infos })
    await client.listAllCorpora()
    const [tokenRequest, apiRequest] = srv.requests
    expect(tokenRequest.method).toBe('POST')
    expect(tokenRequest.headers['content-type']).toBe('application/x-www-form-urlencoded')
    expect(Object.fromEntries(new URLSearchParams(tokenRequest.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET
    })
    expect(apiRequest.headers.authorization).toBe('Bearer jwt-token-1-abcdefgh')
    expect(apiRequest.headers['x-api-key']).toBeUndefined()
    expect(infos.map((i) => [i.operation, i.path, i.status])).toEqual([
      ['oauth.token', '/oauth2/token', 200],
      ['corpora.list', '/v2/corpora', 200]
    ])
  })

  it('fetches the token once and reuses it', async () => {
    const srv = await authServer()
    const client = oauthClient(srv.url)
    for (let i = 0; i < 3; i++) await client.listAllCorpora()
    expect(srv.hits('/oauth2/token')).toHaveLength(1)
    expect(srv.hits('/v2/corpora')).toHaveLength(3)
  })

  it('renews 60 s before expiry, by the injected clock', async () => {
    const srv = await authServer({ expiresIn: 1800 })
    let now = 1_000_000
    const client = oauthClient(srv.url, { now: () => now })
    await client.listAllCorpora()
    now += (1800 - 61) * 1000
    await client.listAllCorpora()
    expect(srv.hits('/oauth2/token')).toHaveLength(1)
    now += 2_000
    await client.listAllCorpora()
    expect(srv.hits('/oauth2/token')).toHaveLength(2)
    expect(srv.hits('/v2/corpora').map((r) => r.headers.authorization)).toEqual([
      'Bearer jwt-token-1-abcdefgh',
      'Bearer jwt-token-1-abcdefgh',
      'Bearer jwt-token-2-abcdefgh'
    ])
  })

  it('keeps half the lifetime as margin for a token shorter than two minutes', async () => {
    const srv = await authServer({ expiresIn: 90 })
    let now = 0
    const client = oauthClient(srv.url, { now: () => now })
    await client.listAllCorpora()
    now = 44_000
    await client.listAllCorpora()
    now = 46_000
    await client.listAllCorpora()
    expect(srv.hits('/oauth2/token')).toHaveLength(2)
  })

  it('on a 401, renews the token once and retries the request once', async () => {
    const revoked = new Set(['jwt-token-1-abcdefgh'])
    const srv = await authServer({ revoked })
    const infos: VectaraRequestInfo[] = []
    const client = oauthClient(srv.url, { infos })
    expect(await client.listAllCorpora()).toEqual([{ key: 'docs' }])
    expect(srv.requests.map((r) => r.url)).toEqual([
      '/oauth2/token',
      '/v2/corpora?limit=100',
      '/oauth2/token',
      '/v2/corpora?limit=100'
    ])
    expect(infos.at(-1)).toMatchObject({ operation: 'corpora.list', ok: true, attempts: 2 })
  })

  it('gives up after one renewal when the API keeps answering 401', async () => {
    const srv = await authServer({ rejectAll: true })
    const client = oauthClient(srv.url)
    const error = await rejectionOf(client.listAllCorpora())
    expect(error).toMatchObject({ code: 'API_UNAUTHORIZED', status: 401, attempts: 2 })
    expect(srv.hits('/oauth2/token')).toHaveLength(2)
    expect(srv.hits('/v2/corpora')).toHaveLength(2)
  })

  it('concurrent callers share one token request, and one renewal after a shared 401', async () => {
    const revoked = new Set<string>()
    const srv = await authServer({ tokenDelayMs: 80, revoked })
    const client = oauthClient(srv.url)
    await Promise.all(Array.from({ length: 5 }, () => client.listAllCorpora()))
    expect(srv.hits('/oauth2/token')).toHaveLength(1)
    revoked.add('jwt-token-1-abcdefgh')
    await Promise.all(Array.from({ length: 5 }, () => client.listAllCorpora()))
    expect(srv.hits('/oauth2/token')).toHaveLength(2)
    expect(srv.hits('/v2/corpora')).toHaveLength(15)
  })

  it('a caller that gives up waiting for the shared token does not cancel it for the others', async () => {
    const srv = await authServer({ tokenDelayMs: 150 })
    const client = oauthClient(srv.url)
    const controller = new AbortController()
    const impatient = rejectionOf(client.listAllCorpora({}, { signal: controller.signal }))
    const patient = client.listAllCorpora()
    setTimeout(() => controller.abort(), 20)
    expect(await impatient).toMatchObject({ code: 'CANCELLED' })
    expect(await patient).toEqual([{ key: 'docs' }])
    expect(srv.hits('/oauth2/token')).toHaveLength(1)
  })

  it('explains rejected client credentials, sends no API request, and tries again next time', async () => {
    let reject = true
    const srv = await authServer({
      tokenAnswer: () =>
        reject
          ? [401, { error: 'invalid_client', error_description: 'Client authentication failed' }]
          : undefined
    })
    const client = oauthClient(srv.url)
    const error = await rejectionOf(client.listAllCorpora())
    expect(error).toMatchObject({
      code: 'API_UNAUTHORIZED',
      status: 401,
      messages: ['invalid_client', 'Client authentication failed']
    })
    expect((error as Error).message).toBe(
      'The OAuth token endpoint rejected the client ID or secret (HTTP 401).'
    )
    expect(srv.hits('/v2/corpora')).toHaveLength(0)
    reject = false
    expect(await client.listAllCorpora()).toEqual([{ key: 'docs' }])
  })

  it('retries a token endpoint that is briefly unavailable', async () => {
    let failures = 1
    const srv = await authServer({
      tokenAnswer: () => (failures-- > 0 ? [503, { messages: ['busy'] }] : undefined)
    })
    const client = oauthClient(srv.url)
    expect(await client.listAllCorpora()).toEqual([{ key: 'docs' }])
    expect(srv.hits('/oauth2/token')).toHaveLength(2)
  })

  it('reports an unreadable token answer as API_INVALID_RESPONSE', async () => {
    for (const answer of [{ token_type: 'Bearer' }, { access_token: 42 }, 'not json']) {
      const srv = await authServer({ tokenAnswer: () => [200, answer] })
      const client = oauthClient(srv.url)
      expect(await rejectionOf(client.listAllCorpora()), JSON.stringify(answer)).toMatchObject({
        code: 'API_INVALID_RESPONSE'
      })
      await srv.close()
      server = undefined
    }
  })

  it('defaults to the documented token URL', async () => {
    const seen: string[] = []
    const fakeFetch = (async (input: string | URL | Request) => {
      const url = String(input)
      seen.push(url)
      if (url === DEFAULT_TOKEN_URL) {
        return new Response(JSON.stringify({ access_token: 'tok-abcdefgh', expires_in: 1800 }), {
          status: 200
        })
      }
      return new Response(JSON.stringify({ corpora: [] }), { status: 200 })
    }) as typeof fetch
    const client = new VectaraClient({
      baseUrl: 'https://api.vectara.io',
      auth: { type: 'oauth', clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      fetch: fakeFetch
    })
    await client.listAllCorpora()
    expect(DEFAULT_TOKEN_URL).toBe('https://auth.vectara.io/oauth2/token')
    expect(seen).toEqual([DEFAULT_TOKEN_URL, 'https://api.vectara.io/v2/corpora?limit=100'])
  })

  it('refuses credentials that cannot be sent in a header, without quoting them', () => {
    for (const auth of [
      { type: 'oauth' as const, clientId: '', clientSecret: CLIENT_SECRET },
      { type: 'oauth' as const, clientId: CLIENT_ID, clientSecret: 'has space-secret' },
      { type: 'api_key' as const, apiKey: 'zqt_abcdefgh\n' }
    ]) {
      let error: unknown
      try {
        new VectaraClient({ baseUrl: 'https://api.vectara.io', auth })
      } catch (caught) {
        error = caught
      }
      expect(error).toMatchObject({ code: 'BAD_INPUT' })
      expect((error as Error).message).not.toMatch(/has space-secret|zqt_abcdefgh/)
    }
  })
})
