import type { CallInput, CallOutput } from '@shared/contract'
import {
  LastScanSchema,
  ScanOptionsSchema,
  type Finding,
  type LastScan,
  type ScanFolder,
  type ScanOptions,
  type ScanProgress,
  type ScanResults,
  type ScanState,
  type ScanSummary
} from '@shared/contract/scan'
import { AppError } from '@shared/errors'
import { maskSecret, redactSecrets } from '@shared/redact'
import type { StoredAccount } from '../../db/tables/accountsTable'
import type { ScanStampsTable } from '../../db/tables/scanStampsTable'
import type { FindingView, ScanFindingsTable } from '../../db/tables/scanFindingsTable'
import type { ScanFoldersTable } from '../../db/tables/scanFoldersTable'
import type { SettingsTable } from '../../db/tables/settingsTable'
import type { Desktop } from '../../desktop'
import type { Logger } from '../../log'
import type { EventBus } from '../../router'
import {
  closeScanThreads,
  prepareScanThreads,
  replaceInFile,
  runScan,
  secretFingerprint,
  type FileStamp,
  type ReplaceSkipReason,
  type ScanHooks,
  type ScanOptions as EngineOptions,
  type ScanProgress as EngineProgress,
  type ScanResult
} from '../../scan'
import type { SecretStore } from '../../secrets/secretStore'
import type { KeysService } from '../keysService'
import { accountCredentialKeyId } from '../keysService'
import type { VectaraClients } from '../vectaraClients'
import { checkedFolder } from './folderPath'
import { groupFindings, toFinding, type MaskSource } from './findingView'
import { matchFingerprints } from './matcher'
import { ScanRecorder, type FingerprintedFinding } from './recorder'

/** The scan engine, a seam so tests can hold a scan open or make it fail. */
export interface Scanner {
  run(options: EngineOptions, hooks: ScanHooks): Promise<ScanResult>
  prepare(): Promise<void>
  close(): Promise<void>
}

export const engineScanner: Scanner = {
  run: runScan,
  prepare: () => prepareScanThreads(),
  close: closeScanThreads
}

export interface ScanServiceDeps {
  folders: ScanFoldersTable
  stamps: ScanStampsTable
  findings: ScanFindingsTable
  settings: SettingsTable
  /** Runs work in one SQLite transaction. */
  transaction: (work: () => void) => void
  accounts: () => StoredAccount[]
  keys: KeysService
  secrets: SecretStore
  clients: VectaraClients
  desktop: Desktop
  events: EventBus
  logger: Logger
  scanner?: Scanner
  now?: () => number
}

/** Where a key was found, for rotation's "Replace in files" and Health. No secret, a mask. */
export interface KeyLocation {
  id: number
  path: string
  line: number
  column: number
  masked: string
  /** The chosen folder the file is in: replaceInFile never writes outside it. */
  root: string
  ignored: boolean
  /** What names the value on its line (`VECTARA_API_KEY=`), as the scan saw it. */
  context: string | null
}

/** One file's outcome of replaceInFiles, with the findings it covered and their lines. */
export type FileReplacement = { findingIds: number[]; lines: number[]; path: string | null } & (
  | { status: 'replaced'; occurrences: number }
  | {
      status: 'skipped'
      reason: ReplaceSkipReason | 'unknownFinding' | 'otherSecret'
      message: string
    }
)

const OPTIONS_SETTING = 'scan.options'
const LAST_SCAN_SETTING = 'scan.lastScan'
const DEFAULT_OPTIONS: ScanOptions = {
  skipGitObjects: true,
  skipNodeModules: true,
  skipLargeFiles: true
}
/** Progress events at most this often (the engine sends about ten a second). */
const PROGRESS_EVERY_MS = 100

interface Running {
  scanId: number
  startedAt: number
  controller: AbortController
  progress: ScanProgress
  done: Promise<void>
}

/**
 * The Scan view's service: chosen folders, options, one scan at a time in the engine's worker
 * threads, and what was found.
 *
 * No found secret is ever written anywhere. SQLite keeps, per finding, the file, line, column,
 * the kind (from the prefix), the context word, the matched account and key id, the secret's
 * SHA-256 fingerprint and the file's SHA-256 at scan time (scan_findings); per file its size and
 * modification time for rescans (scan_stamps). Not even the mask is stored: a matched key shows
 * the key list's own masked value (the same prefix…last 4), and an unknown secret shows the mask
 * computed when the file was read, held in memory by fingerprint for the session. After a
 * restart, the next scan reads the few files whose findings have no mask in memory again, even
 * when unchanged, so the table shows the last 4 again.
 */
export class ScanService {
  private readonly now: () => number
  private readonly scanner: Scanner
  private readonly recorder: ScanRecorder
  private readonly masks = new Map<string, string>()
  private running: Running | null = null
  private lastScan: LastScan | null | undefined
  private known: Map<string, FileStamp> | undefined
  private lastScanId = 0

  constructor(private readonly deps: ScanServiceDeps) {
    this.now = deps.now ?? Date.now
    this.scanner = deps.scanner ?? engineScanner
    this.recorder = new ScanRecorder(deps)
  }

  state(): ScanState {
    const last = this.last()
    return {
      folders: this.folderList(),
      options: this.options(),
      running: this.running ? this.running.progress : null,
      lastScan: last ? summaryOf(last) : null
    }
  }

  async prepare(): Promise<CallOutput<'scan.prepare'>> {
    try {
      await this.scanner.prepare()
      return { ready: true }
    } catch (error) {
      // The scan itself will say what is wrong; opening the view must not fail for it.
      this.deps.logger.warn('scan: could not start the scan threads ahead of a scan', error)
      return { ready: false }
    }
  }

  async chooseFolder(): Promise<CallOutput<'scan.chooseFolder'>> {
    const picked = await this.deps.desktop.chooseFolder()
    if (picked === null) return { added: null, folders: this.folderList() }
    return this.addFolder({ path: picked })
  }

  async addFolder(input: CallInput<'scan.addFolder'>): Promise<CallOutput<'scan.addFolder'>> {
    const path = await checkedFolder(input.path)
    if (this.deps.folders.byPath(path)) {
      const message = `${path} is already in the list`
      throw new AppError('CONFLICT', message, { fieldErrors: { path: message } })
    }
    const added = this.deps.folders.add(path, this.now())
    return { added, folders: this.folderList() }
  }

  removeFolder(folderId: number): CallOutput<'scan.removeFolder'> {
    this.refuseWhileRunning('remove a folder')
    if (!this.deps.folders.get(folderId)) {
      throw new AppError('NOT_FOUND', 'That folder is not in the list any more.')
    }
    const accounts = this.accountsWithFindings()
    this.deps.folders.remove(folderId)
    this.known = undefined
    this.announceKeys(accounts)
    return { folders: this.folderList() }
  }

  setOptions(options: ScanOptions): ScanOptions {
    this.deps.settings.set(OPTIONS_SETTING, JSON.stringify(options))
    return options
  }

  start(): CallOutput<'scan.start'> {
    this.refuseWhileRunning('start another')
    const folders = this.deps.folders.all()
    if (folders.length === 0) throw new AppError('BAD_INPUT', 'Add a folder to scan first.')
    const scanId = Math.max(this.lastScanId, this.last()?.scanId ?? 0) + 1
    this.lastScanId = scanId
    const controller = new AbortController()
    const progress: ScanProgress = {
      scanId,
      filesListed: 0,
      filesScanned: 0,
      filesUnchanged: 0,
      bytesScanned: 0,
      findings: 0,
      currentFolder: folders[0].path,
      listingDone: false
    }
    const running: Running = {
      scanId,
      startedAt: this.now(),
      controller,
      progress,
      done: Promise.resolve()
    }
    this.running = running
    running.done = this.scan(running)
    return { scanId }
  }

  cancel(): CallOutput<'scan.cancel'> {
    if (!this.running || this.running.controller.signal.aborted) return { cancelled: false }
    this.running.controller.abort(new AppError('CANCELLED', 'The scan was cancelled.'))
    return { cancelled: true }
  }

  results(): ScanResults {
    return {
      groups: groupFindings(this.deps.findings.all(), this.maskSource()),
      lastScan: this.last() ?? null
    }
  }

  ignore(findingId: number, ignored: boolean): Finding {
    const view = this.finding(findingId)
    this.deps.findings.setIgnored(findingId, ignored ? this.now() : null)
    return toFinding({ ...view, ignoredAt: ignored ? this.now() : null }, this.maskSource())
  }

  async showInFolder(findingId: number): Promise<CallOutput<'scan.showInFolder'>> {
    const { path } = this.finding(findingId)
    return { how: await this.deps.desktop.showItemInFolder(path), path }
  }

  async disableKey(findingId: number): Promise<CallOutput<'scan.disableKey'>> {
    const finding = toFinding(this.finding(findingId), this.maskSource())
    const match = finding.match
    if (!match) {
      throw new AppError(
        'BAD_INPUT',
        'This secret is none of your keys, so the app cannot disable it. Revoke it where it was issued.'
      )
    }
    if (match.keyId === null) {
      throw new AppError(
        'BAD_INPUT',
        `This is the credential the app signs in with for "${match.accountName}". Refresh its key list to see which key it is; disabling it would lock the app out.`
      )
    }
    const key = await this.deps.keys.setEnabled({
      accountId: match.accountId,
      keyId: match.keyId,
      enabled: false
    })
    return { accountId: match.accountId, key }
  }

  keyFiles(accountId: string, keyId: string): CallOutput<'scan.keyFiles'> {
    return {
      files: this.deps.findings.forKey(accountId, keyId).map((f) => ({
        findingId: f.id,
        path: f.path,
        line: f.line,
        column: f.column,
        ignored: f.ignoredAt !== null
      }))
    }
  }

  // ---- The port for rotation (issue 11) and Health (issue 13) ----

  /** Every place one key's secret was found, ignored ones too (they break all the same). */
  findingsForKey(accountId: string, keyId: string): KeyLocation[] {
    const source = this.maskSource()
    return this.deps.findings.forKey(accountId, keyId).map((view) => ({
      id: view.id,
      path: view.path,
      line: view.line,
      column: view.column,
      masked: toFinding(view, source).masked,
      root: view.folderPath,
      ignored: view.ignoredAt !== null,
      context: view.context
    }))
  }

  /** Per key id, the distinct files its secret was found in (the Keys list's badge). */
  fileCountsByKey(accountId: string): Map<string, number> {
    return this.deps.findings.fileCountsByKey(accountId)
  }

  /** Health's `HealthPorts.fileFindings`: per key, its kind and how many files hold it. */
  readonly fileFindings = {
    forAccount: (accountId: string) =>
      this.deps.findings.fileFindingsByKey(accountId).map((f) => ({ accountId, ...f }))
  }

  /**
   * Rotation's "Replace in files": in each file the findings name, swaps the old secret for the
   * new one (replaceInFile: whole tokens, atomic, only if the file is as the scan read it). Ids
   * that name no finding, or a finding of another secret, are reported and left alone. `newKey`
   * records whose the new secret is; without it the next scan matches it.
   */
  async replaceInFiles(
    findingIds: readonly number[],
    oldSecret: string,
    newSecret: string,
    newKey?: { accountId: string; keyId: string }
  ): Promise<FileReplacement[]> {
    const oldFingerprint = secretFingerprint(oldSecret)
    const newFingerprint = secretFingerprint(newSecret)
    const outcomes: FileReplacement[] = []
    const byPath = new Map<string, { view: FindingView; ids: number[]; lines: number[] }>()
    for (const id of new Set(findingIds)) {
      const view = this.deps.findings.get(id)
      if (!view) {
        outcomes.push(skipped([id], [0], null, 'unknownFinding', 'No such finding; scan again.'))
      } else if (view.fingerprint !== oldFingerprint) {
        const message = 'That finding is a different secret.'
        outcomes.push(skipped([id], [view.line], view.path, 'otherSecret', message))
      } else {
        const entry = byPath.get(view.path)
        if (entry) {
          entry.ids.push(id)
          entry.lines.push(view.line)
        } else byPath.set(view.path, { view, ids: [id], lines: [view.line] })
      }
    }
    for (const [path, { view, ids, lines }] of byPath) {
      const outcome = await replaceInFile({
        path,
        root: view.folderPath,
        expectedSha256: view.fileSha256,
        oldSecret,
        newSecret
      })
      if (outcome.status === 'skipped') {
        outcomes.push(skipped(ids, lines, path, outcome.reason, outcome.message))
        continue
      }
      this.masks.set(newFingerprint, maskSecret(newSecret))
      const owner = newKey ? { ...newKey, by: 'key' as const } : null
      this.deps.findings.replaced(path, oldFingerprint, newFingerprint, outcome.sha256, owner)
      outcomes.push({
        findingIds: ids,
        lines,
        path,
        status: 'replaced',
        occurrences: outcome.occurrences
      })
    }
    if (newKey) this.announceKeys(new Set([newKey.accountId]))
    return outcomes
  }

  /** Quit: stop a running scan and end the scan threads. */
  async close(): Promise<void> {
    const running = this.running
    running?.controller.abort(new AppError('CANCELLED', 'The app is closing.'))
    await running?.done
    await this.scanner.close()
  }

  // ---- The scan itself ----

  private async scan(running: Running): Promise<void> {
    const { scanId, controller } = running
    const folders = this.deps.folders.all()
    const known = this.knownStamps()
    let summary: LastScan
    try {
      const result = await this.scanner.run(
        { roots: folders.map((f) => f.path), ...this.options(), previous: this.reusable(known) },
        { signal: controller.signal, onProgress: this.progressReporter(running) }
      )
      const { found, fingerprints } = this.fingerprint(result)
      for (const { fingerprint } of this.deps.findings.unmatched()) fingerprints.add(fingerprint)
      const matched = await matchFingerprints(fingerprints, {
        accounts: this.deps.accounts,
        secrets: this.deps.secrets,
        clients: this.deps.clients,
        settings: this.deps.settings,
        logger: this.deps.logger
      })
      controller.signal.throwIfAborted()
      const before = this.accountsWithFindings()
      const touched = this.recorder.record({
        found,
        files: result.files,
        unchanged: result.unchanged,
        known,
        folders,
        owners: matched.owners,
        now: this.now()
      })
      this.known = new Map(result.files)
      summary = {
        ...this.summary(running, 'done', matched.problems),
        counts: result.counts,
        skipped: result.skipped,
        skippedTruncated: result.skippedTruncated
      }
      this.announceKeys(new Set([...before, ...touched]))
      this.deps.logger.info(
        `scan ${scanId}: ${result.counts.filesScanned} files read, ${result.counts.filesUnchanged} unchanged, ${found.length} secrets found, ${result.durationMs} ms`
      )
    } catch (error) {
      const cancelled = controller.signal.aborted
      if (!cancelled) this.deps.logger.warn(`scan ${scanId} failed`, error)
      const message = cancelled ? [] : [`The scan stopped: ${messageOf(error)}`]
      summary = {
        ...this.summary(running, cancelled ? 'cancelled' : 'failed', message),
        counts: null,
        skipped: [],
        skippedTruncated: false
      }
    }
    this.running = null
    this.lastScan = summary
    try {
      this.deps.settings.set(LAST_SCAN_SETTING, JSON.stringify(summary))
    } catch (error) {
      this.deps.logger.warn('scan: could not remember the last scan', error)
    }
    this.deps.events.emit('scan.finished', summaryOf(summary))
  }

  /** Hashes each found secret and keeps its mask in memory; the secret goes no further. */
  private fingerprint(result: ScanResult): {
    found: FingerprintedFinding[]
    fingerprints: Set<string>
  } {
    const fingerprints = new Set<string>()
    const found = result.findings.map((finding) => {
      const fingerprint = secretFingerprint(finding.secret)
      if (!this.masks.has(fingerprint)) this.masks.set(fingerprint, maskSecret(finding.secret))
      fingerprints.add(fingerprint)
      return {
        path: finding.path,
        line: finding.line,
        column: finding.column,
        kind: finding.kind,
        context: finding.context,
        fingerprint,
        fileSha256: finding.fileSha256
      }
    })
    // Nothing past this point holds the result's secrets.
    result.findings.length = 0
    return { found, fingerprints }
  }

  private progressReporter(running: Running): (progress: EngineProgress) => void {
    let sentAt = 0
    return (progress) => {
      running.progress = { ...progress, scanId: running.scanId }
      const at = Date.now()
      if (at - sentAt < PROGRESS_EVERY_MS && !progress.listingDone) return
      sentAt = at
      this.deps.events.emit('scan.progress', running.progress)
    }
  }

  /** The stamps a rescan may trust: not those of files whose findings need their mask again. */
  private reusable(known: Map<string, FileStamp>): Map<string, FileStamp> {
    const source = this.maskSource()
    const reread = new Set<string>()
    for (const view of this.deps.findings.all()) {
      if (!source.masks.has(view.fingerprint) && !view.keyMasked) reread.add(view.path)
    }
    if (reread.size === 0) return known
    const reusable = new Map(known)
    for (const path of reread) reusable.delete(path)
    return reusable
  }

  private knownStamps(): Map<string, FileStamp> {
    this.known ??= this.deps.stamps.all()
    return this.known
  }

  private summary(
    running: Running,
    outcome: ScanSummary['outcome'],
    messages: string[]
  ): Omit<ScanSummary, 'counts'> {
    return {
      scanId: running.scanId,
      outcome,
      messages,
      startedAt: running.startedAt,
      finishedAt: this.now(),
      findings: this.deps.findings.activeCount()
    }
  }

  private last(): LastScan | null {
    if (this.lastScan === undefined) {
      const stored = this.deps.settings.get(LAST_SCAN_SETTING)
      const parsed = stored ? LastScanSchema.safeParse(safeJson(stored)) : undefined
      this.lastScan = parsed?.success ? parsed.data : null
    }
    return this.lastScan
  }

  private options(): ScanOptions {
    const stored = this.deps.settings.get(OPTIONS_SETTING)
    const parsed = stored ? ScanOptionsSchema.safeParse(safeJson(stored)) : undefined
    return parsed?.success ? parsed.data : DEFAULT_OPTIONS
  }

  private folderList(): ScanFolder[] {
    return this.deps.folders.all()
  }

  private finding(id: number): FindingView {
    const view = this.deps.findings.get(id)
    if (!view) throw new AppError('NOT_FOUND', 'That finding is gone. Scan again.')
    return view
  }

  private maskSource(): MaskSource {
    return {
      masks: this.masks,
      credentialKeyId: (accountId) => accountCredentialKeyId(this.deps.settings, accountId)
    }
  }

  private accountsWithFindings(): Set<string> {
    const accounts = new Set<string>()
    for (const account of this.deps.accounts()) {
      if (this.deps.findings.fileCountsByKey(account.id).size > 0) accounts.add(account.id)
    }
    return accounts
  }

  /** The Keys list's "in N files" badges changed for these accounts. */
  private announceKeys(accountIds: Set<string>): void {
    for (const accountId of accountIds) this.deps.events.emit('keys.changed', { accountId })
  }

  private refuseWhileRunning(action: string): void {
    if (this.running) {
      throw new AppError('CONFLICT', `A scan is running. Wait for it or cancel it to ${action}.`)
    }
  }
}

function summaryOf(last: LastScan): ScanSummary {
  return {
    scanId: last.scanId,
    outcome: last.outcome,
    messages: last.messages,
    startedAt: last.startedAt,
    finishedAt: last.finishedAt,
    counts: last.counts,
    findings: last.findings
  }
}

function skipped(
  findingIds: number[],
  lines: number[],
  path: string | null,
  reason: ReplaceSkipReason | 'unknownFinding' | 'otherSecret',
  message: string
): FileReplacement {
  return { findingIds, lines, path, status: 'skipped', reason, message }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

function messageOf(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : 'unknown error')
}
