import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { Coverage, Finding, HealthReport, InventoryFormat } from '@shared/contract/health'
import { createHealthClient, type HealthClient } from '../api/healthClient'
import type { CoverageOrientation } from '../health/coverageGrid'
import { useLatestCall } from '../composables/useLatestCall'

/** Whose keys Health looks at: the account chosen in the sidebar, or every account. */
export type HealthScope = 'current' | 'all'

/**
 * Health's findings and coverage map. Findings are computed in main from local data (fast, no
 * network), so the store simply asks again whenever something may have changed them.
 */
export const useHealthStore = defineStore('health', () => {
  let client: HealthClient | undefined
  let unsubscribe: (() => void) | undefined

  const scope = ref<HealthScope>('current')
  /** The account the report is for; null for every account. */
  const reportFor = ref<string | null | undefined>(undefined)
  const report = shallowRef<HealthReport | null>(null)
  const loads = useLatestCall('Health could not be checked.')

  const coverage = shallowRef<Coverage | null>(null)
  const includeDisabled = ref(false)
  /** The shape the user gave the map; null: corpora down unless keys outnumber them. */
  const orientation = ref<CoverageOrientation | null>(null)
  const coverageLoads = useLatestCall('The coverage map could not be built.')

  function useClient(next: HealthClient): void {
    unsubscribe?.()
    client = next
    // A reminder went out or a key was disabled at expiry: look again if it concerns us.
    unsubscribe = client.onChanged(({ accountId }) => {
      if (reportFor.value === undefined) return
      if (reportFor.value === null || reportFor.value === accountId) void reload()
    })
  }

  function api(): HealthClient {
    if (!client) useClient(createHealthClient())
    return client!
  }

  /** Findings for one account (null: every account). */
  function load(accountId: string | null): Promise<boolean> {
    if (reportFor.value !== accountId) report.value = null
    reportFor.value = accountId
    return loads.run(
      () => api().findings(accountId),
      (next) => (report.value = next)
    )
  }

  function reload(): Promise<boolean> {
    return reportFor.value === undefined ? Promise.resolve(false) : load(reportFor.value)
  }

  async function dismiss(finding: Finding, reason: string): Promise<void> {
    await api().dismiss(finding.accountId, finding.id, reason)
    await reload()
  }

  async function restore(finding: Finding): Promise<void> {
    await api().restore(finding.accountId, finding.id)
    await reload()
  }

  function loadCoverage(accountId: string): Promise<boolean> {
    if (coverage.value?.accountId !== accountId) coverage.value = null
    return coverageLoads.run(
      () => api().coverage(accountId, includeDisabled.value),
      (next) => (coverage.value = next)
    )
  }

  function exportInventory(accountId: string | null, format: InventoryFormat) {
    return api().exportInventory(accountId, format)
  }

  const counts = computed(() => report.value?.counts ?? { high: 0, medium: 0, low: 0 })

  return {
    scope,
    report,
    reportFor,
    counts,
    loading: loads.busy,
    problem: loads.problem,
    coverage,
    includeDisabled,
    orientation,
    coverageLoading: coverageLoads.busy,
    coverageProblem: coverageLoads.problem,
    useClient,
    load,
    reload,
    dismiss,
    restore,
    loadCoverage,
    exportInventory,
    api
  }
})
