import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import { ROOT } from '../harnessProcess'

/**
 * Runs the built app in real Electron. The electron npm package downloads its binary on first
 * use; where that binary is absent (machines that cannot reach the download host) these tests
 * are reported as skipped with that reason, never counted as passing.
 */
function electronBinary(): { path?: string; reason?: string } {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH
  const pathFile = join(ROOT, 'node_modules/electron/path.txt')
  if (!override && !existsSync(pathFile)) {
    return {
      reason:
        'No Electron binary: node_modules/electron/path.txt is missing (the binary was never downloaded).'
    }
  }
  const binary = override
    ? join(override, 'electron')
    : join(ROOT, 'node_modules/electron/dist', readFileSync(pathFile, 'utf8').trim())
  return existsSync(binary) ? { path: binary } : { reason: `No Electron binary at ${binary}.` }
}

const binary = electronBinary()
test.skip(!binary.path, `Electron suite did not run: ${binary.reason}`)

test('the packaged window is locked down and shows app.status', async () => {
  const app = await electron.launch({
    executablePath: binary.path,
    args: [join(ROOT, 'out/main/index.js')],
    env: { ...process.env, VKM_KEYCHAIN_SERVICE: 'vectara-key-manager-test' }
  })
  try {
    const window = await app.firstWindow()
    await expect(window.getByRole('navigation', { name: 'Main' })).toBeVisible()
    expect(window.url()).toMatch(/^app:\/\/vkm\//)
    await expect(window.getByTestId('status-version')).toContainText('electron')
    const exposed = await window.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      api: Object.keys((globalThis as unknown as { api: object }).api).sort()
    }))
    expect(exposed).toEqual({ require: 'undefined', process: 'undefined', api: ['invoke', 'on'] })
    await window.evaluate(() => globalThis.open('https://example.com/'))
    await window.waitForTimeout(500)
    expect(app.windows()).toHaveLength(1)
    const devToolsOpenable = await app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0].webContents
      contents.openDevTools()
      return contents.isDevToolsOpened()
    })
    expect(devToolsOpenable).toBe(false)
  } finally {
    await app.close()
  }
})
