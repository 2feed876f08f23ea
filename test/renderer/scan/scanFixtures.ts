import type { AppStatus } from '@shared/contract/app'
import type { Finding, FindingGroup, ScanResults, ScanState } from '@shared/contract/scan'
import { createAppClient } from '@renderer/api/appClient'
import { createScanClient } from '@renderer/api/scanClient'
import { useAppStatusStore } from '@renderer/stores/appStatus'
import { useScanStore } from '@renderer/stores/scan'
import type { MockHandlers } from '../mockBridge'
import { NOW, setup } from '../fixtures'

export const FOLDER = '/home/me/projects'

export function status(runtime: AppStatus['runtime']): AppStatus {
  return {
    appVersion: '0.1.0',
    platform: 'linux',
    runtime,
    keychain: { available: true, backend: 'memory' },
    database: { path: '/tmp/vkm.db', schemaVersion: 4 }
  }
}

export function state(overrides: Partial<ScanState> = {}): ScanState {
  return {
    folders: [{ id: 1, path: FOLDER, addedAt: NOW }],
    options: { skipGitObjects: true, skipNodeModules: true, skipLargeFiles: true },
    running: null,
    lastScan: null,
    ...overrides
  }
}

let nextId = 1

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    id: nextId++,
    path: `${FOLDER}/app/.env`,
    folder: FOLDER,
    line: 2,
    column: 17,
    masked: 'zqt_…Ab3d',
    kind: 'query',
    context: 'VECTARA_API_KEY=',
    foundAt: NOW,
    ignored: false,
    match: {
      accountId: 'acc_1',
      accountName: 'Production',
      keyId: 'aky_1',
      keyName: 'website-search',
      kind: 'query',
      status: 'enabled',
      accountCredential: false
    },
    ...overrides
  }
}

export function group(findings: Finding[]): FindingGroup {
  const first = findings[0]
  return {
    id: first.match?.keyId
      ? `key:${first.match.accountId}:${first.match.keyId}`
      : `unknown:${first.id}`,
    match: first.match,
    masked: first.masked,
    kind: first.kind,
    findings
  }
}

export const doneScan = {
  scanId: 3,
  outcome: 'done' as const,
  messages: [],
  startedAt: NOW - 2000,
  finishedAt: NOW,
  counts: {
    filesListed: 12,
    filesScanned: 10,
    filesUnchanged: 2,
    bytesScanned: 40_000,
    binaryFiles: 1,
    foldersScanned: 3,
    foldersExcluded: 0,
    skipped: { unreadable: 1, vanished: 0, special: 0, symlink: 0, tooLarge: 0, loop: 0 }
  },
  findings: 0
}

export function results(groups: FindingGroup[], lastScan = doneScan): ScanResults {
  return {
    groups,
    lastScan: lastScan && {
      ...lastScan,
      skipped: [{ path: `${FOLDER}/secret.pem`, reason: 'unreadable', code: 'EACCES' }],
      skippedTruncated: false
    }
  }
}

/** The stores of the Scan view on a contract-checked mock bridge. */
export function setupScan(runtime: AppStatus['runtime'], handlers: MockHandlers) {
  const ctx = setup({
    'app.status': () => status(runtime),
    'scan.prepare': () => ({ ready: true }),
    ...handlers
  })
  const scan = useScanStore()
  scan.useClient(createScanClient(ctx.bridge))
  useAppStatusStore().useClient(createAppClient(ctx.bridge))
  return { ...ctx, scan }
}
