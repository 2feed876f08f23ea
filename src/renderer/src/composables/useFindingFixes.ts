import { ref } from 'vue'
import { useRouter } from 'vue-router'
import type { Finding, Fix } from '@shared/contract/health'
import type { KeyRow } from '@shared/contract/keys'
import { isAppError } from '@shared/errors'
import { createKeysClient, type KeysClient } from '../api/keysClient'
import type { ExpiryTarget } from '../health/expiryDate'
import { suggestedQueryKeyName } from '../health/fixes'
import { useAccountsStore } from '../stores/accounts'
import { useHealthStore } from '../stores/health'
import { useKeysStore } from '../stores/keys'
import { useToastsStore } from '../stores/toasts'

/** What "Create a Query key" opens Create key with. */
export interface CreatePrefill {
  name: string
  corpusKeys: string[]
}

/**
 * Runs a finding's fix from Health. Disable and Extend act on the finding's account directly;
 * Delete… and Create a Query key open the Keys dialogs for it (switching account first when
 * Health shows every account); Rotate… and Open rotation go to the Keys view, where rotation
 * lives (`/keys?account=…&rotate=<key id>` and `&rotation=<rotation id>`).
 */
export function useFindingFixes(options: { keysClient?: KeysClient } = {}) {
  const accounts = useAccountsStore()
  const keys = useKeysStore()
  const health = useHealthStore()
  const toasts = useToastsStore()
  const router = useRouter()
  const client = options.keysClient ?? createKeysClient()

  const deleteTarget = ref<KeyRow | null>(null)
  const createPrefill = ref<CreatePrefill | null>(null)
  const expiryTarget = ref<ExpiryTarget | null>(null)
  /** The finding whose fix is running, for its buttons' busy state. */
  const busy = ref<string | null>(null)

  /** Makes the finding's account the current one, with its key list in the store. */
  async function useAccount(accountId: string): Promise<void> {
    if (accounts.currentId !== accountId) await accounts.switch(accountId)
    if (keys.accountId !== accountId || keys.rows.length === 0) await keys.open(accountId)
  }

  async function rowOf(finding: Finding): Promise<KeyRow | undefined> {
    if (keys.accountId === finding.accountId) {
      const row = keys.rows.find((r) => r.id === finding.keyId)
      if (row) return row
    }
    return (await client.list(finding.accountId)).keys.find((r) => r.id === finding.keyId)
  }

  async function disable(finding: Finding): Promise<void> {
    if (!finding.keyId) return
    const row = await client.setEnabled(finding.accountId, finding.keyId, false)
    if (keys.accountId === finding.accountId) keys.updateRow(row)
    toasts.show(
      'success',
      `Disabled ${row.name}`,
      'Vectara takes about a minute to block it everywhere.'
    )
    await health.reload()
  }

  async function run(finding: Finding, fix: Fix): Promise<void> {
    busy.value = finding.id
    try {
      switch (fix.action) {
        case 'disable':
          await disable(finding)
          break
        case 'delete': {
          await useAccount(finding.accountId)
          const row = await rowOf(finding)
          if (row) deleteTarget.value = row
          else toasts.show('warning', 'That key is no longer in the list', 'Refresh Health.')
          break
        }
        case 'createQueryKey':
          await useAccount(finding.accountId)
          createPrefill.value = {
            name: suggestedQueryKeyName(finding),
            corpusKeys: fix.corpusKeys
          }
          break
        case 'extend': {
          const row = await rowOf(finding)
          if (!row) break
          expiryTarget.value = {
            accountId: finding.accountId,
            keyId: row.id,
            name: row.name,
            expiry: row.expiry,
            extend: true
          }
          break
        }
        case 'rotate':
          await router.push({
            path: '/keys',
            query: {
              account: finding.accountId,
              rotate: finding.keyId ?? '',
              ...(fix.newKind ? { as: fix.newKind } : {})
            }
          })
          break
        case 'openRotation':
          await router.push({
            path: '/keys',
            query: { account: finding.accountId, rotation: fix.rotationId }
          })
          break
      }
    } catch (e) {
      toasts.show(
        'error',
        `Could not fix “${finding.keyName ?? finding.corpusName ?? 'this'}”`,
        isAppError(e) ? e.message : undefined
      )
    } finally {
      busy.value = null
    }
  }

  return { run, busy, deleteTarget, createPrefill, expiryTarget }
}
