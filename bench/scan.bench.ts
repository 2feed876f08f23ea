/**
 * The folder scanner against the best tool for the job: ripgrep (`rg -c`, two threads, hidden
 * and ignored files included as the scanner includes them, the same pattern), or `grep -rcE`
 * where rg is missing. 30,000 files, about 380 MB, read once first so both run from the page
 * cache. `scan_cold_ms` is the first scan, which starts the scan threads; `scan_ms` the median of
 * the next ones, which find them idle (runScan keeps them a minute), as a rescan does; run from
 * the sources, the first scan also strips the worker's types, which the app's bundle does not.
 * Runs alternate with ripgrep's, whose figure is the median of its runs.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BenchResult } from './run'
import { closeScanThreads, runScan } from '../src/main/scan/runScan'
import { writeScanTree } from './scanTree'

export const name = 'scan'

const RUNS = 5

/**
 * The detector's rule as one regular expression (its escape exceptions aside): a prefix that
 * starts a token, a body of exactly 38 or 40 key characters, then the token's end.
 */
const PATTERN = '(^|[^A-Za-z0-9_-])z[uqw]t_([A-Za-z0-9_-]{38}|[A-Za-z0-9_-]{40})([^A-Za-z0-9_-]|$)'

interface Tool {
  figure: 'ripgrep' | 'grep'
  run: (root: string) => number
}

function findTool(): Tool {
  const hasRg = spawnSync('rg', ['--version']).status === 0
  const search = (command: string, args: string[]): number => {
    const started = performance.now()
    const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
    const ms = performance.now() - started
    // Exit 1 means "no match", which would mean the planted keys went unseen.
    if (result.status !== 0)
      throw new Error(`${command} failed (${result.status}): ${result.stderr}`)
    return ms
  }
  return hasRg
    ? { figure: 'ripgrep', run: (root) => search('rg', ['-c', '-uu', '-j2', '-e', PATTERN, root]) }
    : { figure: 'grep', run: (root) => search('grep', ['-rcE', PATTERN, root]) }
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

export async function run(): Promise<BenchResult> {
  const root = mkdtempSync(join(tmpdir(), 'vkm-scan-bench-'))
  try {
    process.stderr.write('  writing 30,000 files…\n')
    const tree = writeScanTree(root)
    const tool = findTool()

    // Warm the page cache before timing anything.
    tool.run(root)
    tool.run(root)
    await closeScanThreads()
    let started = performance.now()
    let last = await runScan({ roots: [root] })
    const coldMs = performance.now() - started
    process.stderr.write(`  first scan (starts the threads): ${Math.round(coldMs)} ms\n`)

    const scanMs: number[] = []
    const toolMs: number[] = []
    for (let i = 0; i < RUNS; i++) {
      started = performance.now()
      last = await runScan({ roots: [root] })
      scanMs.push(performance.now() - started)
      started = performance.now()
      toolMs.push(tool.run(root))
      process.stderr.write(
        `  run ${i + 1}: scan ${Math.round(scanMs[i])} ms, ${tool.figure} ${Math.round(toolMs[i])} ms\n`
      )
    }

    const planted = new Set(tree.planted.map((p) => `${p.path}\0${p.secret}`))
    const found = new Set(last.findings.map((f) => `${f.path}\0${f.secret}`))
    const plantedFound = [...planted].filter((key) => found.has(key)).length
    const falsePositives = [...found].filter((key) => !planted.has(key)).length
    const scan = median(scanMs)
    const other = median(toolMs)
    const ratio = `scan_vs_${tool.figure}_ratio`
    return {
      figures: {
        files: last.counts.filesScanned,
        mb: Math.round(last.counts.bytesScanned / 1e5) / 10,
        scan_ms: Math.round(scan),
        scan_ms_best: Math.round(Math.min(...scanMs)),
        scan_cold_ms: Math.round(coldMs),
        [`${tool.figure}_ms`]: Math.round(other),
        [`${tool.figure}_ms_best`]: Math.round(Math.min(...toolMs)),
        [ratio]: Math.round((scan / other) * 100) / 100,
        planted: planted.size,
        planted_found: plantedFound,
        planted_missed: planted.size - plantedFound,
        false_positives: falsePositives
      },
      targets: {
        // ripgrep is the yardstick; grep, where rg is missing, is only a point of reference.
        ...(tool.figure === 'ripgrep' ? { [ratio]: { max: 2.5 } } : {}),
        planted_missed: { max: 0 },
        false_positives: { max: 0 }
      }
    }
  } finally {
    await closeScanThreads()
    rmSync(root, { recursive: true, force: true })
  }
}
