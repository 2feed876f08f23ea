import type { Bridge, CallInput, CallOutput, EventPayload } from '@shared/contract'
import type { UsageCharts, UsageFilters } from '@shared/contract/usage'
import { call, getBridge } from './bridge'

export type EventsPage = CallOutput<'usage.events'>
export type EventsInput = CallInput<'usage.events'>

export interface UsageClient {
  charts(filters: UsageFilters): Promise<UsageCharts>
  events(input: EventsInput): Promise<EventsPage>
  exportCsv(filters: UsageFilters): Promise<CallOutput<'usage.exportCsv'>>
  syncRemote(accountId: string): Promise<CallOutput<'usage.syncRemote'>>
  remoteStatus(accountId: string): Promise<CallOutput<'usage.remoteStatus'>>
  staleKeys(accountId: string | null): Promise<CallOutput<'usage.staleKeys'>>
  retention(): Promise<CallOutput<'usage.retention'>>
  /** Main recorded new usage for an account (debounced). */
  onRecorded(listener: (event: EventPayload<'usage.recorded'>) => void): () => void
}

export function createUsageClient(bridge: Bridge = getBridge()): UsageClient {
  return {
    charts: (filters) => call(bridge, 'usage.charts', filters),
    events: (input) => call(bridge, 'usage.events', input),
    exportCsv: (filters) => call(bridge, 'usage.exportCsv', filters),
    syncRemote: (accountId) => call(bridge, 'usage.syncRemote', { accountId }),
    remoteStatus: (accountId) => call(bridge, 'usage.remoteStatus', { accountId }),
    staleKeys: (accountId) => call(bridge, 'usage.staleKeys', { accountId }),
    retention: () => call(bridge, 'usage.retention', undefined),
    onRecorded: (listener) => bridge.on('usage.recorded', listener)
  }
}
