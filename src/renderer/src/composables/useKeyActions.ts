import { ref } from 'vue'
import { useRouter } from 'vue-router'
import type { KeyRow } from '@shared/contract/keys'
import { isAppError } from '@shared/errors'
import type { ExpiryTarget } from '../health/expiryDate'
import type { RowAction } from '../keys/actions'
import { useKeysStore } from '../stores/keys'
import { useToastsStore } from '../stores/toasts'

function reason(e: unknown): string | undefined {
  return isAppError(e) ? e.message : undefined
}

/** The Keys view's answers to row actions, and which dialog each one opens. */
export function useKeyActions() {
  const keys = useKeysStore()
  const toasts = useToastsStore()
  const router = useRouter()
  const deleteTarget = ref<KeyRow | null>(null)
  const pasteTarget = ref<KeyRow | null>(null)
  /** A key found in files here: disabling it asks first, listing those files. */
  const disableTarget = ref<KeyRow | null>(null)
  const disabling = ref(false)
  const disableProblem = ref<{ title: string; detail?: string } | null>(null)
  const expiryTarget = ref<ExpiryTarget | null>(null)
  const rotateTarget = ref<KeyRow | null>(null)

  async function copy(row: KeyRow): Promise<void> {
    try {
      const ms = await keys.copySecret(row.id)
      toasts.show('success', `Copied. The clipboard clears in ${Math.round(ms / 1000)} s.`)
    } catch (e) {
      if (isAppError(e) && e.code === 'SECRET_UNKNOWN') pasteTarget.value = row
      else toasts.show('error', `${row.name} could not be copied`, reason(e))
    }
  }

  async function toggle(row: KeyRow): Promise<void> {
    const enabling = !row.enabled
    if (!enabling && row.foundInFiles) {
      disableProblem.value = null
      disableTarget.value = row
      return
    }
    try {
      await keys.setEnabled(row.id, enabling)
    } catch (e) {
      toasts.show(
        'error',
        `${row.name} could not be ${enabling ? 'enabled' : 'disabled'}`,
        reason(e)
      )
    }
  }

  async function confirmDisable(): Promise<void> {
    const row = disableTarget.value
    if (!row || disabling.value) return
    disabling.value = true
    disableProblem.value = null
    try {
      await keys.setEnabled(row.id, false)
      disableTarget.value = null
    } catch (e) {
      disableProblem.value = { title: 'The key was not disabled.', detail: reason(e) }
    } finally {
      disabling.value = false
    }
  }

  function run(action: RowAction, row: KeyRow): void {
    switch (action) {
      case 'copy':
        void copy(row)
        break
      case 'paste':
        pasteTarget.value = row
        break
      case 'playground':
        void router.push({
          path: '/playground',
          query: { account: keys.accountId ?? '', key: row.id }
        })
        break
      case 'toggle':
        void toggle(row)
        break
      case 'rotate':
        rotateTarget.value = row
        break
      case 'delete':
        deleteTarget.value = row
        break
      case 'expiry':
        expiryTarget.value = {
          accountId: keys.accountId ?? '',
          keyId: row.id,
          name: row.name,
          expiry: row.expiry
        }
        break
    }
  }

  return {
    run,
    deleteTarget,
    pasteTarget,
    expiryTarget,
    rotateTarget,
    disableTarget,
    disabling,
    disableProblem,
    confirmDisable
  }
}
