/**
 * better-sqlite3 13 is built for Node-API 10. On an older runtime it does not fail cleanly:
 * it crashes the process with a segmentation fault. So we refuse to start first, and say why.
 */
export const MIN_NODE_API = 10

export function runtimeProblem(
  versions: { napi?: string; node?: string } = process.versions
): string | null {
  const napi = Number.parseInt(versions.napi ?? '0', 10)
  if (Number.isFinite(napi) && napi >= MIN_NODE_API) return null
  return (
    `Vectara Key Manager needs Node-API ${MIN_NODE_API} or newer (Node.js 22.14+), ` +
    `but this runtime (Node.js ${versions.node ?? 'unknown'}) offers Node-API ${versions.napi ?? 'none'}. ` +
    'Install Node.js 24 LTS (see .nvmrc) and run the command again.'
  )
}

/** For command-line entry points: print the problem and exit before any native module loads. */
export function exitOnRuntimeProblem(): void {
  const problem = runtimeProblem()
  if (problem) {
    process.stderr.write(problem + '\n')
    process.exit(1)
  }
}
