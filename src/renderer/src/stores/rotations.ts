import { defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import {
  createRotationsClient,
  type ReplaceReport,
  type Rotation,
  type RotationPlan,
  type RotationStart,
  type RotationsClient,
  type StepRun
} from '../api/rotationsClient'
import { useLatestCall } from '../composables/useLatestCall'

const NONE: readonly Rotation[] = []

/** A rotation whose old key has waited out its grace period and asks to be deleted. */
export function readyToDelete(rotation: Rotation): boolean {
  const del = rotation.steps.find((s) => s.name === 'delete')
  return rotation.status === 'active' && del?.state === 'waiting' && del.waitingFor === 'confirm'
}

/**
 * The current account's rotations, kept up to date by main's `rotations.changed` events. A
 * one-time secret (the keychain failed) goes back to the caller that shows it, never in here.
 */
export const useRotationsStore = defineStore('rotations', () => {
  let client: RotationsClient | undefined
  let stopListening: (() => void) | undefined
  const accountId = shallowRef<string | null>(null)
  const rotations = shallowRef<readonly Rotation[]>(NONE)
  const loads = useLatestCall('The rotations could not be loaded.')

  /** Files another view chose for "Replace in files" of a key about to be rotated. */
  let suggested: { keyId: string; findingIds: string[] } | null = null

  const inProgress = computed(() => rotations.value.filter((r) => r.status === 'active'))
  const waitingToDelete = computed(() => inProgress.value.filter(readyToDelete))

  /** Tests pass a client built on a mocked bridge; the app uses window.api. */
  function useClient(next: RotationsClient): void {
    stopListening?.()
    client = next
    stopListening = client.onChanged(apply)
  }

  function api(): RotationsClient {
    if (!client) useClient(createRotationsClient())
    return client!
  }

  /** Keeps the newest state of a rotation: events and answers may arrive in either order. */
  function apply(rotation: Rotation): void {
    if (rotation.accountId !== accountId.value) return
    const current = rotations.value.find((r) => r.id === rotation.id)
    if (current && current.updatedAt > rotation.updatedAt) return
    const others = rotations.value.filter((r) => r.id !== rotation.id)
    // In progress first, newest first: the order main lists them in.
    rotations.value = [rotation, ...others].sort(
      (a, b) =>
        Number(b.status === 'active') - Number(a.status === 'active') || b.startedAt - a.startedAt
    )
  }

  function open(id: string): Promise<boolean> {
    api()
    if (accountId.value !== id) {
      loads.reset()
      accountId.value = id
      rotations.value = NONE
    }
    return loads.run(
      () => api().list(id),
      (list) => (rotations.value = list)
    )
  }

  function byId(id: string | null): Rotation | undefined {
    return id ? rotations.value.find((r) => r.id === id) : undefined
  }

  function plan(keyId: string): Promise<RotationPlan> {
    return api().plan(requireAccount(), keyId)
  }

  async function run(promise: Promise<StepRun>): Promise<StepRun> {
    const result = await promise
    apply(result.rotation)
    return result
  }

  const start = (input: Omit<RotationStart, 'accountId'>): Promise<StepRun> =>
    run(api().start({ ...input, accountId: requireAccount() }))
  const retry = (id: string): Promise<StepRun> => run(api().retry(id))

  async function applied(promise: Promise<Rotation>): Promise<Rotation> {
    const rotation = await promise
    apply(rotation)
    return rotation
  }

  const confirmSwap = (id: string) => applied(api().confirmSwap(id))
  const confirmDisable = (id: string) => applied(api().confirmDisable(id))
  const confirmDelete = (id: string, keyName: string) => applied(api().confirmDelete(id, keyName))
  const cancel = (id: string) => applied(api().cancel(id))
  const findings = (id: string) => api().findings(id)
  const replaceInFiles = (id: string, findingIds: string[]): Promise<ReplaceReport> =>
    api().replaceInFiles({ id, findingIds })

  function requireAccount(): string {
    if (!accountId.value) throw new Error('No account is open.')
    return accountId.value
  }

  function suggestFiles(keyId: string, findingIds: string[]): void {
    suggested = { keyId, findingIds }
  }

  /** The files chosen elsewhere for this old key, once: a later rotation starts with them all. */
  function takeSuggestedFiles(oldKeyId: string): string[] | null {
    if (suggested?.keyId !== oldKeyId) return null
    const { findingIds } = suggested
    suggested = null
    return findingIds
  }

  return {
    accountId,
    rotations,
    inProgress,
    waitingToDelete,
    loading: loads.busy,
    problem: loads.problem,
    useClient,
    open,
    byId,
    plan,
    start,
    retry,
    confirmSwap,
    confirmDisable,
    confirmDelete,
    cancel,
    findings,
    replaceInFiles,
    suggestFiles,
    takeSuggestedFiles
  }
})
