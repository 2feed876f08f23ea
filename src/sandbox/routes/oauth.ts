import { isObject } from '../http/fields'
import type { Reply } from '../http/respond'
import type { PublicContext, Route } from '../http/router'
import { newAccessToken } from '../ids'

/** Vectara's JWTs expire after 30 minutes (docs/vectara-api.md#oauth-client-credentials). */
export const TOKEN_LIFETIME_S = 30 * 60

/**
 * RFC 6749 error responses. They also carry `messages` and `request_id`, so a client that
 * reads every error as Vectara's `Error` shape still shows something useful.
 */
function oauthError(
  ctx: PublicContext,
  status: number,
  error: string,
  description: string,
  headers?: Record<string, string>
): Reply {
  return {
    status,
    body: {
      error,
      error_description: description,
      messages: [description],
      request_id: ctx.requestId
    },
    headers: { 'cache-control': 'no-store', ...headers }
  }
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? '')
  if (!match) return undefined
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  if (colon === -1) return undefined
  // RFC 6749 §2.3.1: both parts are form-urlencoded inside Basic credentials.
  const decode = (part: string): string => {
    try {
      return decodeURIComponent(part.replace(/\+/g, ' '))
    } catch {
      return part
    }
  }
  return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)) }
}

/**
 * Client-credentials grant, at both paths clients use: `/oauth2/token` (RFC 6749, form body)
 * and `/oauth/token` (the Fern SDKs, JSON body). Either body type is accepted at either path.
 */
function token(ctx: PublicContext): Reply {
  const body = isObject(ctx.body) ? ctx.body : {}
  const text = (name: string): string | undefined =>
    typeof body[name] === 'string' ? (body[name] as string) : undefined
  const basic = basicCredentials(ctx.req.headers.authorization)
  const grantType = text('grant_type')
  const clientId = basic?.id ?? text('client_id')
  const clientSecret = basic?.secret ?? text('client_secret')
  if (!grantType) return oauthError(ctx, 400, 'invalid_request', 'grant_type is required.')
  if (grantType !== 'client_credentials') {
    return oauthError(
      ctx,
      400,
      'unsupported_grant_type',
      'Only grant_type=client_credentials is supported.'
    )
  }
  if (!clientId || !clientSecret) {
    return oauthError(ctx, 400, 'invalid_request', 'client_id and client_secret are required.')
  }
  const { store, now } = ctx.services
  if (
    clientId.length > 256 ||
    clientSecret.length > 256 ||
    !store.oauth.verifyClient(clientId, clientSecret)
  ) {
    return oauthError(
      ctx,
      401,
      'invalid_client',
      'Client authentication failed.',
      basic ? { 'www-authenticate': 'Basic' } : undefined
    )
  }
  const accessToken = newAccessToken()
  const issuedAt = now()
  store.oauth.issueToken(accessToken, clientId, issuedAt + TOKEN_LIFETIME_S * 1000, issuedAt)
  return {
    status: 200,
    body: { access_token: accessToken, token_type: 'Bearer', expires_in: TOKEN_LIFETIME_S },
    headers: { 'cache-control': 'no-store' }
  }
}

export const oauthRoutes: Route[] = [
  { method: 'POST', path: '/oauth2/token', auth: false, body: ['form', 'json'], handle: token },
  { method: 'POST', path: '/oauth/token', auth: false, body: ['json', 'form'], handle: token }
]
