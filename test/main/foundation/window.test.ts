import { beforeEach, describe, expect, it, vi } from 'vitest'

const electron = vi.hoisted(() => {
  const contentsHandlers = new Map<string, (...args: unknown[]) => void>()
  let openHandler: ((details: { url: string }) => { action: string }) | undefined
  const webContents = {
    on: vi.fn((event: string, handler: (...args: unknown[]) => void) =>
      contentsHandlers.set(event, handler)
    ),
    setWindowOpenHandler: vi.fn((handler: typeof openHandler) => (openHandler = handler))
  }
  const BrowserWindow = vi.fn(function (this: Record<string, unknown>, options: unknown) {
    this.options = options
    this.webContents = webContents
    this.once = vi.fn()
    this.loadURL = vi.fn(async () => undefined)
  })
  return {
    BrowserWindow,
    shell: { openExternal: vi.fn(async () => undefined) },
    webContents,
    contentsHandlers,
    openHandler: () => openHandler
  }
})

vi.mock('electron', () => ({ BrowserWindow: electron.BrowserWindow, shell: electron.shell }))

const { createMainWindow } = await import('../../../src/main/window')

describe('createMainWindow', () => {
  beforeEach(() => {
    electron.contentsHandlers.clear()
    electron.shell.openExternal.mockClear()
  })

  type FakeWindow = {
    options: { webPreferences: Record<string, unknown> }
    loadURL: ReturnType<typeof vi.fn>
  }

  function open(isDev = false): FakeWindow {
    return createMainWindow({
      preloadPath: '/app/preload.cjs',
      rendererUrl: 'app://vkm/index.html',
      isDev
    }) as unknown as FakeWindow
  }

  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['experimentalFeatures', false],
    ['webviewTag', false],
    ['navigateOnDragDrop', false],
    ['disableBlinkFeatures', 'Auxclick'],
    ['preload', '/app/preload.cjs']
  ] as const)('creates the window with %s = %s', (setting, expected) => {
    expect(open().options.webPreferences[setting]).toBe(expected)
  })

  it('allows DevTools only in development', () => {
    expect(open(false).options.webPreferences.devTools).toBe(false)
    expect(open(true).options.webPreferences.devTools).toBe(true)
  })

  it('loads the app:// renderer', () => {
    expect(open().loadURL).toHaveBeenCalledWith('app://vkm/index.html')
  })

  it('blocks every navigation away from the page', () => {
    open()
    for (const url of ['https://evil.example/', 'app://vkm/other.html', 'file:///etc/passwd']) {
      const event = { preventDefault: vi.fn() }
      electron.contentsHandlers.get('will-navigate')!(event, url)
      expect(event.preventDefault).toHaveBeenCalled()
    }
  })

  it('blocks redirects and webviews', () => {
    open()
    for (const name of ['will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() }
      electron.contentsHandlers.get(name)!(event)
      expect(event.preventDefault).toHaveBeenCalled()
    }
  })

  it('denies every new window and opens only allowlisted https links externally', () => {
    open()
    const handler = electron.openHandler()!
    expect(handler({ url: 'https://console.vectara.com/' })).toEqual({ action: 'deny' })
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://console.vectara.com/')
    electron.shell.openExternal.mockClear()
    for (const url of [
      'http://docs.vectara.com/',
      'https://docs.vectara.com/docs/any-other-page',
      'https://evil.example/',
      'file:///etc/passwd',
      'javascript:alert(1)'
    ]) {
      expect(handler({ url })).toEqual({ action: 'deny' })
    }
    expect(electron.shell.openExternal).not.toHaveBeenCalled()
  })
})
