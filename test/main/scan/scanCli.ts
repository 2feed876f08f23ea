/**
 * Runs one scan in a process of its own and prints the result as JSON, for tests that need a
 * process unlike vitest's: root without the capabilities that let it read every file, or another
 * mount namespace (a bind-mount loop that must not leak to the host).
 * Usage: node --import tsx test/main/scan/scanCli.ts '<ScanOptions as JSON>'
 */
import { runScan } from '../../../src/main/scan/runScan'
import type { ScanOptions } from '../../../src/main/scan/types'

const options = JSON.parse(process.argv[2]) as ScanOptions
const result = await runScan(options)
process.stdout.write(JSON.stringify({ ...result, files: [...result.files.keys()] }))
