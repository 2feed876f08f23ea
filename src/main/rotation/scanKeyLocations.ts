import type { ScanService } from '../services/scan/scanService'
import type { KeyFiles, KeyLocations, ReplaceReport } from './keyLocations'

type ScanPort = Pick<ScanService, 'state' | 'findingsForKey' | 'replaceInFiles'>

const NOT_OURS = 'No scan on this machine found that.'
const ANOTHER_KEY = 'That file holds another key, not the one being rotated.'

/**
 * Rotation's view of the folder scanner: "Files on this machine" are the scan's findings of the
 * old key, and "Replace in files" is the scan's own replacement, which resolves the renderer's
 * finding ids in its table and writes nothing else (an unknown id, or a finding of another
 * secret, is reported and left alone).
 */
export function scanKeyLocations(scan: ScanPort): KeyLocations {
  return {
    async findingsForKey(accountId, keyId): Promise<KeyFiles> {
      if (!scan.state().lastScan) return { scanned: false, locations: [] }
      return {
        scanned: true,
        locations: scan.findingsForKey(accountId, keyId).map((f) => ({
          findingId: String(f.id),
          path: f.path,
          line: f.line,
          column: f.column,
          maskedValue: f.masked,
          ...(f.context ? { preview: `${f.context}${f.masked}`.slice(0, 300) } : {})
        }))
      }
    },

    async replaceInFiles(findingIds, oldSecret, newSecret, newKey): Promise<ReplaceReport> {
      const report: ReplaceReport = { replaced: [], skipped: [] }
      const ids: number[] = []
      for (const id of findingIds) {
        // The scan's ids are whole numbers; anything else names no finding of ours.
        if (/^[1-9]\d{0,14}$/.test(id)) ids.push(Number(id))
        else report.skipped.push({ findingId: id, path: '', reason: NOT_OURS })
      }
      for (const outcome of await scan.replaceInFiles(ids, oldSecret, newSecret, newKey)) {
        const path = outcome.path ?? ''
        outcome.findingIds.forEach((id, i) => {
          const findingId = String(id)
          if (outcome.status === 'replaced') {
            const { occurrences } = outcome
            report.replaced.push({ findingId, path, line: outcome.lines[i], occurrences })
          } else {
            const reason =
              outcome.reason === 'unknownFinding'
                ? NOT_OURS
                : outcome.reason === 'otherSecret'
                  ? ANOTHER_KEY
                  : outcome.message
            report.skipped.push({ findingId, path, reason })
          }
        })
      }
      return report
    }
  }
}
