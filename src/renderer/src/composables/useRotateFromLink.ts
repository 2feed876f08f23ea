import { ref, watch } from 'vue'
import { useRoute, useRouter } from 'vue-router'
import type { KeyRow } from '@shared/contract/keys'
import { useAccountsStore } from '../stores/accounts'
import { useKeysStore } from '../stores/keys'
import { useRotationsStore } from '../stores/rotations'

/**
 * "Rotate…" from elsewhere (a Scan finding, a Health finding) opens the Keys view with
 * `?account=…&rotate=<keyId>[&findings=<id,id>]`: switch to that account, then open the key's
 * Rotate dialog once its row is in the list, with those files chosen for "Replace in files".
 * The query is dropped at once, so Back does not open the dialog again.
 */
export function useRotateFromLink(open: (row: KeyRow) => void): void {
  const accounts = useAccountsStore()
  const keys = useKeysStore()
  const rotations = useRotationsStore()
  const route = useRoute()
  const router = useRouter()
  const wanted = ref<{ keyId: string; findingIds: string[] | null } | null>(null)

  watch(
    () => [route.query.account, route.query.rotate, route.query.findings] as const,
    async ([account, keyId, findings]) => {
      if (typeof keyId !== 'string' || !keyId) return
      if (typeof account === 'string' && account && account !== accounts.currentId) {
        if (!accounts.loaded) await accounts.load()
        await accounts.switch(account).catch(() => undefined)
      }
      const findingIds =
        typeof findings === 'string' && findings ? findings.split(',').filter(Boolean) : null
      wanted.value = { keyId, findingIds }
      void router.replace({ query: {} })
    },
    { immediate: true }
  )

  watch(
    [wanted, () => keys.rows, () => keys.accountId === accounts.currentId],
    ([want, rows, ready]) => {
      if (!want || !ready || rows.length === 0) return
      wanted.value = null
      const row = rows.find((k) => k.id === want.keyId)
      if (!row) return
      if (want.findingIds) rotations.suggestFiles(row.id, want.findingIds)
      open(row)
    },
    { immediate: true }
  )
}
