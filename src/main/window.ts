import { BrowserWindow, shell, type WebContents } from 'electron'
import { openExternalLink } from './externalLinks'
import { shouldBlockNavigation } from './security'

export interface MainWindowOptions {
  preloadPath: string
  /** app://vkm/index.html in production; the dev server's URL in development. */
  rendererUrl: string
  isDev: boolean
}

/** Navigation, new windows and webviews: nothing leaves the app's own page. */
export function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (shouldBlockNavigation(url)) event.preventDefault()
  })
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    openExternalLink(url, shell)
    return { action: 'deny' }
  })
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  // The preferences are written out here, as literals, so reviewers and Electronegativity's
  // static checks see them; test/main/foundation/window.test.ts asserts every one.
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Vectara Key Manager',
    autoHideMenuBar: true,
    webPreferences: {
      preload: options.preloadPath,
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
      // Middle-click would otherwise open links in a new window.
      disableBlinkFeatures: 'Auxclick',
      devTools: options.isDev,
      spellcheck: false
    }
  })
  hardenWebContents(window.webContents)
  window.once('ready-to-show', () => window.show())
  void window.loadURL(options.rendererUrl)
  return window
}
