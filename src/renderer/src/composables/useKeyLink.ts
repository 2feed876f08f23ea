import { ref, watch, type Ref } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import type { KeyKind } from '@shared/contract/keys'
import { useAccountsStore } from '../stores/accounts'
import { useKeysStore } from '../stores/keys'

/** Why the Keys view was opened on one key: to see it, or to rotate it. */
export interface KeyLinkRequest {
  keyId: string
  intent: 'show' | 'rotate'
  /** Scan findings to pre-fill rotation's "Replace in files" (`&findings=<id>,<id>`). */
  findingIds: string[]
  /** The new key's kind to start the Rotate dialog with (`&as=query`). */
  newKind: KeyKind | null
}

/**
 * Links into the Keys view from elsewhere (Health's fixes, a Coverage cell):
 * `/keys?account=<id>&key=<key id>` shows the key, `&rotate=<key id>` asks to rotate it, and
 * `&rotation=<rotation id>` asks for a rotation in progress (Scan adds `&findings=<ids>` to a
 * rotate link, for "Replace in files"; Health adds `&as=query` to rotate an Index key to a Query
 * key). The account is switched to, the
 * key is found once its list is here (filters cleared if they hide it), and `reveal` scrolls
 * to it. The query is dropped at once, so Back does not redo it.
 */
export function useKeyLink(options: {
  reveal: (keyId: string) => void
  onRotate: (request: KeyLinkRequest) => void
  onRotation: (rotationId: string) => void
}): { highlighted: Ref<string | null> } {
  const accounts = useAccountsStore()
  const keys = useKeysStore()
  const route = useRoute()
  const router = useRouter()
  const wanted = ref<KeyLinkRequest | null>(null)
  const highlighted = ref<string | null>(null)

  watch(
    () => [
      route.query.account,
      route.query.key,
      route.query.rotate,
      route.query.rotation,
      route.query.findings,
      route.query.as
    ],
    async ([account, key, rotate, rotation, findings, as]) => {
      // Leaving for the playground (`/playground?key=…`) changes the query too: not ours.
      if (route.path !== '/keys') return
      const keyId = typeof rotate === 'string' && rotate ? rotate : key
      const rotationId = typeof rotation === 'string' && rotation ? rotation : null
      if ((typeof keyId !== 'string' || !keyId) && !rotationId) return
      void router.replace({ query: {} })
      if (typeof account === 'string' && account && account !== accounts.currentId) {
        if (!accounts.loaded) await accounts.load()
        await accounts.switch(account).catch(() => undefined)
      }
      if (rotationId) options.onRotation(rotationId)
      if (typeof keyId === 'string' && keyId)
        wanted.value = {
          keyId,
          intent: rotate === keyId ? 'rotate' : 'show',
          findingIds: typeof findings === 'string' && findings ? findings.split(',') : [],
          newKind: as === 'query' ? 'query' : null
        }
    },
    { immediate: true }
  )

  watch(
    [wanted, () => keys.rows, () => keys.accountId],
    ([request, rows, accountId]) => {
      if (!request || accountId !== accounts.currentId || rows.length === 0) return
      if (!rows.some((r) => r.id === request.keyId)) return
      wanted.value = null
      if (!keys.visibleRows.some((r) => r.id === request.keyId)) keys.clearFilters()
      highlighted.value = request.keyId
      options.reveal(request.keyId)
      if (request.intent === 'rotate') options.onRotate(request)
    },
    { immediate: true }
  )

  return { highlighted }
}
