/**
 * `npm run sandbox -- [--port <n>] [--data <dir>] [--personal-key <zut_…>] [--propagation-ms <n>]
 * [--seed-keys <n>] [--no-seed]`
 *
 * Prints exactly one JSON line on stdout, `{"url": …, "personal_key": …}`, so scripts can read
 * it; everything else goes to stderr. Serves until SIGINT or SIGTERM, then shuts down cleanly.
 */
import { parseArgs } from 'node:util'
import { exitOnRuntimeProblem } from '../main/runtimeGuard'

// Before anything loads better-sqlite3: on an old runtime it would crash instead of explaining.
exitOnRuntimeProblem()

const USAGE = `Usage: npm run sandbox -- [options]
  --port <n>             port to listen on (default 0: a free port)
  --data <dir>           persist data in this folder (default: in memory)
  --personal-key <zut_…> secret for the admin Personal key (default: generated)
  --propagation-ms <n>   delay before disable/enable/delete take effect (default 20000)
  --seed-keys <n>        extra Query/Index keys for scale tests (default 0)
  --no-seed              start without demo corpora, documents and sample keys
  --help                 show this help`

/** Longer than the Sandbox's own grace for in-flight requests (2 s). */
const SHUTDOWN_DEADLINE_MS = 5_000

/** Matches the app's default: Vectara takes about a minute; 20 s keeps demos brisk. */
const DEFAULT_PROPAGATION_MS = 20_000

class UsageError extends Error {}

interface CliOptions {
  port: number
  dataDir?: string
  personalKey?: string
  propagationMs: number
  seedKeys: number
  seed: boolean
}

function integerFlag(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw) || Number(raw) > max)
    throw new UsageError(`--${name} must be an integer from 0 to ${max}, got "${raw}"`)
  return Number(raw)
}

function parseCli(argv: string[]): CliOptions | 'help' {
  let values
  try {
    ;({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        data: { type: 'string' },
        'personal-key': { type: 'string' },
        'propagation-ms': { type: 'string' },
        'seed-keys': { type: 'string' },
        'no-seed': { type: 'boolean' },
        help: { type: 'boolean' }
      }
    }))
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error))
  }
  if (values.help) return 'help'
  const personalKey = values['personal-key']
  if (personalKey !== undefined && !/^zut_[A-Za-z0-9_-]{8,200}$/.test(personalKey)) {
    throw new UsageError(
      '--personal-key must be zut_ followed by at least 8 letters, digits, _ or -'
    )
  }
  if (values.data !== undefined && values.data.trim() === '')
    throw new UsageError('--data needs a folder path')
  return {
    port: integerFlag('port', values.port, 0, 65535),
    dataDir: values.data,
    personalKey,
    propagationMs: integerFlag(
      'propagation-ms',
      values['propagation-ms'],
      DEFAULT_PROPAGATION_MS,
      86_400_000
    ),
    seedKeys: integerFlag('seed-keys', values['seed-keys'], 0, 1_000_000),
    seed: !values['no-seed']
  }
}

async function main(): Promise<void> {
  let options: CliOptions | 'help'
  try {
    options = parseCli(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(`sandbox: ${(error as Error).message}\n\n${USAGE}\n`)
    process.exit(2)
  }
  if (options === 'help') {
    process.stderr.write(USAGE + '\n')
    return
  }
  const { startSandbox } = await import('./index')
  const started = performance.now()
  const sandbox = await startSandbox(options)
  process.stdout.write(
    JSON.stringify({ url: sandbox.url, personal_key: sandbox.personalKey }) + '\n'
  )
  process.stderr.write(
    `Vectara Sandbox listening on ${sandbox.url} (${options.dataDir ? `data in ${options.dataDir}` : 'in memory'}, ` +
      `propagation ${options.propagationMs} ms, ready in ${Math.round(performance.now() - started)} ms). ` +
      'Press Ctrl+C to stop.\n'
  )

  let stopping = false
  const stop = (signal: NodeJS.Signals): void => {
    // Signals can arrive twice for one Ctrl+C (the terminal's, then tsx's relayed copy), so a
    // repeat is ignored; the deadline below still bounds a shutdown that hangs.
    if (stopping) return
    stopping = true
    process.stderr.write(`sandbox: ${signal} received, shutting down\n`)
    setTimeout(() => {
      process.stderr.write('sandbox: shutdown took too long, exiting\n')
      process.exit(1)
    }, SHUTDOWN_DEADLINE_MS).unref()
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`sandbox: shutdown failed: ${(error as Error).message}\n`)
        process.exit(1)
      }
    )
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

main().catch((error: unknown) => {
  const code = (error as { code?: string }).code
  const hint = code === 'EADDRINUSE' ? ' (the port is in use; pick another with --port)' : ''
  process.stderr.write(`sandbox: could not start: ${(error as Error).message}${hint}\n`)
  process.exit(1)
})
