import { z } from 'zod'
import { defineCall } from './define'
import { KeyKindSchema, KeyRowSchema } from './keys'

/**
 * The folder scanner (issue 12). Every action on a finding names it by its id: main resolves the
 * path itself, so the renderer can never point main at a file. Secrets never cross: a finding
 * carries its masked form (`zqt_…Ab3d`) only.
 */

export const ScanFolderSchema = z.object({
  id: z.number().int(),
  /** Absolute path, as main resolved it. */
  path: z.string(),
  addedAt: z.number()
})
export type ScanFolder = z.infer<typeof ScanFolderSchema>

export const ScanOptionsSchema = z.object({
  skipGitObjects: z.boolean(),
  skipNodeModules: z.boolean(),
  /** Files over 10 MB. */
  skipLargeFiles: z.boolean()
})
export type ScanOptions = z.infer<typeof ScanOptionsSchema>

export const ScanProgressSchema = z.object({
  scanId: z.number().int(),
  filesListed: z.number().int(),
  filesScanned: z.number().int(),
  /** Files not read again: their size and modification time are as at the last scan. */
  filesUnchanged: z.number().int(),
  bytesScanned: z.number(),
  findings: z.number().int(),
  currentFolder: z.string(),
  listingDone: z.boolean()
})
export type ScanProgress = z.infer<typeof ScanProgressSchema>

export const SkipReasonSchema = z.enum([
  'unreadable',
  'vanished',
  'special',
  'symlink',
  'tooLarge',
  'loop'
])
export type SkipReason = z.infer<typeof SkipReasonSchema>

export const ScanSkipSchema = z.object({
  path: z.string(),
  reason: SkipReasonSchema,
  /** The system's error code (`EACCES`, `EIO`…), when there was one. */
  code: z.string().optional()
})
export type ScanSkip = z.infer<typeof ScanSkipSchema>

export const ScanCountsSchema = z.object({
  filesListed: z.number().int(),
  filesScanned: z.number().int(),
  filesUnchanged: z.number().int(),
  bytesScanned: z.number(),
  /** A NUL byte in the first 8 KB: not searched. */
  binaryFiles: z.number().int(),
  foldersScanned: z.number().int(),
  /** `node_modules` and `.git/objects` folders left out by the options. */
  foldersExcluded: z.number().int(),
  skipped: z.record(SkipReasonSchema, z.number().int())
})
export type ScanCounts = z.infer<typeof ScanCountsSchema>

/** How a scan ended; `scan.finished` carries it, `scan.results` too (with the skipped list). */
export const ScanSummarySchema = z.object({
  scanId: z.number().int(),
  outcome: z.enum(['done', 'cancelled', 'failed']),
  /** Why it failed, or what could not be checked (e.g. an account's key list was unreachable). */
  messages: z.array(z.string()),
  startedAt: z.number(),
  finishedAt: z.number(),
  /** Counts of a finished scan; null when it was cancelled or failed. */
  counts: ScanCountsSchema.nullable(),
  /** Findings not ignored, after the scan. */
  findings: z.number().int()
})
export type ScanSummary = z.infer<typeof ScanSummarySchema>

export const LastScanSchema = ScanSummarySchema.extend({
  /** Files and folders not read, and why (capped per reason; `skippedTruncated` says so). */
  skipped: z.array(ScanSkipSchema),
  skippedTruncated: z.boolean()
})
export type LastScan = z.infer<typeof LastScanSchema>

/** `unlisted`: the key list here does not have it yet (refresh the Keys list). */
export const KeyStatusSchema = z.enum(['enabled', 'disabled', 'deleted', 'unlisted'])
export type KeyStatus = z.infer<typeof KeyStatusSchema>

/** Which of the user's keys a found secret is. */
export const FindingMatchSchema = z.object({
  accountId: z.string(),
  accountName: z.string(),
  /** null: the account's own credential, whose key id the key list has not shown. */
  keyId: z.string().nullable(),
  keyName: z.string(),
  kind: KeyKindSchema,
  status: KeyStatusSchema,
  /** The secret is the credential this app signs in with for the account. */
  accountCredential: z.boolean()
})
export type FindingMatch = z.infer<typeof FindingMatchSchema>

export const FindingSchema = z.object({
  id: z.number().int(),
  path: z.string(),
  /** The chosen folder the file was found in. */
  folder: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  /** `zqt_…Ab3d`; `zqt_…` alone until the file is read again after a restart (unknown keys). */
  masked: z.string(),
  /** From the secret's prefix. */
  kind: KeyKindSchema,
  /** The word that made it look like Vectara's (`VECTARA_API_KEY=`), when there was one. */
  context: z.string().nullable(),
  foundAt: z.number(),
  ignored: z.boolean(),
  /** null: an unknown key (none of the user's). */
  match: FindingMatchSchema.nullable()
})
export type Finding = z.infer<typeof FindingSchema>

export const FindingGroupSchema = z.object({
  /** `key:<account>:<key>`, `credential:<account>` or `unknown:<n>`. */
  id: z.string(),
  /** The key every finding in the group is; null: the same unknown secret. */
  match: FindingMatchSchema.nullable(),
  masked: z.string(),
  kind: KeyKindSchema,
  findings: z.array(FindingSchema)
})
export type FindingGroup = z.infer<typeof FindingGroupSchema>

export const ScanStateSchema = z.object({
  folders: z.array(ScanFolderSchema),
  options: ScanOptionsSchema,
  /** The running scan's last progress; null when none runs. */
  running: ScanProgressSchema.nullable(),
  lastScan: ScanSummarySchema.nullable()
})
export type ScanState = z.infer<typeof ScanStateSchema>

export const ScanResultsSchema = z.object({
  /** Known keys first (by account, then key name), then unknown secrets. */
  groups: z.array(FindingGroupSchema),
  lastScan: LastScanSchema.nullable()
})
export type ScanResults = z.infer<typeof ScanResultsSchema>

/** A file a key was found in, for the Disable and Delete dialogs. */
export const KeyFileSchema = z.object({
  findingId: z.number().int(),
  path: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  ignored: z.boolean()
})
export type KeyFile = z.infer<typeof KeyFileSchema>

const findingId = z.number({ error: 'A finding is named by its id' }).int().positive()
/** Strict: a call about a finding that also carries a path (or anything else) is refused. */
const findingRef = z.strictObject({ findingId })

export const scanCalls = {
  'scan.state': defineCall(z.undefined(), ScanStateSchema),
  /** The Scan view opened: start the scan threads so the first scan does not wait for them. */
  'scan.prepare': defineCall(z.undefined(), z.object({ ready: z.boolean() })),
  /** Electron: the OS folder picker, shown by main; null when the user cancelled. */
  'scan.chooseFolder': defineCall(
    z.undefined(),
    z.object({ added: ScanFolderSchema.nullable(), folders: z.array(ScanFolderSchema) })
  ),
  /** A folder typed by the user (the web harness has no picker); main checks it exists. */
  'scan.addFolder': defineCall(
    z.object({
      path: z.string().trim().min(1, 'Enter a folder').max(4096, 'That path is too long')
    }),
    z.object({ added: ScanFolderSchema, folders: z.array(ScanFolderSchema) })
  ),
  /** Forgets the folder and its findings. */
  'scan.removeFolder': defineCall(
    z.object({ folderId: z.number().int().positive() }),
    z.object({ folders: z.array(ScanFolderSchema) })
  ),
  'scan.setOptions': defineCall(ScanOptionsSchema, ScanOptionsSchema),
  /** Starts a scan of every listed folder; progress and the end come as events. */
  'scan.start': defineCall(z.undefined(), z.object({ scanId: z.number().int() })),
  'scan.cancel': defineCall(z.undefined(), z.object({ cancelled: z.boolean() })),
  'scan.results': defineCall(z.undefined(), ScanResultsSchema),
  /** Ignored until the file's content changes. */
  'scan.ignore': defineCall(z.strictObject({ findingId, ignored: z.boolean() }), FindingSchema),
  /** Electron: the file manager; the web harness copies the path instead (`how` says which). */
  'scan.showInFolder': defineCall(
    findingRef,
    z.object({ how: z.enum(['shown', 'copied']), path: z.string() })
  ),
  /** Disables the key the finding's secret belongs to. */
  'scan.disableKey': defineCall(findingRef, z.object({ accountId: z.string(), key: KeyRowSchema })),
  /** Where one key was found: the Disable and Delete dialogs list these files. */
  'scan.keyFiles': defineCall(
    z.object({ accountId: z.string().min(1), keyId: z.string().min(1) }),
    z.object({ files: z.array(KeyFileSchema) })
  )
}

export const scanEvents = {
  /** About ten times a second while a scan runs. Counts and a folder path only. */
  'scan.progress': ScanProgressSchema,
  'scan.finished': ScanSummarySchema
}
