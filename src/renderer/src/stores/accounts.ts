import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { CallInput } from '@shared/contract'
import type { Account, AccountsState } from '@shared/contract/accounts'
import { AppError, isAppError } from '@shared/errors'
import { createAccountsClient, type AccountsClient } from '../api/accountsClient'
import { describeAccountFailure, type FormFailure } from '../accounts/accountErrors'

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
  const loading = ref(false)
  const error = ref<string | null>(null)
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

  let inflightLoad: Promise<void> | null = null

  /** Concurrent callers (the shell and a view mounting together) share one request. */
  function load(): Promise<void> {
    inflightLoad ??= (async () => {
      loading.value = true
      try {
        apply(await api().list())
        error.value = null
      } catch (e) {
        error.value = isAppError(e) ? e.message : 'The accounts could not be read.'
      } finally {
        loading.value = false
        inflightLoad = null
      }
    })()
    return inflightLoad
  }

  /** Throws an AppError so the caller can say why; the current account stays as it was. */
  async function switchTo(id: string): Promise<void> {
    if (id === currentId.value) return
    switchingTo.value = id
    try {
      apply(await api().switchTo(id))
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

  /** Re-checks the stored credential; resolves to the AppError when Vectara refuses it. */
  async function check(id: string): Promise<AppError | null> {
    try {
      await api().check(id)
      return null
    } catch (e) {
      return isAppError(e) ? e : new AppError('INTERNAL', 'The credential could not be checked.')
    }
  }

  return {
    accounts,
    currentId,
    current,
    loaded,
    loading,
    error,
    switchingTo,
    useClient,
    load,
    switchTo,
    add,
    update,
    remove,
    check
  }
})
