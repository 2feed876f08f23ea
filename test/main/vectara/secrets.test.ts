import { afterEach, describe, expect, it } from 'vitest'
import { VectaraClient } from '../../../src/main/vectara/client'
import { describeForUser, toAppError, type VectaraError } from '../../../src/main/vectara/errors'
import type { VectaraRequestInfo } from '../../../src/main/vectara/http'
import { rejectionOf } from './helpers/clientFactory'
import {
  delay,
  sendJson,
  startLoopbackServer,
  type LoopbackServer,
  type Responder
} from './helpers/loopbackServer'

/** A real-looking key, and one that matches no redaction pattern (only exact scrubbing catches it). */
const VECTARA_KEY = 'zwt_SuperSecretIndexKey0123456789'
const ODD_KEY = 'custom-gateway-key-77f1c0ffee'
const CLIENT_SECRET = 'oauth-client-secret-Q9v7x2'
const ACCESS_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhcHAifQ.c2lnbmF0dXJl'

let server: LoopbackServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** Every way an error or an observer record could be written out. */
function everythingVisible(error: unknown, infos: VectaraRequestInfo[]): string {
  const e = error as VectaraError
  return [
    String(e),
    e.message,
    e.stack ?? '',
    JSON.stringify(e),
    JSON.stringify(e.messages),
    JSON.stringify(e.fieldErrors ?? {}),
    e.id ?? '',
    describeForUser(e),
    JSON.stringify(toAppError(e)?.toShape()),
    JSON.stringify(infos)
  ].join('\n')
}

/** A server that repeats whatever credential it was sent back in every error field it has. */
const echoingServer: Responder = (req, res) => {
  const sent = String(req.headers['x-api-key'] ?? req.headers.authorization ?? '')
  const bare = sent.replace('Bearer ', '')
  if (req.url.startsWith('/oauth2/token')) {
    const form = new URLSearchParams(req.body)
    return sendJson(res, 401, {
      error: 'invalid_client',
      error_description: `secret ${form.get('client_secret')} is wrong`
    })
  }
  // Never answers: the client's timeout has to end it.
  if (req.url === '/v2/corpora/slow') return
  sendJson(res, 401, {
    messages: [`Key ${sent} is not valid`, `token=${bare}`],
    field_errors: { 'x-api-key': bare },
    id: bare,
    request_id: 'req-1'
  })
}

async function apiKeyClient(
  apiKey: string
): Promise<{ client: VectaraClient; infos: VectaraRequestInfo[] }> {
  server = await startLoopbackServer(echoingServer)
  const infos: VectaraRequestInfo[] = []
  const client = new VectaraClient({
    baseUrl: server.url,
    auth: { type: 'api_key', apiKey },
    timeoutMs: 5_000,
    sleep: async () => {},
    onRequest: (info) => infos.push(info)
  })
  return { client, infos }
}

describe('no secret leaves the client', () => {
  for (const apiKey of [VECTARA_KEY, ODD_KEY]) {
    it(`not in errors or observer records when the server echoes the key (${apiKey.slice(0, 4)}…)`, async () => {
      const { client, infos } = await apiKeyClient(apiKey)
      const error = await rejectionOf(client.getApiKey('aky_1'))
      expect(error).toMatchObject({ code: 'API_UNAUTHORIZED' })
      const visible = everythingVisible(error, infos)
      expect(visible).not.toContain(apiKey)
      expect(visible).toContain('[redacted]')
      // The error is still useful: status, request id and the server's words around the secret.
      expect((error as VectaraError).messages[0]).toBe('Key [redacted] is not valid')
      expect((error as VectaraError).requestId).toBe('req-1')
    })
  }

  it('not in timeouts, network errors or cancellations', async () => {
    const { client, infos } = await apiKeyClient(ODD_KEY)
    const timeout = await rejectionOf(client.getCorpus('slow', { timeoutMs: 50 }))
    const url = server!.url
    await server!.close()
    server = undefined
    const offline = new VectaraClient({
      baseUrl: url,
      auth: { type: 'api_key', apiKey: ODD_KEY },
      sleep: async () => {},
      onRequest: (info) => infos.push(info)
    })
    const network = await rejectionOf(offline.listAllApiKeys())
    const cancelled = await rejectionOf(offline.getCorpus('x', { signal: AbortSignal.abort() }))
    expect([timeout, network, cancelled].map((e) => (e as VectaraError).code)).toEqual([
      'API_TIMEOUT',
      'NETWORK_ERROR',
      'CANCELLED'
    ])
    for (const error of [timeout, network, cancelled]) {
      expect(everythingVisible(error, infos)).not.toContain(ODD_KEY)
    }
    expect(infos.length).toBeGreaterThanOrEqual(3)
  })

  it('not the client secret when the token endpoint echoes it', async () => {
    server = await startLoopbackServer(echoingServer)
    const infos: VectaraRequestInfo[] = []
    const client = new VectaraClient({
      baseUrl: server.url,
      auth: {
        type: 'oauth',
        clientId: 'app-1',
        clientSecret: CLIENT_SECRET,
        tokenUrl: `${server.url}/oauth2/token`
      },
      sleep: async () => {},
      onRequest: (info) => infos.push(info)
    })
    const error = await rejectionOf(client.listAllCorpora())
    expect(error).toMatchObject({ code: 'API_UNAUTHORIZED' })
    const visible = everythingVisible(error, infos)
    expect(visible).not.toContain(CLIENT_SECRET)
    expect(visible).toContain('secret [redacted] is wrong')
  })

  it('not the access token when the API echoes it (with or without "Bearer")', async () => {
    server = await startLoopbackServer(async (req, res) => {
      if (req.url === '/oauth2/token') {
        return sendJson(res, 200, { access_token: ACCESS_TOKEN, expires_in: 1800 })
      }
      await delay(1)
      echoingServer(req, res, undefined as never)
    })
    const infos: VectaraRequestInfo[] = []
    const client = new VectaraClient({
      baseUrl: server.url,
      auth: {
        type: 'oauth',
        clientId: 'app-1',
        clientSecret: CLIENT_SECRET,
        tokenUrl: `${server.url}/oauth2/token`
      },
      sleep: async () => {},
      onRequest: (info) => infos.push(info)
    })
    const error = await rejectionOf(client.listAllCorpora())
    expect(error).toMatchObject({ code: 'API_UNAUTHORIZED', attempts: 2 })
    const visible = everythingVisible(error, infos)
    expect(visible).not.toContain(ACCESS_TOKEN)
    expect(visible).not.toContain(CLIENT_SECRET)
  })

  it('observer records hold only the documented facts', async () => {
    const { client, infos } = await apiKeyClient(VECTARA_KEY)
    await rejectionOf(client.listAllApiKeys({ corpusKey: 'docs' }))
    expect(Object.keys(infos[0]).sort()).toEqual(
      [
        'attempts',
        'errorCode',
        'latencyMs',
        'method',
        'ok',
        'operation',
        'path',
        'requestId',
        'status'
      ].sort()
    )
    // Path only: the query string is never reported.
    expect(infos[0].path).toBe('/v2/api_keys')
  })
})
