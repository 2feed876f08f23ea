import type { Bridge, CallOutput } from '@shared/contract'
import { call, getBridge } from './bridge'

export type CorpusSummary = CallOutput<'corpora.list'>['corpora'][number]

export interface CorporaClient {
  list(accountId: string): Promise<CallOutput<'corpora.list'>>
}

export function createCorporaClient(bridge: Bridge = getBridge()): CorporaClient {
  return {
    list: (accountId) => call(bridge, 'corpora.list', { accountId })
  }
}
