/**
 * `npm run harness -- [--port <n>] [--data <dir>] [--propagation-ms <n>] [--seed-keys <n>]`:
 * builds if needed, starts the real main-process
 * code behind a loopback endpoint, and prints exactly one JSON line on stdout:
 * {"url": "http://127.0.0.1:<port>/?token=...", "data_dir": "<dir>"}
 */
import { appendFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { exitOnRuntimeProblem } from '../../src/main/runtimeGuard'
import { buildApp, buildBridgeScript, RENDERER_DIR, rendererIsStale } from './build'
import { startHarness } from './server'

exitOnRuntimeProblem()

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    data: { type: 'string' },
    'propagation-ms': { type: 'string' },
    'seed-keys': { type: 'string' }
  },
  strict: true
})

const port = values.port === undefined ? 0 : Number(values.port)
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be a whole number from 0 to 65535, got "${values.port}"\n`)
  process.exit(2)
}

function wholeNumber(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  const value = Number(raw)
  if (!Number.isInteger(value) || value < 0) {
    process.stderr.write(`--${flag} must be a whole number, got "${raw}"\n`)
    process.exit(2)
  }
  return value
}
const propagationMs = wholeNumber('propagation-ms', values['propagation-ms'])
const seedKeys = wholeNumber('seed-keys', values['seed-keys'])

if (rendererIsStale()) buildApp()
const harness = await startHarness({
  port,
  dataDir: values.data,
  rendererDir: RENDERER_DIR,
  bridgeScript: await buildBridgeScript(),
  sandboxPropagationMs: propagationMs,
  sandboxSeedKeys: seedKeys
})
// A harness that dies takes every later test of its worker with it, and its stderr lives only
// in the test runner's memory: write why into its log first, then die as Node would.
const recordDeath = (what: string, error: unknown): void => {
  const detail = error instanceof Error ? (error.stack ?? error.message) : String(error)
  const line = `${new Date().toISOString()} FATAL ${what} | ${detail}`
  try {
    appendFileSync(harness.logFile, line + '\n')
  } catch {
    // The data folder is gone: stderr still has it.
  }
  process.stderr.write(line + '\n')
}
process.on('uncaughtException', (error) => {
  recordDeath('uncaught exception', error)
  process.exit(1)
})
process.on('unhandledRejection', (reason) => {
  recordDeath('unhandled promise rejection', reason)
  process.exit(1)
})

let stopping = false
const stop = (signal: string): void => {
  if (stopping) return
  stopping = true
  process.stderr.write(`harness: ${signal}, closing\n`)
  harness
    .close()
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      process.stderr.write(`harness: close failed: ${String(error)}\n`)
      process.exit(1)
    })
}
process.on('SIGINT', () => stop('SIGINT'))
process.on('SIGTERM', () => stop('SIGTERM'))
// Only now: whoever reads this line may stop the harness at once, and a SIGTERM that came
// before the handlers would end the process without closing the database.
process.stdout.write(JSON.stringify({ url: harness.url, data_dir: harness.dataDir }) + '\n')
