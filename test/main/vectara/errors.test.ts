import { describe, expect, it } from 'vitest'
import { AppError } from '@shared/errors'
import { Router, type Handlers } from '../../../src/main/router'
import {
  VectaraError,
  codeForStatus,
  describeForUser,
  errorFromResponse,
  scrubSecrets,
  toAppError,
  vectaraErrorMapper
} from '../../../src/main/vectara/errors'

describe('codeForStatus', () => {
  it('maps each documented status to its code', () => {
    expect(codeForStatus(400)).toBe('API_BAD_REQUEST')
    expect(codeForStatus(401)).toBe('API_UNAUTHORIZED')
    expect(codeForStatus(403)).toBe('API_FORBIDDEN')
    expect(codeForStatus(404)).toBe('API_NOT_FOUND')
    expect(codeForStatus(409)).toBe('API_CONFLICT')
    expect(codeForStatus(429)).toBe('API_RATE_LIMITED')
    expect(codeForStatus(415)).toBe('API_BAD_REQUEST')
    expect(codeForStatus(500)).toBe('API_SERVER_ERROR')
    expect(codeForStatus(504)).toBe('API_SERVER_ERROR')
    expect(codeForStatus(302)).toBe('API_INVALID_RESPONSE')
  })
})

describe('VectaraError', () => {
  it('redacts anything secret-shaped in every string it holds', () => {
    const error = new VectaraError('API_BAD_REQUEST', 'bad zqt_abcdefghijklmnop', {
      messages: ['key zwt_0123456789abcdef was refused', 'Bearer eyJhbGciOi.eyJzdWIi.sig'],
      fieldErrors: { name: 'zut_abcdefghijklmn is not a name' }
    })
    const all = JSON.stringify([error.message, error.messages, error.fieldErrors])
    expect(all).not.toMatch(
      /zqt_abcdefghijklmnop|zwt_0123456789abcdef|zut_abcdefghijklmn|eyJhbGciOi/
    )
    expect(all).toContain('[redacted]')
  })

  it('copies itself with extra details', () => {
    const error = new VectaraError('API_RATE_LIMITED', 'slow down', {
      status: 429,
      requestId: 'r1'
    })
    const copy = error.with({ attempts: 4, retryAfterMs: 9_000 })
    expect(copy).toBeInstanceOf(VectaraError)
    expect(copy).toMatchObject({
      code: 'API_RATE_LIMITED',
      status: 429,
      requestId: 'r1',
      attempts: 4,
      retryAfterMs: 9_000
    })
  })
})

describe('scrubSecrets', () => {
  it('removes exact known secrets even when they do not look like Vectara keys', () => {
    expect(scrubSecrets('client secret is Xy9-very-private ok', ['Xy9-very-private'])).toBe(
      'client secret is [redacted] ok'
    )
    // Too short to be a secret worth matching (would mangle ordinary text).
    expect(scrubSecrets('a b c', ['a'])).toBe('a b c')
  })
})

describe('toAppError', () => {
  it('maps a VectaraError to an AppError with status, request id, field errors and plain words', () => {
    const error = new VectaraError('API_UNAUTHORIZED', 'GET /v2/api_keys failed with HTTP 401', {
      status: 401,
      requestId: 'req-7',
      messages: ['Invalid API key']
    })
    const app = toAppError(error)
    expect(app).toBeInstanceOf(AppError)
    expect(app?.toShape()).toEqual({
      code: 'API_UNAUTHORIZED',
      status: 401,
      requestId: 'req-7',
      message:
        'The API rejected the credential (unknown, disabled or deleted key). Server: Invalid API key'
    })
  })

  it('carries field errors for a 400', () => {
    const error = new VectaraError('API_BAD_REQUEST', 'POST /v2/corpora failed with HTTP 400', {
      status: 400,
      fieldErrors: { key: 'must match pattern' }
    })
    expect(toAppError(error)?.toShape()).toMatchObject({
      code: 'API_BAD_REQUEST',
      fieldErrors: { key: 'must match pattern' },
      message: 'The API rejected the request as invalid.'
    })
  })

  it('leaves other errors to the next mapper', () => {
    expect(toAppError(new Error('boom'))).toBeUndefined()
    expect(toAppError('boom')).toBeUndefined()
  })

  it('words each code for a user', () => {
    expect(describeForUser(new VectaraError('API_NOT_FOUND', 'x', { id: 'my-corpus' }))).toBe(
      'The API could not find "my-corpus"; it may have been deleted.'
    )
    expect(
      describeForUser(new VectaraError('API_RATE_LIMITED', 'x', { retryAfterMs: 61_000 }))
    ).toBe('The API is limiting requests right now. Try again in 61 s.')
    expect(describeForUser(new VectaraError('API_TIMEOUT', 'x', { timeoutMs: 1500 }))).toBe(
      'The API did not answer within 1.5 s.'
    )
    expect(describeForUser(new VectaraError('API_SERVER_ERROR', 'x', { status: 503 }))).toMatch(
      /HTTP 503/
    )
    expect(describeForUser(new VectaraError('BAD_INPUT', 'The corpus key is empty.'))).toBe(
      'The corpus key is empty.'
    )
    const long = new VectaraError('API_FORBIDDEN', 'x', { messages: ['m'.repeat(1000)] })
    expect(describeForUser(long).length).toBeLessThan(500)
  })

  it('plugs into the router as an error mapper', async () => {
    const handlers = {
      'app.status': () => {
        throw new VectaraError('API_FORBIDDEN', 'GET /v2/api_keys failed with HTTP 403', {
          status: 403
        })
      }
    } as unknown as Handlers
    const router = new Router(handlers, { errorMappers: [vectaraErrorMapper] })
    const result = await router.invoke('app.status', undefined)
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'API_FORBIDDEN',
        status: 403,
        message:
          'The credential is valid but not allowed to do this (wrong key kind, or the corpus is outside its scope).'
      }
    })
  })
})

describe('errorFromResponse', () => {
  const read = (status: number, body: string): VectaraError =>
    errorFromResponse({
      request: 'GET /v2/x',
      status,
      body,
      scrub: (t) => t.replace('s3cr3t-value', '***')
    })

  it('reads a Vectara error body', () => {
    const error = read(
      404,
      JSON.stringify({ id: 'doc/1', messages: ['Document not found'], request_id: 'r1' })
    )
    expect(error).toMatchObject({
      code: 'API_NOT_FOUND',
      status: 404,
      id: 'doc/1',
      requestId: 'r1'
    })
    expect(error.message).toBe('GET /v2/x failed with HTTP 404: Document not found')
  })

  it('reads each field on its own, so one odd field does not lose the rest', () => {
    const error = read(
      400,
      JSON.stringify({
        messages: 'one string',
        request_id: 7,
        field_errors: { name: 'required', size: 3 }
      })
    )
    expect(error.messages).toEqual(['one string'])
    expect(error.requestId).toBeUndefined()
    expect(error.fieldErrors).toEqual({ name: 'required' })
  })

  it('reads gateway {message} and OAuth {error, error_description} bodies', () => {
    expect(read(403, '{"message":"Forbidden"}').messages).toEqual(['Forbidden'])
    expect(
      read(401, '{"error":"invalid_client","error_description":"bad s3cr3t-value"}').messages
    ).toEqual(['invalid_client', 'bad ***'])
  })

  it('gives no details for bodies that are not JSON objects', () => {
    for (const body of ['', '<html>502</html>', '[1,2]', 'null', '"text"']) {
      expect(read(502, body).messages, body).toEqual([])
    }
  })
})
