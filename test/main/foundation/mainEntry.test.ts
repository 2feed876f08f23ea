import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { callNames } from '@shared/contract'
import { APP_ORIGIN } from '../../../src/main/security'

/** A fake of the Electron surface src/main/index.ts touches; each test imports index afresh. */
function fakeElectron(lock: boolean) {
  const appHandlers = new Map<string, (...args: unknown[]) => void>()
  let ready!: () => void
  const readyPromise = new Promise<void>((resolve) => (ready = resolve))
  const window = {
    webContents: {
      on: vi.fn(),
      setWindowOpenHandler: vi.fn(),
      isDestroyed: () => false,
      send: vi.fn()
    },
    once: vi.fn(),
    on: vi.fn(),
    loadURL: vi.fn(async () => undefined),
    isMinimized: vi.fn(() => true),
    restore: vi.fn(),
    focus: vi.fn()
  }
  const fake = {
    app: {
      isPackaged: false,
      requestSingleInstanceLock: vi.fn(() => lock),
      quit: vi.fn(),
      exit: vi.fn(),
      enableSandbox: vi.fn(),
      whenReady: vi.fn(() => readyPromise),
      getVersion: vi.fn(() => '9.9.9'),
      getPath: vi.fn(() => mkdtempSync(join(tmpdir(), 'vkm-main-'))),
      on: vi.fn((event: string, handler: (...args: unknown[]) => void) =>
        appHandlers.set(event, handler)
      )
    },
    BrowserWindow: vi.fn(function () {
      return window
    }),
    dialog: { showErrorBox: vi.fn() },
    clipboard: { writeText: vi.fn(), readText: vi.fn(() => '') },
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
    net: { fetch: vi.fn() },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
        setDevicePermissionHandler: vi.fn()
      }
    },
    shell: { openExternal: vi.fn() }
  }
  return { fake, window, appHandlers, ready: () => ready() }
}

let current: ReturnType<typeof fakeElectron>

async function loadMain(lock = true): Promise<void> {
  current = fakeElectron(lock)
  vi.resetModules()
  vi.doMock('electron', () => current.fake)
  await import('../../../src/main/index')
}

async function becomeReady(): Promise<void> {
  current.ready()
  await vi.waitFor(() => expect(current.fake.BrowserWindow).toHaveBeenCalled(), { timeout: 15_000 })
}

beforeEach(() => {
  delete process.env.ELECTRON_RENDERER_URL
  process.env.VKM_KEYCHAIN_SERVICE = 'vectara-key-manager-test-unit'
})

afterEach(async () => {
  current.appHandlers.get('will-quit')?.({ preventDefault: () => {} })
  await vi
    .waitFor(() => expect(current.fake.app.quit).toHaveBeenCalled(), { timeout: 5000 })
    .catch(() => {})
  vi.doUnmock('electron')
})

describe('main process start-up', () => {
  it('quits at once when another instance holds the single-instance lock', async () => {
    await loadMain(false)
    expect(current.fake.app.requestSingleInstanceLock).toHaveBeenCalled()
    expect(current.fake.app.quit).toHaveBeenCalled()
    expect(current.fake.app.whenReady).not.toHaveBeenCalled()
  })

  it('focuses the existing window when a second instance starts', async () => {
    await loadMain()
    await becomeReady()
    current.appHandlers.get('second-instance')!()
    expect(current.window.restore).toHaveBeenCalled()
    expect(current.window.focus).toHaveBeenCalled()
  })

  it('registers app:// as a privileged standard, secure, code-cached scheme before ready, and enables the sandbox', async () => {
    await loadMain()
    expect(current.fake.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true, codeCache: true })
      })
    ])
    expect(current.fake.app.enableSandbox).toHaveBeenCalled()
  })

  it('denies every permission request and permission check', async () => {
    await loadMain()
    await becomeReady()
    const session = current.fake.session.defaultSession
    const request = session.setPermissionRequestHandler.mock.calls[0][0] as (
      ...a: unknown[]
    ) => void
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal'
    ]) {
      const callback = vi.fn()
      request({}, permission, callback)
      expect(callback).toHaveBeenCalledWith(false)
    }
    const check = session.setPermissionCheckHandler.mock.calls[0][0] as () => boolean
    expect(check()).toBe(false)
    const device = session.setDevicePermissionHandler.mock.calls[0][0] as () => boolean
    expect(device()).toBe(false)
  })

  it('serves the renderer through the app:// protocol, not file://', async () => {
    await loadMain()
    await becomeReady()
    expect(current.fake.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function))
    expect(current.window.loadURL).toHaveBeenCalledWith(`${APP_ORIGIN}/index.html`)
  })

  it('registers one IPC handler per contract call, and no others', async () => {
    await loadMain()
    await becomeReady()
    const registered = current.fake.ipcMain.handle.mock.calls.map((c) => c[0] as string)
    expect(registered.sort()).toEqual([...callNames].sort())
  })

  it('creates the window with DevTools off outside development', async () => {
    await loadMain()
    await becomeReady()
    const options = (current.fake.BrowserWindow.mock.calls[0] as unknown[])[0] as {
      webPreferences: { devTools: boolean; sandbox: boolean; contextIsolation: boolean }
    }
    expect(options.webPreferences).toMatchObject({
      devTools: false,
      sandbox: true,
      contextIsolation: true
    })
  })
})
