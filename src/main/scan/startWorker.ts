/**
 * Starts a scan worker from either form of the code:
 * - the electron-vite bundle: a `.js` file, started as it is;
 * - the TypeScript sources (vitest, tsx: tests, the web harness, `npm run bench`): Node runs the
 *   `.ts` file itself by stripping its types. Its imports are written without an extension, as
 *   everywhere in the project, so a resolve hook adds `.ts` to a relative import Node cannot find.
 *   That is all tsx would do here, and tsx in a worker costs a second to start; this costs nothing.
 */
import { Worker } from 'node:worker_threads'

const SOURCE_RESOLVE_HOOK = `
const { registerHooks } = require('node:module')
registerHooks({
  resolve(specifier, context, nextResolve) {
    try {
      return nextResolve(specifier, context)
    } catch (error) {
      if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !/^\\.\\.?\\//.test(specifier)) throw error
      return nextResolve(specifier + '.ts', context)
    }
  }
})
`

export function startWorker(entry: URL, workerData: unknown): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, { workerData })
  const bootstrap = `${SOURCE_RESOLVE_HOOK}\nimport(${JSON.stringify(entry.href)})\n`
  return new Worker(bootstrap, { eval: true, workerData })
}
