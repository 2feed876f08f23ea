import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { EventBus, Router, type Handlers } from '../../../src/main/router'
import { AppError } from '@shared/errors'
import type { AppStatus } from '@shared/contract/app'

const status: AppStatus = {
  appVersion: '1.2.3',
  platform: 'linux',
  runtime: 'harness',
  keychain: { available: true, backend: 'memory' },
  database: { path: '/tmp/x.db', schemaVersion: 1 }
}

function routerWith(handler: Handlers['app.status'], onUnexpectedError = vi.fn()): Router {
  return new Router({ 'app.status': handler } as unknown as Handlers, { onUnexpectedError })
}

describe('Router', () => {
  it('dispatches a valid call and returns ok with the validated value', async () => {
    const result = await routerWith(() => status).invoke('app.status', undefined)
    expect(result).toEqual({ ok: true, value: status })
  })

  it('rejects unknown call names without running anything', async () => {
    const handler = vi.fn(() => status)
    const result = await routerWith(handler).invoke('app.shutdown', undefined)
    expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } })
    expect(handler).not.toHaveBeenCalled()
  })

  it.each([
    ['a string', 'hello'],
    ['an object', { evil: true }],
    ['a number', 42],
    ['null', null]
  ])(
    'rejects malformed input (%s) with BAD_INPUT before the handler runs',
    async (_label, input) => {
      const handler = vi.fn(() => status)
      const result = await routerWith(handler).invoke('app.status', input)
      expect(result).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
      expect(handler).not.toHaveBeenCalled()
    }
  )

  it('rejects names that are not strings or that come from the prototype chain', async () => {
    const router = routerWith(() => status)
    for (const name of [undefined, 7, {}, '__proto__', 'toString', 'constructor']) {
      expect(await router.invoke(name, undefined)).toMatchObject({
        ok: false,
        error: { code: 'UNKNOWN_CALL' }
      })
    }
  })

  it('passes AppError codes, status and request id through unchanged', async () => {
    const router = routerWith(() => {
      throw new AppError('API_FORBIDDEN', 'Not allowed', { status: 403, requestId: 'req-1' })
    })
    expect(await router.invoke('app.status', undefined)).toEqual({
      ok: false,
      error: { code: 'API_FORBIDDEN', message: 'Not allowed', status: 403, requestId: 'req-1' }
    })
  })

  it('hides unexpected errors behind INTERNAL and reports them for the log', async () => {
    const onUnexpected = vi.fn()
    const router = routerWith(() => {
      throw new Error('secret zqt_abcdefghijklmnop leaked in a raw error')
    }, onUnexpected)
    const result = await router.invoke('app.status', undefined)
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } })
    expect(JSON.stringify(result)).not.toContain('zqt_')
    expect(onUnexpected).toHaveBeenCalledOnce()
  })

  it('uses error mappers before the generic fallback', async () => {
    class ClientError extends Error {}
    const router = new Router(
      {
        'app.status': () => {
          throw new ClientError('x')
        }
      } as unknown as Handlers,
      {
        errorMappers: [
          (e) => (e instanceof ClientError ? new AppError('NETWORK_ERROR', 'Offline') : undefined)
        ]
      }
    )
    expect(await router.invoke('app.status', undefined)).toMatchObject({
      ok: false,
      error: { code: 'NETWORK_ERROR', message: 'Offline' }
    })
  })

  it('refuses to return an answer that breaks the output contract', async () => {
    const onUnexpected = vi.fn()
    const router = routerWith(
      () => ({ ...status, appVersion: 5 }) as unknown as AppStatus,
      onUnexpected
    )
    expect(await router.invoke('app.status', undefined)).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' }
    })
    expect(onUnexpected).toHaveBeenCalled()
  })
})

describe('EventBus', () => {
  it('delivers validated payloads to subscribers until they unsubscribe', () => {
    const bus = new EventBus()
    const seen: unknown[] = []
    const off = bus.subscribe((name, payload) => seen.push([name, payload]))
    bus.emit('app.notice', { level: 'info', message: 'hello' })
    off()
    bus.emit('app.notice', { level: 'info', message: 'after' })
    expect(seen).toEqual([['app.notice', { level: 'info', message: 'hello' }]])
  })

  it('throws on a payload that breaks its schema, so bad pushes fail in main', () => {
    const bus = new EventBus()
    expect(() => bus.emit('app.notice', { level: 'loud', message: 1 } as never)).toThrow(z.ZodError)
    expect(() => bus.emit('nope' as never, {} as never)).toThrow(/Unknown event/)
  })
})
