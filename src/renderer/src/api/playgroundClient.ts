import type { Bridge, CallInput, CallOutput } from '@shared/contract'
import type { HistoryEntry, PlaygroundStream } from '@shared/contract/playground'
import { call, getBridge } from './bridge'

export type RunInput = CallInput<'playground.run'>
export type RunResult = CallOutput<'playground.run'>
export type HistoryLists = CallOutput<'playground.history'>

export interface PlaygroundClient {
  run(input: RunInput): Promise<RunResult>
  cancel(runId: string): Promise<{ cancelled: boolean }>
  rememberSecret(
    accountId: string,
    secret: string
  ): Promise<CallOutput<'playground.rememberSecret'>>
  history(accountId: string, search?: string): Promise<HistoryLists>
  saveEntry(id: number, name: string | null): Promise<HistoryEntry>
  deleteEntry(id: number): Promise<{ deleted: boolean }>
  clearHistory(accountId: string, includeSaved: boolean): Promise<{ deleted: number }>
  copyText(text: string): Promise<void>
  onStream(listener: (event: PlaygroundStream) => void): () => void
}

export function createPlaygroundClient(bridge: Bridge = getBridge()): PlaygroundClient {
  return {
    run: (input) => call(bridge, 'playground.run', input),
    cancel: (runId) => call(bridge, 'playground.cancel', { runId }),
    rememberSecret: (accountId, secret) =>
      call(bridge, 'playground.rememberSecret', { accountId, secret }),
    history: (accountId, search) =>
      call(bridge, 'playground.history', { accountId, ...(search ? { search } : {}) }),
    saveEntry: (id, name) => call(bridge, 'playground.saveEntry', { id, name }),
    deleteEntry: (id) => call(bridge, 'playground.deleteEntry', { id }),
    clearHistory: (accountId, includeSaved) =>
      call(bridge, 'playground.clearHistory', { accountId, includeSaved }),
    copyText: async (text) => void (await call(bridge, 'playground.copyText', { text })),
    onStream: (listener) => bridge.on('playground.stream', listener)
  }
}
