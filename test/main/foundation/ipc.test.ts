import { describe, expect, it, vi } from 'vitest'
import { callNames, EVENT_CHANNEL } from '@shared/contract'
import { forwardEvents, registerIpc } from '../../../src/main/ipc'
import { EventBus, Router, type Handlers } from '../../../src/main/router'

type Listener = (event: unknown, input: unknown) => Promise<unknown>

function setup() {
  const listeners = new Map<string, Listener>()
  const ipcMain = {
    handle: vi.fn((name: string, listener: Listener) => listeners.set(name, listener)),
    removeHandler: vi.fn((name: string) => listeners.delete(name))
  }
  const handler = vi.fn(() => ({
    appVersion: '1',
    platform: 'linux',
    runtime: 'electron' as const,
    keychain: { available: true, backend: 'memory' },
    database: { path: '/x', schemaVersion: 1 }
  }))
  const router = new Router({ 'app.status': handler } as unknown as Handlers)
  const dispose = registerIpc(ipcMain, router, ['app://vkm'])
  return { listeners, ipcMain, handler, dispose }
}

const topFrame = (url: string) => ({ senderFrame: { url, parent: null } })

describe('registerIpc', () => {
  it('answers calls from the app window top frame', async () => {
    const { listeners, handler } = setup()
    const result = await listeners.get('app.status')!(
      topFrame('app://vkm/index.html#/keys'),
      undefined
    )
    expect(result).toMatchObject({ ok: true })
    expect(handler).toHaveBeenCalledOnce()
  })

  it.each([
    ['a foreign https page', topFrame('https://evil.example/')],
    ['a file:// page', topFrame('file:///tmp/index.html')],
    ['a look-alike app host', topFrame('app://vkm.evil/index.html')],
    ['a subframe of the app', { senderFrame: { url: 'app://vkm/index.html', parent: {} } }],
    ['a frame that navigated away (null)', { senderFrame: null }],
    ['a missing URL', { senderFrame: { url: '', parent: null } }]
  ])('refuses %s without running the handler', async (_label, event) => {
    const { listeners, handler } = setup()
    const result = await listeners.get('app.status')!(event, undefined)
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN_SENDER' } })
    expect(handler).not.toHaveBeenCalled()
  })

  it('validates the payload after the sender check', async () => {
    const { listeners, handler } = setup()
    const result = await listeners.get('app.status')!(topFrame('app://vkm/index.html'), { junk: 1 })
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    expect(handler).not.toHaveBeenCalled()
  })

  it('can remove every handler it registered', () => {
    const { ipcMain, dispose, listeners } = setup()
    dispose()
    expect(ipcMain.removeHandler).toHaveBeenCalledTimes(callNames.length)
    expect(listeners.size).toBe(0)
  })
})

describe('forwardEvents', () => {
  it('sends validated envelopes on the single event channel, and skips destroyed windows', () => {
    const bus = new EventBus()
    const send = vi.fn()
    let destroyed = false
    forwardEvents(bus, () => ({ isDestroyed: () => destroyed, send }) as never)
    bus.emit('app.notice', { level: 'warning', message: 'Database recovered' })
    expect(send).toHaveBeenCalledWith(EVENT_CHANNEL, {
      name: 'app.notice',
      payload: { level: 'warning', message: 'Database recovered' }
    })
    destroyed = true
    bus.emit('app.notice', { level: 'info', message: 'later' })
    expect(send).toHaveBeenCalledTimes(1)
  })
})
