import { ref, watch, type Ref } from 'vue'
import type { KeyFile } from '@shared/contract/scan'
import { useScanStore } from '../stores/scan'

/**
 * The files a key was found in, loaded when a dialog opens for a key with an "in N files"
 * badge; null while they load. A failure leaves the count alone: the dialog still warns.
 */
export function useKeyFiles(
  target: () => { accountId: string | null; keyId: string; count: number } | null
): Ref<KeyFile[] | null> {
  const scan = useScanStore()
  const files = ref<KeyFile[] | null>(null)
  let generation = 0
  watch(
    () => {
      const t = target()
      return t && t.count > 0 && t.accountId ? `${t.accountId}\n${t.keyId}` : null
    },
    async (ref) => {
      const mine = ++generation
      files.value = null
      if (!ref) return
      const [accountId, keyId] = ref.split('\n')
      try {
        const found = await scan.keyFiles(accountId, keyId)
        if (mine === generation) files.value = found
      } catch {
        // Keep null: the list says "Looking up the files…" beside the count the row gave.
      }
    },
    { immediate: true }
  )
  return files
}
