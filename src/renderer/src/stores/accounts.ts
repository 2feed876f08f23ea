import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { CallInput } from '@shared/contract'
import type { Account, AccountsState } from '@shared/contract/accounts'
import { createAccountsClient, type AccountsClient } from '../api/accountsClient'
import { describeAccountFailure, type FormFailure } from '../accounts/accountErrors'
import { toProblem, useLatestCall, type Problem } from '../composables/useLatestCall'

export type SaveOutcome = { ok: true; account: Account } | { ok: false; failure: FormFailure }

/**
 * Accounts and which one is current. Credentials pass through `add` / `update` on their way to
 * main and are never kept here.
 */
export const useAccountsStore = defineStore('accounts', () => {
  let client: AccountsClient | undefined
  let unsubscribe: (() => void) | undefined
  const accounts = ref<Account[]>([])
  const currentId = ref<string | null>(null)
  const loaded = ref(false)
  const loads = useLatestCall('The accounts could not be read.')
  const switchingTo = ref<string | null>(null)

  const current = computed(() => accounts.value.find((a) => a.id === currentId.value) ?? null)

  /** Tests pass a client built on a mocked bridge; the app uses window.api. */
  function useClient(next: AccountsClient): void {
    unsubscribe?.()
    client = next
    unsubscribe = client.onChanged(apply)
  }

  function api(): AccountsClient {
    if (!client) useClient(createAccountsClient())
    return client!
  }

  function apply(state: AccountsState): void {
    accounts.value = state.accounts
    currentId.value = state.currentId
    loaded.value = true
  }

  /** Concurrent callers (the shell and a view mounting together) share one request. */
  async function load(): Promise<void> {
    await loads.join(() => api().list(), apply)
  }

  /** Throws an AppError so the caller can say why; the current account stays as it was. */
  async function switchAccount(id: string): Promise<void> {
    if (id === currentId.value) return
    switchingTo.value = id
    try {
      apply(await api().switch(id))
    } finally {
      switchingTo.value = null
    }
  }

  async function add(input: CallInput<'accounts.add'>): Promise<SaveOutcome> {
    try {
      const account = await api().add(input)
      await load()
      return { ok: true, account }
    } catch (e) {
      return {
        ok: false,
        failure: describeAccountFailure(e, input.credential.type, input.baseUrl)
      }
    }
  }

  async function update(input: CallInput<'accounts.update'>): Promise<SaveOutcome> {
    try {
      const account = await api().update(input)
      await load()
      return { ok: true, account }
    } catch (e) {
      const before = accounts.value.find((a) => a.id === input.id)
      const kind = input.credential?.type ?? (before?.authKind === 'oauth' ? 'oauth' : 'api_key')
      return {
        ok: false,
        failure: describeAccountFailure(e, kind, input.baseUrl ?? before?.baseUrl ?? '')
      }
    }
  }

  async function remove(id: string): Promise<number> {
    const { removedSecrets } = await api().remove(id)
    await load()
    return removedSecrets
  }

  /** Re-checks the stored credential; resolves to the problem when Vectara refuses it. */
  async function check(id: string): Promise<Problem | null> {
    try {
      await api().check(id)
      return null
    } catch (e) {
      return toProblem(e, 'The credential could not be checked.')
    }
  }

  return {
    accounts,
    currentId,
    current,
    loaded,
    loading: loads.busy,
    problem: loads.problem,
    switchingTo,
    useClient,
    load,
    switch: switchAccount,
    add,
    update,
    remove,
    check
  }
})
