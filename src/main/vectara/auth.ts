import { z } from 'zod'
import { VectaraError } from './errors'
import type { Credential, HttpTransport } from './http'

export type VectaraAuth =
  | { type: 'api_key'; apiKey: string }
  | { type: 'oauth'; clientId: string; clientSecret: string; tokenUrl?: string }

/**
 * Vectara's sources disagree on the token URL (this form-encoded RFC 6749 one, or JSON to
 * `/oauth/token`), so it is configurable (docs/vectara-api.md#oauth-client-credentials).
 */
export const DEFAULT_TOKEN_URL = 'https://auth.vectara.io/oauth2/token'

/**
 * Vectara's JWTs last 30 minutes (docs/vectara-api.md#oauth-client-credentials); used when a
 * token answer omits expires_in.
 */
const DEFAULT_TOKEN_LIFETIME_S = 1800
/** Renew this long before expiry so a token never dies in flight. */
const REFRESH_MARGIN_MS = 60_000

/** Header values cannot hold control characters or spaces; say so before fetch quotes the value. */
export function checkCredentialText(value: string, what: string): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw new VectaraError('BAD_INPUT', `The ${what} is empty.`)
  }
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new VectaraError(
      'BAD_INPUT',
      `The ${what} contains spaces or characters that cannot be sent; paste it again without them.`
    )
  }
}

export class ApiKeyCredential implements Credential {
  constructor(private readonly apiKey: string) {
    checkCredentialText(apiKey, 'API key')
  }

  async headers(): Promise<Record<string, string>> {
    return { 'x-api-key': this.apiKey }
  }

  renewAfterUnauthorized(): boolean {
    return false
  }

  secrets(): string[] {
    return [this.apiKey]
  }
}

const TokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().nullish(),
  expires_in: z
    .union([z.number().positive(), z.string().regex(/^\d+$/).transform(Number)])
    .nullish()
})

export interface OAuthOptions {
  clientId: string
  clientSecret: string
  tokenUrl: URL
  http: HttpTransport
  now: () => number
}

/**
 * OAuth 2.0 client credentials. One token is cached until shortly before it expires; callers
 * that need a token while one is being fetched share that fetch.
 */
export class OAuthCredential implements Credential {
  private cached?: { token: string; refreshAt: number }
  private inflight?: Promise<string>
  /** Tokens this credential has held, so none can leak through server text. */
  private readonly issued: string[] = []

  constructor(private readonly options: OAuthOptions) {
    checkCredentialText(options.clientId, 'OAuth client ID')
    checkCredentialText(options.clientSecret, 'OAuth client secret')
  }

  async headers(signal?: AbortSignal): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.token(signal)}` }
  }

  renewAfterUnauthorized(used: Record<string, string>): boolean {
    const token = used.authorization?.replace(/^Bearer /, '')
    // Only drop the cache if it still holds the rejected token: a concurrent caller may
    // already have renewed it.
    if (this.cached && this.cached.token === token) this.cached = undefined
    return true
  }

  secrets(): string[] {
    return [this.options.clientSecret, ...this.issued]
  }

  private token(signal?: AbortSignal): Promise<string> {
    if (this.cached && this.options.now() < this.cached.refreshAt) {
      return Promise.resolve(this.cached.token)
    }
    if (!this.inflight) {
      this.inflight = this.fetchToken().finally(() => {
        this.inflight = undefined
      })
    }
    // The shared fetch is not tied to one caller's signal; each caller may stop waiting alone.
    return untilAborted(this.inflight, signal)
  }

  private async fetchToken(): Promise<string> {
    const { clientId, clientSecret, tokenUrl, http, now } = this.options
    const requestedAt = now()
    let answer: z.infer<typeof TokenAnswerSchema>
    try {
      answer = await http.json(
        {
          operation: 'oauth.token',
          method: 'POST',
          url: tokenUrl,
          form: {
            grant_type: 'client_credentials',
            client_id: clientId,
            client_secret: clientSecret
          },
          // Asking for another token twice is harmless, unlike creating an API key twice.
          retryable: true
        },
        TokenAnswerSchema
      )
    } catch (error) {
      throw explainTokenFailure(error)
    }
    const lifetimeMs = (answer.expires_in ?? DEFAULT_TOKEN_LIFETIME_S) * 1000
    const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2)
    this.cached = { token: answer.access_token, refreshAt: requestedAt + lifetimeMs - margin }
    this.issued.push(answer.access_token)
    if (this.issued.length > 4) this.issued.shift()
    return answer.access_token
  }
}

function explainTokenFailure(error: unknown): unknown {
  if (!(error instanceof VectaraError)) return error
  // RFC 6749 answers a bad client with 400 invalid_client or 401.
  if (error.status === 400 || error.status === 401) {
    return new VectaraError(
      'API_UNAUTHORIZED',
      `The OAuth token endpoint rejected the client ID or secret (HTTP ${error.status}).`,
      {
        status: error.status,
        messages: error.messages,
        requestId: error.requestId,
        attempts: error.attempts
      }
    )
  }
  return error
}

function untilAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise
  const cancelled = (): VectaraError =>
    new VectaraError('CANCELLED', 'The request was cancelled while waiting for an OAuth token.')
  if (signal.aborted) return Promise.reject(cancelled())
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(cancelled())
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      }
    )
  })
}
