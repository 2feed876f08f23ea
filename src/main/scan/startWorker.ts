/**
 * Starts a scan worker from either form of the code:
 * - the electron-vite bundle: a `.js` file, started as it is;
 * - the TypeScript sources (vitest, tsx: tests, the web harness, `npm run bench`): the worker's
 *   modules, which all live in this folder and import nothing else but Node's, are stripped of
 *   their types here, once per process, and each worker loads that JavaScript through a module
 *   hook (which also adds the `.ts` the project's imports leave out). Node could strip the types in
 *   each worker itself, but that costs each thread a fresh WebAssembly compiler, several times
 *   the start of a plain worker; tsx in a worker costs a second.
 */
import { readdirSync, readFileSync } from 'node:fs'
import * as nodeModule from 'node:module'
import { setEnvironmentData, Worker, type Transferable } from 'node:worker_threads'

let strippedSources: Record<string, string> | undefined

/** The worker modules' JavaScript by file URL. */
function workerSources(folder: URL): Record<string, string> {
  if (strippedSources) return strippedSources
  const sources: Record<string, string> = {}
  const emitWarning = process.emitWarning
  // Node calls the stripper experimental and says so on stderr; here it only spares start-up
  // time in development. A file it cannot strip is left to Node's own loading.
  process.emitWarning = () => {}
  try {
    // Looked up, not imported by name: an Electron whose Node lacks it must still load this file.
    const strip = nodeModule.stripTypeScriptTypes
    for (const name of readdirSync(folder)) {
      if (!name.endsWith('.ts') || name.endsWith('.d.ts')) continue
      const url = new URL(name, folder)
      try {
        sources[url.href] = strip(readFileSync(url, 'utf8'))
      } catch {
        // Node's loader will strip it, or say why it cannot.
      }
    }
  } finally {
    process.emitWarning = emitWarning
  }
  return (strippedSources = sources)
}

const SOURCES_KEY = 'vkm-scan-worker-sources'

// Kept small: a worker compiles its eval code, and the sources travel as environment data.
const sourceBootstrap = (entry: URL): string => `
const { registerHooks } = require('node:module')
const sources = require('node:worker_threads').getEnvironmentData('${SOURCES_KEY}') ?? {}
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context)
    } catch (error) {
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !/^\\.\\.?\\//.test(specifier)) throw error
      return nextResolve(specifier + '.ts', context)
    }
  },
  load(url, context, nextLoad) {
    const source = sources[url]
    return source === undefined
      ? nextLoad(url, context)
      : { format: 'module', source, shortCircuit: true }
  }
})
import(${JSON.stringify(entry.href)})
`

export function startWorker(
  entry: URL,
  workerData: unknown,
  transferList: readonly Transferable[] = []
): Worker {
  const options = { workerData, transferList: [...transferList] }
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options)
  setEnvironmentData(SOURCES_KEY, workerSources(new URL('.', entry)))
  return new Worker(sourceBootstrap(entry), { ...options, eval: true })
}
