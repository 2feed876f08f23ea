import type { FileScanner } from './fileScanner'
import type { BatchDone, ReadBatch } from './protocol'

/** Reads a batch of files and gathers what the lister needs to know about them. */
export function readBatch(
  scanner: FileScanner,
  batch: ReadBatch,
  isCancelled: () => boolean
): BatchDone {
  const done: BatchDone = {
    type: 'done',
    stampPaths: [],
    sizes: [],
    mtimes: [],
    unchanged: [],
    findings: [],
    skipped: [],
    filesScanned: 0,
    bytesScanned: 0,
    binaryFiles: 0,
    lastPath: null,
    cancelled: false
  }
  const bytesBefore = scanner.bytesRead
  for (let i = 0; i < batch.paths.length && !done.cancelled; i++) {
    if (isCancelled()) {
      done.cancelled = true
      break
    }
    const path = batch.paths[i]
    const outcome = scanner.scan(path, batch.previous[i] ?? undefined)
    done.lastPath = path
    if (outcome.kind === 'cancelled') {
      done.cancelled = true
    } else if (outcome.kind === 'skipped') {
      const { reason, code } = outcome
      done.skipped.push(code ? { path, reason, code } : { path, reason })
    } else {
      done.stampPaths.push(path)
      done.sizes.push(outcome.stamp.size)
      done.mtimes.push(outcome.stamp.mtimeMs)
      if (outcome.kind === 'unchanged') {
        done.unchanged.push(path)
        continue
      }
      done.filesScanned++
      if (outcome.kind === 'binary') {
        done.binaryFiles++
        continue
      }
      for (const match of outcome.matches) {
        done.findings.push({
          path,
          line: match.line,
          column: match.column,
          kind: match.kind,
          secret: match.secret,
          context: match.context,
          fileSha256: outcome.sha256 ?? ''
        })
      }
    }
  }
  done.bytesScanned = scanner.bytesRead - bytesBefore
  return done
}

export function cancelCheck(cancel: SharedArrayBuffer): () => boolean {
  const flag = new Int32Array(cancel)
  return () => Atomics.load(flag, 0) !== 0
}
