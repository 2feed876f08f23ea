import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type { KeyKind } from '@shared/contract/keys'
import type {
  HistoryEntry,
  PlaygroundAnswer,
  PlaygroundCredential,
  PlaygroundStream
} from '@shared/contract/playground'
import { addStreamEvent, emptyAnswer } from '@shared/playground/answer'
import { buildQueryHttpRequest } from '@shared/playground/httpRequest'
import {
  defaultPlaygroundOptions,
  optionsWithDefaults,
  type PlaygroundOptions
} from '@shared/playground/options'
import { buildQueryRequest } from '@shared/playground/request'
import { buildSnippet } from '@shared/playground/snippets'
import { redactStrings } from '@shared/playground/snippets/redactStrings'
import {
  createPlaygroundClient,
  type PlaygroundClient,
  type RunResult
} from '../api/playgroundClient'
import { useLatestCall } from '../composables/useLatestCall'
import { newRunId } from '../playground/format'
import { forgetPastedSecret, pastedSecret, type PastedKeyInfo } from '../playground/pastedKey'

export type KeyChoice =
  { type: 'stored'; keyId: string } | ({ type: 'pasted' } & PastedKeyInfo) | null

export type FieldName = 'key' | 'corpora' | 'query'

export interface Opened {
  status: number
  ttfbMs: number
  requestId?: string
}

/**
 * The playground form and the run in progress. The only trace of a pasted key here is its
 * masked form: its secret stays in `pastedKey.ts` and goes to main with each run.
 */
export const usePlaygroundStore = defineStore('playground', () => {
  let client: PlaygroundClient | undefined
  let unsubscribe: (() => void) | undefined

  const accountId = ref<string | null>(null)
  const key = ref<KeyChoice>(null)
  const corpusKeys = ref<string[]>([])
  const query = ref('')
  const options = ref<PlaygroundOptions>({ ...defaultPlaygroundOptions })
  const errors = ref<Partial<Record<FieldName, string>>>({})

  const runId = ref<string | null>(null)
  // `problem`: the call itself failed (nothing was sent): no keychain, unknown secret, bad
  // input. What Vectara answered, errors included, is in `result`.
  const runs = useLatestCall('The query could not be sent.')
  const running = runs.busy
  const opened = ref<Opened | null>(null)
  const live = ref<PlaygroundAnswer>(emptyAnswer())
  const events = ref(0)
  const result = shallowRef<RunResult | null>(null)

  const request = computed(() =>
    buildQueryRequest({ query: query.value, corpusKeys: corpusKeys.value, options: options.value })
  )

  function useClient(next: PlaygroundClient): void {
    unsubscribe?.()
    client = next
    unsubscribe = client.onStream(onStream)
  }

  function api(): PlaygroundClient {
    if (!client) useClient(createPlaygroundClient())
    return client!
  }

  function onStream(payload: PlaygroundStream): void {
    if (payload.runId !== runId.value || !running.value) return
    if (payload.kind === 'open') {
      opened.value = {
        status: payload.status,
        ttfbMs: payload.ttfbMs,
        requestId: payload.requestId
      }
      return
    }
    events.value++
    addStreamEvent(live.value, payload.event)
  }

  /** A new account: its keys and corpora differ, so the choices made for the old one go. */
  function setAccount(id: string | null): void {
    if (id === accountId.value) return
    accountId.value = id
    clearKey()
    corpusKeys.value = []
    errors.value = {}
  }

  function chooseStoredKey(keyId: string): void {
    forgetPastedSecret()
    key.value = { type: 'stored', keyId }
    errors.value = { ...errors.value, key: undefined }
  }

  function usePastedKey(info: PastedKeyInfo): void {
    key.value = { type: 'pasted', ...info }
    errors.value = { ...errors.value, key: undefined }
  }

  function clearKey(): void {
    forgetPastedSecret()
    key.value = null
  }

  function keyKind(resolve: (keyId: string) => KeyKind | undefined): KeyKind | undefined {
    const choice = key.value
    if (!choice) return undefined
    return choice.type === 'pasted' ? choice.kind : resolve(choice.keyId)
  }

  function validate(): PlaygroundCredential | null {
    const next: Partial<Record<FieldName, string>> = {}
    let credential: PlaygroundCredential | null = null
    if (!key.value) next.key = 'Choose a key, or paste one.'
    else if (key.value.type === 'stored') credential = { type: 'stored', keyId: key.value.keyId }
    else {
      const secret = pastedSecret()
      if (secret) credential = { type: 'pasted', secret }
      else next.key = 'Paste the key again: pasted keys are not kept.'
    }
    if (corpusKeys.value.length === 0) next.corpora = 'Choose at least one corpus.'
    if (!query.value.trim()) next.query = 'Type a query.'
    errors.value = next
    return Object.keys(next).length === 0 ? credential : null
  }

  /** Sends the form; resolves with the result (or null when nothing could be sent). */
  async function send(): Promise<RunResult | null> {
    if (running.value || !accountId.value) return null
    const credential = validate()
    if (!credential) return null
    const input = {
      runId: newRunId(),
      accountId: accountId.value,
      credential,
      corpusKeys: [...corpusKeys.value],
      query: query.value,
      options: { ...options.value }
    }
    runs.reset()
    runId.value = input.runId
    opened.value = null
    live.value = emptyAnswer()
    events.value = 0
    result.value = null
    let sent: RunResult | null = null
    await runs.run(
      () => api().run(input),
      (answer) => {
        sent = answer
        result.value = answer
        live.value = answer.answer
        if (answer.response.status !== undefined && answer.response.ttfbMs !== undefined) {
          opened.value = {
            status: answer.response.status,
            ttfbMs: answer.response.ttfbMs,
            requestId: answer.response.requestId
          }
        }
      }
    )
    return sent
  }

  async function cancel(): Promise<void> {
    if (running.value && runId.value) await api().cancel(runId.value)
  }

  /**
   * Puts a history entry back in the form. Its key comes back while it is still a key of the
   * account (main gets its secret if the keychain lacks it); a pasted key does not.
   */
  function loadEntry(entry: HistoryEntry, accountKeyIds: ReadonlySet<string>): void {
    query.value = entry.query
    corpusKeys.value = [...entry.corpusKeys]
    options.value = optionsWithDefaults(entry.options)
    if (entry.keyId && accountKeyIds.has(entry.keyId)) chooseStoredKey(entry.keyId)
    else if (entry.keyId || key.value?.type !== 'pasted') clearKey()
    errors.value = {}
  }

  function resetOptions(): void {
    options.value = { ...defaultPlaygroundOptions }
  }

  /** The form as the cURL command main's request builder describes (the Code tab's cURL). */
  function curl(baseUrl: string): string {
    const form = { query: query.value, corpusKeys: corpusKeys.value, options: options.value }
    return buildSnippet(buildQueryHttpRequest({ baseUrl, query: form }), 'curl').code
  }

  /** Keeps a pasted secret in the keychain under the known key it belongs to, if any. */
  async function rememberPasted(
    secret: string
  ): Promise<{ keyId: string; name: string; kind: KeyKind }> {
    if (!accountId.value) throw new Error('No account is selected.')
    const known = await api().rememberSecret(accountId.value, secret)
    chooseStoredKey(known.keyId)
    return known
  }

  async function copyText(text: string): Promise<void> {
    await api().copyText(text)
  }

  /**
   * The body Send would post. A key typed into the query or a filter is redacted first, the
   * way the Code tabs do it (escaped in JSON, it would slip past main's secret check).
   */
  async function copyRequestJson(): Promise<void> {
    await api().copyText(JSON.stringify(redactStrings(request.value), null, 2))
  }

  return {
    accountId,
    key,
    corpusKeys,
    query,
    options,
    errors,
    runId,
    running,
    opened,
    live,
    events,
    result,
    problem: runs.problem,
    request,
    useClient,
    setAccount,
    chooseStoredKey,
    usePastedKey,
    clearKey,
    keyKind,
    send,
    cancel,
    loadEntry,
    resetOptions,
    curl,
    copyRequestJson,
    copyText,
    rememberPasted
  }
})
