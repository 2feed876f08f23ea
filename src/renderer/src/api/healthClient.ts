import type { Bridge, CallInput, CallOutput } from '@shared/contract'
import type { Coverage, HealthReport, InventoryFormat } from '@shared/contract/health'
import type { KeyRow } from '@shared/contract/keys'
import { call, getBridge } from './bridge'

export interface HealthClient {
  findings(accountId: string | null): Promise<HealthReport>
  dismiss(accountId: string, findingId: string, reason: string): Promise<void>
  restore(accountId: string, findingId: string): Promise<void>
  coverage(accountId: string, includeDisabled: boolean): Promise<Coverage>
  exportInventory(
    accountId: string | null,
    format: InventoryFormat
  ): Promise<CallOutput<'health.exportInventory'>>
  setExpiry(input: CallInput<'expiry.set'>): Promise<KeyRow>
  /** Findings may have changed without a call (a reminder, a key disabled at expiry). */
  onChanged(listener: (event: { accountId: string }) => void): () => void
}

export function createHealthClient(bridge: Bridge = getBridge()): HealthClient {
  return {
    findings: (accountId) => call(bridge, 'health.findings', { accountId }),
    dismiss: async (accountId, findingId, reason) => {
      await call(bridge, 'health.dismiss', { accountId, findingId, reason })
    },
    restore: async (accountId, findingId) => {
      await call(bridge, 'health.restore', { accountId, findingId })
    },
    coverage: (accountId, includeDisabled) =>
      call(bridge, 'health.coverage', { accountId, includeDisabled }),
    exportInventory: (accountId, format) =>
      call(bridge, 'health.exportInventory', { accountId, format }),
    setExpiry: (input) => call(bridge, 'expiry.set', input),
    onChanged: (listener) => bridge.on('health.changed', listener)
  }
}
