import type { FileLocation, KeyFiles, ReplaceReport } from '@shared/contract/rotations'

export type { FileLocation, KeyFiles, ReplaceReport }

/**
 * The seam between rotation and the folder scanner (issue 12). Rotation asks where a key's
 * secret sits on this machine ("Files on this machine" in the plan) and has the old secret
 * replaced by the new one in findings the user picked ("Replace in files").
 *
 * Security rule: the renderer names findings by id only. An implementation writes nothing but
 * files its own scan found, and only where that finding holds `oldSecret`: an id it does not
 * know, or one found for another key, is skipped and reported, never resolved to some path.
 */
export interface KeyLocations {
  /** Where the scanner found this key's secret; `scanned: false` when no scan has looked. */
  findingsForKey(accountId: string, keyId: string): Promise<KeyFiles>
  /**
   * Replaces `oldSecret` by `newSecret` in each finding's file, exactly and atomically (a
   * temporary file beside it, then a rename; permissions kept). A file changed since the scan
   * is skipped and reported, never half-written.
   */
  replaceInFiles(
    findingIds: string[],
    oldSecret: string,
    newSecret: string,
    /** Whose the new secret is, so the files show as the new key's without another scan. */
    newKey?: { accountId: string; keyId: string }
  ): Promise<ReplaceReport>
}

/** For tests that leave the scanner out: nothing scanned, nothing written. */
export const noKeyLocations: KeyLocations = {
  async findingsForKey() {
    return { scanned: false, locations: [] }
  },
  async replaceInFiles(findingIds) {
    return {
      replaced: [],
      skipped: findingIds.map((findingId) => ({
        findingId,
        path: '',
        reason: 'No folder has been scanned on this machine.'
      }))
    }
  }
}
