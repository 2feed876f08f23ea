import { describe, expect, it } from 'vitest'
import { VectaraClient } from '../../../src/main/vectara/client'
import { VectaraError } from '../../../src/main/vectara/errors'
import {
  buildUrl,
  checkServiceUrl,
  isLoopbackHost,
  pathSegment
} from '../../../src/main/vectara/urlPolicy'

function rejection(run: () => unknown): VectaraError {
  try {
    run()
  } catch (error) {
    if (error instanceof VectaraError) return error
    throw error
  }
  throw new Error('expected a VectaraError')
}

describe('checkServiceUrl', () => {
  it('accepts https anywhere and http on loopback only', () => {
    expect(checkServiceUrl('https://api.vectara.io', 'base').href).toBe('https://api.vectara.io/')
    for (const ok of [
      'http://127.0.0.1:4000',
      'http://127.8.9.10',
      'http://localhost:3000/v',
      'http://[::1]:8080',
      'HTTP://LOCALHOST'
    ]) {
      expect(() => checkServiceUrl(ok, 'base'), ok).not.toThrow()
    }
  })

  it('refuses plain http to any other host with a clear message', () => {
    for (const bad of [
      'http://api.vectara.io',
      'http://10.0.0.1',
      'http://0.0.0.0:80',
      'http://128.0.0.1',
      'http://localhost.evil.com',
      'http://[::2]'
    ]) {
      const error = rejection(() => checkServiceUrl(bad, 'API base URL'))
      expect(error.code, bad).toBe('BAD_INPUT')
      expect(error.message).toMatch(/plain http.*https/)
    }
  })

  it('refuses other schemes, garbage, credentials and query strings', () => {
    expect(rejection(() => checkServiceUrl('ftp://x.io', 'base')).message).toMatch(/https/)
    expect(rejection(() => checkServiceUrl('not a url', 'base')).message).toMatch(/not a valid URL/)
    const withPassword = rejection(() => checkServiceUrl('https://me:hunter2@x.io', 'base'))
    expect(withPassword.message).toMatch(/user name or password/)
    expect(withPassword.message).not.toContain('hunter2')
    expect(rejection(() => checkServiceUrl('https://x.io/?k=1', 'base')).message).toMatch(/query/)
  })

  it('is enforced by the client for the base URL and the OAuth token URL', () => {
    const byBase = rejection(
      () =>
        new VectaraClient({
          baseUrl: 'http://example.com',
          auth: { type: 'api_key', apiKey: 'zqt_abc' }
        })
    )
    expect(byBase.message).toMatch(/API base URL http:\/\/example\.com uses plain http/)
    const byToken = rejection(
      () =>
        new VectaraClient({
          baseUrl: 'https://api.vectara.io',
          auth: {
            type: 'oauth',
            clientId: 'id',
            clientSecret: 's3cret',
            tokenUrl: 'http://auth.example.com/t'
          }
        })
    )
    expect(byToken.message).toMatch(/OAuth token URL/)
  })
})

describe('isLoopbackHost', () => {
  it('knows 127.0.0.0/8, ::1 and localhost', () => {
    expect(isLoopbackHost('127.0.0.1')).toBe(true)
    expect(isLoopbackHost('127.255.255.254')).toBe(true)
    expect(isLoopbackHost('[::1]')).toBe(true)
    expect(isLoopbackHost('localhost')).toBe(true)
    expect(isLoopbackHost('127.0.0.256')).toBe(false)
    expect(isLoopbackHost('127.0.0')).toBe(false)
    expect(isLoopbackHost('example.com')).toBe(false)
  })
})

describe('pathSegment', () => {
  it('percent-encodes ids', () => {
    expect(pathSegment('doc/123', 'id')).toBe('doc%2F123')
    expect(pathSegment('a b?c#d%', 'id')).toBe('a%20b%3Fc%23d%25')
    expect(pathSegment('ünï', 'id')).toBe('%C3%BCn%C3%AF')
  })

  it('refuses empty ids and dot segments, which URLs would resolve to another endpoint', () => {
    expect(rejection(() => pathSegment('', 'document ID')).message).toMatch(/document ID is empty/)
    expect(rejection(() => pathSegment('..', 'document ID')).code).toBe('BAD_INPUT')
    expect(rejection(() => pathSegment('.', 'document ID')).code).toBe('BAD_INPUT')
    // Anything else containing dots is an ordinary id.
    expect(pathSegment('...', 'id')).toBe('...')
  })
})

describe('buildUrl', () => {
  it('keeps a base path prefix and adds only defined query values', () => {
    const base = new URL('https://proxy.example.com/vectara/')
    const url = buildUrl(base, '/v2/api_keys', {
      limit: 100,
      page_key: undefined,
      corpus_key: 'a b'
    })
    expect(url.href).toBe('https://proxy.example.com/vectara/v2/api_keys?limit=100&corpus_key=a+b')
  })
})
