import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type {
  Finding,
  FindingGroup,
  KeyFile,
  LastScan,
  ScanFolder,
  ScanOptions,
  ScanProgress,
  ScanSummary
} from '@shared/contract/scan'
import { createScanClient, type ScanClient } from '../api/scanClient'
import { useLatestCall } from '../composables/useLatestCall'
import { sortFindingGroups, type FindingColumn, type FindingSort } from '../scan/sortFindings'

/**
 * The Scan view: chosen folders, options, the running scan's progress and what was found.
 * Secrets never come here: findings carry masked values, and every action names a finding id.
 */
export const useScanStore = defineStore('scan', () => {
  let client: ScanClient | undefined
  let unsubscribers: Array<() => void> = []

  const loaded = ref(false)
  const folders = ref<ScanFolder[]>([])
  const options = ref<ScanOptions>({
    skipGitObjects: true,
    skipNodeModules: true,
    skipLargeFiles: true
  })
  const progress = ref<ScanProgress | null>(null)
  const lastScan = ref<ScanSummary | null>(null)
  const lastDetails = shallowRef<Pick<LastScan, 'skipped' | 'skippedTruncated'> | null>(null)
  const groups = shallowRef<FindingGroup[]>([])
  const showIgnored = ref(false)
  // By key, as main groups them: your keys first, then the unknown ones.
  const sort = ref<FindingSort>({ column: 'key', direction: 'asc' })
  const starting = ref(false)
  const loads = useLatestCall('The scan results could not be read.')

  const visibleGroups = computed(() =>
    sortFindingGroups(groups.value, sort.value, showIgnored.value)
  )
  const allFindings = computed(() => groups.value.flatMap((g) => g.findings))
  const ignoredCount = computed(() => allFindings.value.filter((f) => f.ignored).length)
  const running = computed(() => progress.value !== null || starting.value)

  function useClient(next: ScanClient): void {
    for (const off of unsubscribers) off()
    client = next
    unsubscribers = [client.onProgress(onProgress), client.onFinished(onFinished)]
  }

  function api(): ScanClient {
    if (!client) useClient(createScanClient())
    return client!
  }

  /** The view opened: its state and results, and the scan threads warmed for the first scan. */
  async function open(): Promise<void> {
    void api()
      .prepare()
      .catch(() => undefined)
    await loads.run(
      () => Promise.all([api().state(), api().results()]),
      ([state, results]) => {
        folders.value = state.folders
        options.value = state.options
        progress.value = state.running
        lastScan.value = state.lastScan
        applyResults(results)
        loaded.value = true
      }
    )
  }

  async function reloadResults(): Promise<void> {
    await loads.run(() => api().results(), applyResults)
  }

  function applyResults(results: Awaited<ReturnType<ScanClient['results']>>): void {
    groups.value = results.groups
    lastDetails.value = results.lastScan
      ? { skipped: results.lastScan.skipped, skippedTruncated: results.lastScan.skippedTruncated }
      : null
    if (results.lastScan) {
      const { skipped: _s, skippedTruncated: _t, ...summary } = results.lastScan
      lastScan.value = summary
    }
  }

  /** Throws the AppError (with its field error) for the form to show. */
  async function addFolder(path: string): Promise<ScanFolder> {
    const { added, folders: next } = await api().addFolder(path)
    folders.value = next
    return added
  }

  /** The OS folder picker (desktop app); null when the user cancelled it. */
  async function chooseFolder(): Promise<ScanFolder | null> {
    const { added, folders: next } = await api().chooseFolder()
    folders.value = next
    return added
  }

  async function removeFolder(folderId: number): Promise<void> {
    folders.value = (await api().removeFolder(folderId)).folders
    await reloadResults()
  }

  async function setOption(name: keyof ScanOptions, value: boolean): Promise<void> {
    const before = options.value
    options.value = { ...before, [name]: value }
    try {
      options.value = await api().setOptions(options.value)
    } catch (e) {
      options.value = before
      throw e
    }
  }

  async function start(): Promise<void> {
    starting.value = true
    try {
      const { scanId } = await api().start()
      // A small scan may have finished (its event arrived) before this answer did.
      if (lastScan.value && lastScan.value.scanId >= scanId) return
      progress.value ??= {
        scanId,
        filesListed: 0,
        filesScanned: 0,
        filesUnchanged: 0,
        bytesScanned: 0,
        findings: 0,
        currentFolder: folders.value[0]?.path ?? '',
        listingDone: false
      }
    } finally {
      starting.value = false
    }
  }

  async function cancel(): Promise<void> {
    await api().cancel()
  }

  async function ignore(finding: Finding, ignored: boolean): Promise<void> {
    replaceFinding(await api().ignore(finding.id, ignored))
  }

  function showInFolder(finding: Finding): ReturnType<ScanClient['showInFolder']> {
    return api().showInFolder(finding.id)
  }

  async function disableKey(finding: Finding): ReturnType<ScanClient['disableKey']> {
    const result = await api().disableKey(finding.id)
    await reloadResults()
    return result
  }

  /** Where one key was found: the Disable and Delete dialogs of the Keys list show these. */
  function keyFiles(accountId: string, keyId: string): Promise<KeyFile[]> {
    return api().keyFiles(accountId, keyId)
  }

  function replaceFinding(next: Finding): void {
    groups.value = groups.value.map((group) =>
      group.findings.some((f) => f.id === next.id)
        ? { ...group, findings: group.findings.map((f) => (f.id === next.id ? next : f)) }
        : group
    )
  }

  function setSort(column: FindingColumn): void {
    sort.value =
      sort.value.column === column
        ? { column, direction: sort.value.direction === 'asc' ? 'desc' : 'asc' }
        : { column, direction: column === 'found' ? 'desc' : 'asc' }
  }

  function onProgress(next: ScanProgress): void {
    // A late event of a scan that already ended must not bring the bar back.
    if (lastScan.value && next.scanId <= lastScan.value.scanId) return
    progress.value = next
  }

  function onFinished(summary: ScanSummary): void {
    progress.value = null
    lastScan.value = summary
    void reloadResults()
  }

  return {
    loaded,
    folders,
    options,
    progress,
    lastScan,
    lastDetails,
    groups,
    visibleGroups,
    allFindings,
    ignoredCount,
    showIgnored,
    sort,
    running,
    starting,
    problem: loads.problem,
    loading: loads.busy,
    useClient,
    open,
    reloadResults,
    addFolder,
    chooseFolder,
    removeFolder,
    setOption,
    start,
    cancel,
    ignore,
    showInFolder,
    disableKey,
    keyFiles,
    setSort
  }
})
