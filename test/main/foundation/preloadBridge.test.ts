import { describe, expect, it, vi } from 'vitest'
import { createBridge } from '../../../src/preload/createBridge'
import { EVENT_CHANNEL } from '@shared/contract'

const goodStatus = {
  appVersion: '1',
  platform: 'linux',
  runtime: 'electron',
  keychain: { available: true, backend: 'memory' },
  database: { path: '/x', schemaVersion: 1 }
}

function fakeIpc(answer: unknown = { ok: true, value: goodStatus }) {
  const listeners = new Set<(event: unknown, envelope: unknown) => void>()
  return {
    listeners,
    invoke: vi.fn(async () => answer),
    on: vi.fn((_channel: string, listener: (event: unknown, envelope: unknown) => void) => {
      listeners.add(listener)
    }),
    removeListener: vi.fn(
      (_channel: string, listener: (event: unknown, envelope: unknown) => void) => {
        listeners.delete(listener)
      }
    )
  }
}

describe('preload bridge', () => {
  it('exposes only invoke and on, frozen', () => {
    const bridge = createBridge(fakeIpc() as never)
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on'])
    expect(Object.isFrozen(bridge)).toBe(true)
  })

  it('invokes the channel named after the call, with the validated input', async () => {
    const ipc = fakeIpc()
    const result = await createBridge(ipc as never).invoke('app.status', undefined)
    expect(ipc.invoke).toHaveBeenCalledWith('app.status', undefined)
    expect(result).toEqual({ ok: true, value: goodStatus })
  })

  it('never sends unknown calls or invalid input to main', async () => {
    const ipc = fakeIpc()
    const bridge = createBridge(ipc as never)
    expect(await bridge.invoke('shell.exec' as never, 'rm -rf /' as never)).toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CALL' }
    })
    expect(await bridge.invoke('app.status', { x: 1 } as never)).toMatchObject({
      ok: false,
      error: { code: 'BAD_INPUT' }
    })
    expect(ipc.invoke).not.toHaveBeenCalled()
  })

  it('rejects an answer from main that breaks the contract', async () => {
    const ipc = fakeIpc({ ok: true, value: { ...goodStatus, runtime: 'toaster' } })
    expect(await createBridge(ipc as never).invoke('app.status', undefined)).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' }
    })
  })

  it('delivers only valid payloads of the subscribed event and can unsubscribe', () => {
    const ipc = fakeIpc()
    const bridge = createBridge(ipc as never)
    const listener = vi.fn()
    const off = bridge.on('app.notice', listener)
    expect(ipc.on).toHaveBeenCalledWith(EVENT_CHANNEL, expect.any(Function))
    const emit = (envelope: unknown) => ipc.listeners.forEach((l) => l({}, envelope))
    emit({ name: 'app.notice', payload: { level: 'info', message: 'hi' } })
    emit({ name: 'app.notice', payload: { level: 'nope' } })
    emit({ name: 'other.event', payload: {} })
    expect(listener).toHaveBeenCalledOnce()
    expect(listener).toHaveBeenCalledWith({ level: 'info', message: 'hi' })
    off()
    expect(ipc.listeners.size).toBe(0)
  })

  it('refuses to subscribe to an unknown event', () => {
    expect(() => createBridge(fakeIpc() as never).on('nope' as never, () => {})).toThrow(
      /Unknown event/
    )
  })
})
