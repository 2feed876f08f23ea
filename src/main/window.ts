import { BrowserWindow, shell, type WebContents, type WebPreferences } from 'electron'
import { isAllowedExternalUrl, shouldBlockNavigation } from './security'

export interface MainWindowOptions {
  preloadPath: string
  /** app://vkm/index.html in production; the dev server's URL in development. */
  rendererUrl: string
  isDev: boolean
}

/** Every setting here is asserted by test/main/window.test.ts; removing one fails it. */
export function secureWebPreferences(preloadPath: string, isDev: boolean): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    devTools: isDev,
    spellcheck: false
  }
}

/** Navigation, new windows and webviews: nothing leaves the app's own page. */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (shouldBlockNavigation(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url)
    return { action: 'deny' }
  })
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Vectara Key Manager',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(options.preloadPath, options.isDev)
  })
  hardenWebContents(window.webContents)
  window.once('ready-to-show', () => window.show())
  void window.loadURL(options.rendererUrl)
  return window
}
