import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { build } from 'vite'

export const ROOT = resolve(import.meta.dirname, '../..')
export const RENDERER_DIR = join(ROOT, 'out/renderer')

/** True when the built renderer is missing or older than any file that goes into it. */
export function rendererIsStale(): boolean {
  const built = join(RENDERER_DIR, 'index.html')
  if (!existsSync(built)) return true
  const builtAt = statSync(built).mtimeMs
  const inputs = [
    join(ROOT, 'src/renderer'),
    join(ROOT, 'src/shared'),
    join(ROOT, 'electron.vite.config.ts')
  ]
  return inputs.some((input) => newestMtime(input) > builtAt)
}

function newestMtime(path: string): number {
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

/** Builds the app with electron-vite; its output goes to stderr so stdout stays one JSON line. */
export function buildApp(): void {
  const result = spawnSync(
    process.execPath,
    [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: ROOT,
      stdio: ['ignore', process.stderr, process.stderr]
    }
  )
  if (result.status !== 0)
    throw new Error(`electron-vite build failed with exit code ${result.status}`)
}

/** Bundles the harness bridge (createBridge + an HTTP transport) into one classic script. */
export async function buildBridgeScript(): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    root: ROOT,
    resolve: { alias: { '@shared': join(ROOT, 'src/shared') } },
    build: {
      write: false,
      minify: false,
      lib: {
        entry: join(ROOT, 'test/harness/bridge/index.ts'),
        formats: ['iife'],
        name: 'vkmHarnessBridge'
      },
      rolldownOptions: { external: ['electron'] }
    }
  })
  const results = Array.isArray(output) ? output : [output]
  for (const result of results) {
    if ('output' in result) {
      const chunk = result.output.find((item) => item.type === 'chunk')
      if (chunk && chunk.type === 'chunk') return chunk.code
    }
  }
  throw new Error('The harness bridge did not build.')
}
