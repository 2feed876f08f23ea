import { computed, ref, watch } from 'vue'
import type { KeyRow } from '@shared/contract/keys'
import { isAppError } from '@shared/errors'
import { outOfReach, ownCorpora, reachOf, type CorpusReach } from '../playground/keyChoices'
import { useCorporaStore } from '../stores/corpora'
import { useKeysStore } from '../stores/keys'
import { usePlaygroundStore } from '../stores/playground'

/**
 * The Playground's key: choosing any key of the account (its own corpora come with a Query or
 * Index key), getting its secret into the keychain when the app lacks it (main fetches it as
 * Reveal does; the secret never comes here), and what the choice can reach.
 */
export function useKeyChoice(options: {
  /** Vectara keeps this key's secret: only pasting it helps. `reason` says so in words. */
  askForSecret: (reason: string) => void
}) {
  const keys = useKeysStore()
  const corpora = useCorporaStore()
  const store = usePlaygroundStore()
  /** The key whose secret main is fetching now. */
  const fetching = ref<string | null>(null)

  const chosen = computed<KeyRow | undefined>(() => {
    const choice = store.key
    return choice?.type === 'stored' ? keys.rows.find((k) => k.id === choice.keyId) : undefined
  })
  const reach = computed<CorpusReach>(() => {
    const choice = store.key
    if (choice?.type === 'pasted') return reachOf(choice.kind, undefined)
    return reachOf(chosen.value?.kind, chosen.value?.corpora)
  })
  /** The chosen corpora Vectara will refuse this key (403). */
  const unreachable = computed(() => outOfReach(reach.value, store.corpusKeys))

  // A key deleted elsewhere (Keys, another window) leaves the picker, and the choice with it.
  watch(
    () => keys.rows,
    (rows) => {
      const choice = store.key
      if (choice?.type !== 'stored' || keys.accountId !== store.accountId || keys.loading) return
      if (!rows.some((k) => k.id === choice.keyId)) store.clearKey()
    }
  )

  /** A key picked by the user (or "Use in playground"): it comes with its own corpora. */
  async function choose(keyId: string): Promise<void> {
    const row = keys.rows.find((k) => k.id === keyId)
    if (!row) return
    store.chooseStoredKey(keyId)
    if (row.kind === 'query' || row.kind === 'index')
      store.corpusKeys = ownCorpora(row, corpora.of(keys.accountId))
    await ensureSecret(row)
  }

  /** Fetches the secret of a chosen key the keychain lacks; falls back to pasting it. */
  async function ensureSecret(row: KeyRow): Promise<void> {
    if (row.secretStored || fetching.value === row.id) return
    fetching.value = row.id
    try {
      await keys.fetchSecret(row.id)
    } catch (e) {
      const stillChosen = store.key?.type === 'stored' && store.key.keyId === row.id
      if (!stillChosen) return
      if (isAppError(e) && e.code === 'SECRET_UNKNOWN') {
        store.clearKey()
        options.askForSecret(e.message)
      } else {
        // Send asks main again, which tries Vectara once more before it queries.
        const why = isAppError(e) ? e.message : 'The keychain or Vectara did not answer.'
        store.errors = { ...store.errors, key: `Could not get the secret of “${row.name}”. ${why}` }
      }
    } finally {
      if (fetching.value === row.id) fetching.value = null
    }
  }

  return { chosen, reach, unreachable, fetching, choose, ensureSecret }
}
