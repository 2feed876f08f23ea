/**
 * `npm run bench [-- <name-filter>]`: runs every `bench/*.bench.ts` in this one process and
 * prints one JSON object on stdout: { "<bench name>": { ...figures, targets, pass } }.
 * Progress goes to stderr so stdout stays machine-readable.
 *
 * A bench module exports `name` and `run(): Promise<BenchResult>`.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { exitOnRuntimeProblem } from '../src/main/runtimeGuard'

export interface BenchResult {
  /** Measured figures, in the unit their name says (…_ms, …_mb, …_ratio). */
  figures: Record<string, number>
  /** The target for each figure that has one: `{ figure: { max } }`. */
  targets?: Record<string, { max: number }>
}

exitOnRuntimeProblem()

const filter = process.argv[2]
const files = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !filter || f.includes(filter))
  .sort()

const report: Record<string, unknown> = {}
let failed = 0
for (const file of files) {
  const mod = (await import(pathToFileURL(join(import.meta.dirname, file)).href)) as {
    name: string
    run: () => Promise<BenchResult>
  }
  process.stderr.write(`bench: ${mod.name}…\n`)
  const started = performance.now()
  const result = await mod.run()
  const misses = Object.entries(result.targets ?? {})
    .filter(([figure, target]) => !(result.figures[figure] <= target.max))
    .map(([figure]) => figure)
  if (misses.length) failed++
  report[mod.name] = {
    ...result,
    meets_targets: misses.length === 0,
    missed: misses,
    wall_ms: Math.round(performance.now() - started)
  }
}
process.stdout.write(JSON.stringify(report, null, 2) + '\n')
process.exitCode = failed ? 1 : 0
