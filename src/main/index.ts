import {
  app,
  clipboard,
  dialog,
  ipcMain,
  net,
  protocol,
  session,
  type BrowserWindow
} from 'electron'
import { pathToFileURL } from 'node:url'
import { join } from 'node:path'
import { createAppCore, type AppCore } from './core'
import { ElectronDesktop } from './electronDesktop'
import { forwardEvents, registerIpc } from './ipc'
import { privilegedAppScheme, resolveAppFile, responseHeadersFor } from './protocol'
import { APP_ORIGIN, APP_SCHEME } from './security'
import { runtimeProblem } from './runtimeGuard'
import { createMainWindow } from './window'

// better-sqlite3 loads its native addon lazily (on the first `new Database`), so checking here,
// before anything opens the database, is early enough.
const problem = runtimeProblem()

const isDev = !app.isPackaged && Boolean(process.env.ELECTRON_RENDERER_URL)
const rendererDir = join(import.meta.dirname, '../renderer')

// Must happen before `ready`: app:// gets a real origin, secure context and fetch support.
protocol.registerSchemesAsPrivileged([privilegedAppScheme])
app.enableSandbox()

export function denyAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false)
  )
  session.defaultSession.setPermissionCheckHandler(() => false)
  session.defaultSession.setDevicePermissionHandler(() => false)
}

export function registerAppProtocol(): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveAppFile(request.url, rendererDir)
    if (!file) return new Response('Not found', { status: 404 })
    const response = await net.fetch(pathToFileURL(file).toString())
    if (!response.ok) return new Response('Not found', { status: 404 })
    return new Response(response.body, { status: 200, headers: responseHeadersFor(file) })
  })
}

function start(): void {
  if (!app.requestSingleInstanceLock()) {
    app.quit()
    return
  }
  let mainWindow: BrowserWindow | undefined
  let core: AppCore | undefined

  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })

  app.whenReady().then(async () => {
    denyAllPermissions()
    registerAppProtocol()
    let started: AppCore
    try {
      started = await createAppCore({
        runtime: 'electron',
        appVersion: app.getVersion(),
        dataDir: app.getPath('userData'),
        clipboard: {
          writeText: (text) => clipboard.writeText(text),
          readText: () => clipboard.readText()
        },
        desktop: new ElectronDesktop(() => mainWindow)
      })
    } catch (error) {
      dialog.showErrorBox(
        'Vectara Key Manager could not start',
        error instanceof Error ? error.message : String(error)
      )
      app.exit(1)
      return
    }
    core = started
    const trustedOrigins = isDev
      ? [APP_ORIGIN, new URL(process.env.ELECTRON_RENDERER_URL!).origin]
      : [APP_ORIGIN]
    registerIpc(ipcMain, started.router, trustedOrigins)
    mainWindow = createMainWindow({
      preloadPath: join(import.meta.dirname, '../preload/index.cjs'),
      rendererUrl: isDev ? process.env.ELECTRON_RENDERER_URL! : `${APP_ORIGIN}/index.html`,
      isDev
    })
    forwardEvents(started.events, () => mainWindow?.webContents)
    mainWindow.on('closed', () => (mainWindow = undefined))
  })

  app.on('window-all-closed', () => app.quit())
  // Close the Sandbox and the database before the process goes, so the WAL is checkpointed.
  app.on('will-quit', (event) => {
    const closing = core
    if (!closing) return
    core = undefined
    event.preventDefault()
    void closing.close().finally(() => app.quit())
  })
}

if (problem) {
  void app.whenReady().then(() => {
    dialog.showErrorBox('Vectara Key Manager cannot start', problem)
    app.exit(1)
  })
} else {
  start()
}
