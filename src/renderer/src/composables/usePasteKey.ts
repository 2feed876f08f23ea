import { isAppError } from '@shared/errors'
import { holdPastedSecret } from '../playground/pastedKey'
import { useAccountsStore } from '../stores/accounts'
import { useKeysStore } from '../stores/keys'
import { usePlaygroundStore } from '../stores/playground'
import { useToastsStore } from '../stores/toasts'

/**
 * What "Paste a key" does with the secret: use it for this session, and, when asked, keep it in
 * the keychain under the known key it belongs to. A key that is not one of the account's is used
 * once and stored nowhere.
 */
export function usePasteKey(): (secret: string, remember: boolean) => Promise<void> {
  const accounts = useAccountsStore()
  const keys = useKeysStore()
  const store = usePlaygroundStore()
  const toasts = useToastsStore()

  return async (secret, remember) => {
    const info = holdPastedSecret(secret)
    if (!remember) return store.usePastedKey(info)
    try {
      const known = await store.rememberPasted(secret)
      toasts.show(
        'success',
        `Kept “${known.name}” in the keychain`,
        'It is in the key list from now on.'
      )
      void keys.refresh()
    } catch (e) {
      store.usePastedKey(info)
      const notFound = isAppError(e) && e.code === 'NOT_FOUND'
      toasts.show(
        notFound ? 'info' : 'warning',
        notFound ? 'Using the pasted key once' : 'The key could not be kept in the keychain',
        notFound
          ? `It is not one of the keys of ${accounts.current?.name ?? 'this account'}, so it is stored nowhere.`
          : isAppError(e)
            ? e.message
            : undefined
      )
    }
  }
}
