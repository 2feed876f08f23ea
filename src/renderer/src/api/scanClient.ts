import type { Bridge, CallOutput } from '@shared/contract'
import type {
  Finding,
  KeyFile,
  ScanOptions,
  ScanProgress,
  ScanResults,
  ScanState,
  ScanSummary
} from '@shared/contract/scan'
import { call, getBridge } from './bridge'

export interface ScanClient {
  state(): Promise<ScanState>
  prepare(): Promise<{ ready: boolean }>
  chooseFolder(): Promise<CallOutput<'scan.chooseFolder'>>
  addFolder(path: string): Promise<CallOutput<'scan.addFolder'>>
  removeFolder(folderId: number): Promise<CallOutput<'scan.removeFolder'>>
  setOptions(options: ScanOptions): Promise<ScanOptions>
  start(): Promise<{ scanId: number }>
  cancel(): Promise<{ cancelled: boolean }>
  results(): Promise<ScanResults>
  ignore(findingId: number, ignored: boolean): Promise<Finding>
  showInFolder(findingId: number): Promise<CallOutput<'scan.showInFolder'>>
  disableKey(findingId: number): Promise<CallOutput<'scan.disableKey'>>
  keyFiles(accountId: string, keyId: string): Promise<KeyFile[]>
  onProgress(listener: (progress: ScanProgress) => void): () => void
  onFinished(listener: (summary: ScanSummary) => void): () => void
}

/** The Scan view's calls. Findings are named by id only: main resolves every path itself. */
export function createScanClient(bridge: Bridge = getBridge()): ScanClient {
  return {
    state: () => call(bridge, 'scan.state', undefined),
    prepare: () => call(bridge, 'scan.prepare', undefined),
    chooseFolder: () => call(bridge, 'scan.chooseFolder', undefined),
    addFolder: (path) => call(bridge, 'scan.addFolder', { path }),
    removeFolder: (folderId) => call(bridge, 'scan.removeFolder', { folderId }),
    setOptions: (options) => call(bridge, 'scan.setOptions', options),
    start: () => call(bridge, 'scan.start', undefined),
    cancel: () => call(bridge, 'scan.cancel', undefined),
    results: () => call(bridge, 'scan.results', undefined),
    ignore: (findingId, ignored) => call(bridge, 'scan.ignore', { findingId, ignored }),
    showInFolder: (findingId) => call(bridge, 'scan.showInFolder', { findingId }),
    disableKey: (findingId) => call(bridge, 'scan.disableKey', { findingId }),
    keyFiles: async (accountId, keyId) =>
      (await call(bridge, 'scan.keyFiles', { accountId, keyId })).files,
    onProgress: (listener) => bridge.on('scan.progress', listener),
    onFinished: (listener) => bridge.on('scan.finished', listener)
  }
}
