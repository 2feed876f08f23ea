/**
 * A fetch for the app core that can make Vectara (here the Sandbox) keep key secrets to itself:
 * while `withhold` is on, `secret_key` is dropped from every answer of `GET /v2/api_keys…`.
 * The API notes leave open whether list and get return it; the app must cope either way.
 */
export interface SecretWithholdingFetch {
  fetch: typeof fetch
  withhold: boolean
}

/** `inner` defaults to the global fetch of the moment of each call (tests may replace it). */
export function secretWithholdingFetch(inner?: typeof fetch): SecretWithholdingFetch {
  const control: SecretWithholdingFetch = {
    withhold: false,
    fetch: async (input, init) => {
      const response = await (inner ?? globalThis.fetch)(input, init)
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
      const method = (
        init?.method ?? (input instanceof Request ? input.method : 'GET')
      ).toUpperCase()
      if (
        !control.withhold ||
        method !== 'GET' ||
        !new URL(url).pathname.startsWith('/v2/api_keys')
      )
        return response
      if (!response.ok) return response
      const body = (await response.json()) as Record<string, unknown>
      const strip = (key: unknown): unknown => {
        if (!key || typeof key !== 'object') return key
        const { secret_key: _secret, ...rest } = key as Record<string, unknown>
        return rest
      }
      const reshaped = Array.isArray(body.api_keys)
        ? { ...body, api_keys: body.api_keys.map(strip) }
        : strip(body)
      const headers = new Headers(response.headers)
      headers.delete('content-length')
      return new Response(JSON.stringify(reshaped), { status: response.status, headers })
    }
  }
  return control
}
