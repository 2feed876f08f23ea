import { ref, watch, type Ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import { useAccountsStore } from '../stores/accounts'
import { useKeysStore } from '../stores/keys'

/**
 * "Use in playground" opens the playground with `?account=…&key=…`: switch to that account,
 * then choose the key once the account's key list has arrived, as the picker would (its
 * corpora come along; a secret the keychain lacks is fetched, or asked for when Vectara keeps
 * it). The query is dropped at once, so Back does not redo it.
 */
export function useKeyFromLink(options: {
  /** The key list on hand belongs to the current account. */
  ready: Readonly<Ref<boolean>>
  choose: (keyId: string) => Promise<void>
}): void {
  const accounts = useAccountsStore()
  const keys = useKeysStore()
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
      wantedKey.value = null
      if (rows.some((k) => k.id === wanted)) void options.choose(wanted)
    },
    { immediate: true }
  )
}
