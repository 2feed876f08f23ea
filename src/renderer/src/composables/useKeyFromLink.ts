import { ref, watch, type Ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { useAccountsStore } from '../stores/accounts'
import { useKeysStore } from '../stores/keys'
import { usePlaygroundStore } from '../stores/playground'
import { useToastsStore } from '../stores/toasts'

/**
 * "Use in playground" opens the playground with `?account=…&key=…`: switch to that account,
 * then choose the key once the account's key list has arrived, or ask for its secret when the
 * keychain does not hold it. The query is dropped at once, so Back does not redo it.
 */
export function useKeyFromLink(options: {
  /** The key list on hand belongs to the current account. */
  ready: Readonly<Ref<boolean>>
  askForSecret: () => void
}): void {
  const accounts = useAccountsStore()
  const keys = useKeysStore()
  const store = usePlaygroundStore()
  const toasts = useToastsStore()
  const route = useRoute()
  const router = useRouter()
  const wantedKey = ref<string | null>(null)

  watch(
    () => [route.query.account, route.query.key] as const,
    async ([account, key]) => {
      if (typeof key !== 'string' || !key) return
      if (typeof account === 'string' && account && account !== accounts.currentId) {
        if (!accounts.loaded) await accounts.load()
        await accounts.switch(account).catch(() => undefined)
      }
      wantedKey.value = key
      void router.replace({ query: {} })
    },
    { immediate: true }
  )

  watch(
    [wantedKey, () => keys.rows, options.ready],
    ([wanted, rows, ready]) => {
      if (!wanted || !ready || rows.length === 0) return
      const row = rows.find((k) => k.id === wanted)
      wantedKey.value = null
      if (row?.secretStored) store.chooseStoredKey(row.id)
      else if (row) {
        toasts.show(
          'info',
          `The secret of “${row.name}” is not in the keychain`,
          'Paste it to use the key here.'
        )
        options.askForSecret()
      }
    },
    { immediate: true }
  )
}
