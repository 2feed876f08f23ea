import type { Bridge, CallInput } from '@shared/contract'
import type { Account, AccountsState } from '@shared/contract/accounts'
import { call, getBridge } from './bridge'

export interface AccountsClient {
  list(): Promise<AccountsState>
  add(input: CallInput<'accounts.add'>): Promise<Account>
  update(input: CallInput<'accounts.update'>): Promise<Account>
  remove(id: string): Promise<{ removedSecrets: number }>
  switch(id: string): Promise<AccountsState>
  check(id: string): Promise<{ ok: true }>
  onChanged(listener: (state: AccountsState) => void): () => void
}

export function createAccountsClient(bridge: Bridge = getBridge()): AccountsClient {
  return {
    list: () => call(bridge, 'accounts.list', undefined),
    add: (input) => call(bridge, 'accounts.add', input),
    update: (input) => call(bridge, 'accounts.update', input),
    remove: (id) => call(bridge, 'accounts.remove', { id }),
    switch: (id) => call(bridge, 'accounts.switch', { id }),
    check: (id) => call(bridge, 'accounts.check', { id }),
    onChanged: (listener) => bridge.on('accounts.changed', listener)
  }
}
