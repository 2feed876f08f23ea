import { computed, ref, shallowRef, watch } from 'vue'
import type { KeyRow } from '@shared/contract/keys'

/**
 * The key table's one action menu (one per row made scrolling 10,000 rows slow): which key it is
 * open for, anchored where, and when it must close because its key moved.
 */
export function useRowMenu(rows: () => readonly KeyRow[]) {
  const open = ref(false)
  const target = shallowRef<{ id: string; index: number; anchor: HTMLElement } | null>(null)
  // The live row, so the menu says Enable right after a Disable went through. Looked up where
  // the menu was opened, not searched for: a key that moved closes its menu (see the watch
  // below), and a search over 10,000 rows on every keystroke cost milliseconds.
  const row = computed(() => {
    const at = target.value
    if (!at) return null
    const atIndex = rows()[at.index]
    return atIndex?.id === at.id ? atIndex : null
  })

  function toggle(next: KeyRow, anchor: HTMLElement): void {
    if (open.value && target.value?.id === next.id) {
      open.value = false
      return
    }
    target.value = { id: next.id, index: rows().indexOf(next), anchor }
    open.value = true
  }

  // After the list changes (a refresh, a key added elsewhere), the menu's key may have left the
  // screen, its row handed to another key, or moved to another place while the menu stays where
  // it was drawn. A menu beside one key that acts on another is how the wrong key gets disabled:
  // close it unless its key is still at the same place in the list.
  watch(rows, (list) => {
    const at = target.value
    if (open.value && at && list[at.index]?.id !== at.id) open.value = false
  })

  // A menu left floating over rows that scrolled away would act on a key no longer in view.
  function onScroll(): void {
    if (open.value) open.value = false
  }

  function isOpenFor(keyId: string): boolean {
    return open.value && target.value?.id === keyId
  }

  return { open, target, row, toggle, onScroll, isOpenFor }
}
