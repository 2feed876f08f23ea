import { replaceInFile, secretFingerprint, type ReplaceOutcome } from '../scan'
import type { KeyFiles, KeyLocations, ReplaceReport } from './keyLocations'

/**
 * One finding as the scanner's store keeps it (issue 12): where, which key, and what the file
 * was when scanned. No secret: its fingerprint (SHA-256) only.
 */
export interface ScannedFinding {
  id: string
  accountId: string
  keyId: string
  /** Absolute, as the scan read it. */
  path: string
  /** The scanned folder it was found under: a replacement never writes outside it. */
  root: string
  line: number
  column: number
  /** `secretFingerprint` of the secret found. */
  fingerprint: string
  /** SHA-256 of the file's bytes as scanned: a file changed since is skipped. */
  fileSha256: string
  /** `zqt_…Ab3d`. */
  maskedValue: string
  /** What names the value on its line (`VECTARA_API_KEY=`, `x-api-key:`), as the scan saw it. */
  context?: string | null
}

/** What rotation needs from the scanner's store; issue 12 implements it over its findings table. */
export interface ScanFindings {
  /** This key's findings; null when no scan has run on this machine yet. */
  forKey(accountId: string, keyId: string): Promise<ScannedFinding[] | null>
  byId(id: string): Promise<ScannedFinding | undefined>
  /** A replacement rewrote the file: it now holds another secret, with this content hash. */
  replaced(findingIds: string[], fileSha256: string): Promise<void>
}

/**
 * "Replace in files" over the scanner's own findings, with its exact, atomic replaceInFile.
 * The ids come from the renderer and are only looked up: a path is never taken from outside,
 * and a finding whose secret is not the old key's is skipped, so no file another scan result
 * points at is ever touched by this rotation.
 */
export class ScannedKeyLocations implements KeyLocations {
  constructor(private readonly findings: ScanFindings) {}

  async findingsForKey(accountId: string, keyId: string): Promise<KeyFiles> {
    const found = await this.findings.forKey(accountId, keyId)
    if (found === null) return { scanned: false, locations: [] }
    return {
      scanned: true,
      locations: found.map((f) => ({
        findingId: f.id,
        path: f.path,
        line: f.line,
        column: f.column,
        maskedValue: f.maskedValue,
        ...(f.context ? { preview: `${f.context}${f.maskedValue}`.slice(0, 300) } : {})
      }))
    }
  }

  async replaceInFiles(
    findingIds: string[],
    oldSecret: string,
    newSecret: string
  ): Promise<ReplaceReport> {
    const report: ReplaceReport = { replaced: [], skipped: [] }
    const oldFingerprint = secretFingerprint(oldSecret)
    // One replacement per file covers every occurrence in it; its findings share the outcome.
    const byFile = new Map<string, ScannedFinding[]>()
    for (const id of new Set(findingIds)) {
      const finding = await this.findings.byId(id)
      if (!finding) {
        report.skipped.push({
          findingId: id,
          path: '',
          reason: 'No scan on this machine found that.'
        })
      } else if (finding.fingerprint !== oldFingerprint) {
        report.skipped.push({
          findingId: id,
          path: finding.path,
          reason: 'That file holds another key, not the one being rotated.'
        })
      } else {
        const key = `${finding.root}\u0000${finding.path}`
        byFile.set(key, [...(byFile.get(key) ?? []), finding])
      }
    }
    for (const group of byFile.values()) {
      const first = group[0]
      const outcome = await replaceInFile({
        path: first.path,
        root: first.root,
        expectedSha256: first.fileSha256,
        oldSecret,
        newSecret
      }).catch((error: unknown): ReplaceOutcome => ({
        status: 'skipped',
        path: first.path,
        reason: 'failed',
        // replaceInFile refuses malformed requests (a relative path, a bad hash) with a TypeError.
        message: error instanceof TypeError ? error.message : 'Could not replace in this file.'
      }))
      if (outcome.status === 'replaced') {
        await this.findings.replaced(
          group.map((f) => f.id),
          outcome.sha256
        )
        for (const f of group)
          report.replaced.push({
            findingId: f.id,
            path: f.path,
            line: f.line,
            occurrences: outcome.occurrences
          })
      } else {
        for (const f of group)
          report.skipped.push({ findingId: f.id, path: f.path, reason: outcome.message })
      }
    }
    return report
  }
}
