import type { CallInput, CallOutput } from '@shared/contract'
import type { KeyKind } from '@shared/contract/keys'
import type {
  HistoryEntry,
  PlaygroundCredential,
  PlaygroundError,
  PlaygroundResult,
  PlaygroundRunInput
} from '@shared/contract/playground'
import { AppError } from '@shared/errors'
import { kindOfSecret } from '@shared/keyKinds'
import { addStreamEvent, answerFromFull, emptyAnswer } from '@shared/playground/answer'
import { optionsWithDefaults } from '@shared/playground/options'
import { buildQueryHttpRequest, type QueryHttpRequest } from '@shared/playground/httpRequest'
import { maskSecret, redactSecrets } from '@shared/redact'
import type { Clipboard } from '../clipboard'
import type { KeyCacheTable } from '../db/tables/keyCacheTable'
import type {
  PlaygroundHistoryTable,
  StoredPlaygroundRecord
} from '../db/tables/playgroundHistoryTable'
import type { StoredAccount } from '../db/tables/accountsTable'
import type { Logger } from '../log'
import { capturingFetch, emptyCapture, round } from '../playground/capture'
import { explainFailure } from '../playground/explain'
import type { EventBus } from '../router'
import { isVectaraError } from '../vectara'
import { scrubSecrets } from '../vectara/errors'
import type { AccountsService } from './accountsService'
import type { KeySecretsService } from './keySecretsService'
import type { VectaraClients } from './vectaraClients'

export interface PlaygroundServiceDeps {
  accounts: AccountsService
  clients: VectaraClients
  /** Where a stored key's secret comes from: the keychain, or Vectara (Reveal's path). */
  keySecrets: Pick<KeySecretsService, 'secretFor' | 'storeSecret'>
  keyCache: KeyCacheTable
  history: PlaygroundHistoryTable
  events: EventBus
  clipboard: Clipboard
  logger: Logger
  now?: () => number
  /** Per request (and longest quiet gap in a stream). Default 30 s. */
  timeoutMs?: number
}

/** Who authenticates a run. The secret lives only in this object, for the length of the run. */
interface RunKey {
  secret: string
  keyId: string | null
  name: string
  kind: KeyKind
  masked: string | null
  corpora?: string[]
  label: string
}

const HISTORY_LIMIT = 200

/**
 * Sends playground queries from main with the key's secret in x-api-key, streams their events
 * to the renderer, and records each request (never its secret) in the playground history.
 * A pasted secret is used for its one request and dropped.
 */
export class PlaygroundService {
  private readonly running = new Map<string, AbortController>()
  private readonly now: () => number

  constructor(private readonly deps: PlaygroundServiceDeps) {
    this.now = deps.now ?? Date.now
  }

  async run(input: PlaygroundRunInput): Promise<PlaygroundResult> {
    if (this.running.has(input.runId))
      throw new AppError('CONFLICT', 'A run with this id is already in progress.')
    const account = this.deps.accounts.get(input.accountId)
    const key = await this.keyFor(account, input.credential)
    // The one description of the request: what is sent here is what the Code tabs copy.
    const http = buildQueryHttpRequest({ baseUrl: this.baseUrlOf(account), query: input })
    const controller = new AbortController()
    this.running.set(input.runId, controller)
    try {
      return await this.send(input, account, key, http, controller.signal)
    } finally {
      this.running.delete(input.runId)
    }
  }

  cancel(runId: string): CallOutput<'playground.cancel'> {
    const controller = this.running.get(runId)
    controller?.abort()
    return { cancelled: controller !== undefined }
  }

  cancelAll(): void {
    for (const controller of this.running.values()) controller.abort()
  }

  /** Stores a pasted secret under the one known key of the account it belongs to. */
  async rememberSecret(
    input: CallInput<'playground.rememberSecret'>
  ): Promise<CallOutput<'playground.rememberSecret'>> {
    const account = this.deps.accounts.get(input.accountId)
    const masked = maskSecret(input.secret)
    const candidates = this.deps.keyCache
      .live(account.id)
      .filter((key) => key.maskedSecret === masked)
    const match = candidates.length === 1 ? candidates[0] : undefined
    if (!match || !(await this.confirmSecret(account, match.keyId, input.secret))) {
      throw new AppError(
        'NOT_FOUND',
        `This secret does not match a key of "${account.name}" that the app knows. It can be used once without being stored. (Refresh the key list if the key is new.)`
      )
    }
    await this.deps.keySecrets.storeSecret({
      accountId: account.id,
      keyId: match.keyId,
      secret: input.secret
    })
    return { keyId: match.keyId, name: match.name, kind: match.kind }
  }

  history(input: CallInput<'playground.history'>): CallOutput<'playground.history'> {
    const { history } = this.deps
    return {
      saved: history.saved(input.accountId, input.search).map(toEntry),
      recent: history
        .recent(input.accountId, input.search, input.limit ?? HISTORY_LIMIT)
        .map(toEntry)
    }
  }

  saveEntry(input: CallInput<'playground.saveEntry'>): HistoryEntry {
    this.entryOrThrow(input.id)
    this.deps.history.setName(input.id, input.name, this.now())
    return toEntry(this.entryOrThrow(input.id))
  }

  deleteEntry(id: number): CallOutput<'playground.deleteEntry'> {
    return { deleted: this.deps.history.delete(id) }
  }

  clearHistory(input: CallInput<'playground.clearHistory'>): CallOutput<'playground.clearHistory'> {
    return { deleted: this.deps.history.clear(input.accountId, input.includeSaved) }
  }

  /** Only non-secret text: anything shaped like a key secret is refused, never copied. */
  async copyText(text: string): Promise<CallOutput<'playground.copyText'>> {
    if (redactSecrets(text) !== text) {
      throw new AppError(
        'BAD_INPUT',
        'This text contains something that looks like an API key secret, so it was not copied.'
      )
    }
    await this.deps.clipboard.writeText(text)
    return { copied: true }
  }

  private async send(
    input: PlaygroundRunInput,
    account: StoredAccount,
    key: RunKey,
    http: QueryHttpRequest,
    signal: AbortSignal
  ): Promise<PlaygroundResult> {
    const at = this.now()
    const capture = emptyCapture()
    const answer = emptyAnswer()
    const startedAt = performance.now()
    const { body } = http
    let error: PlaygroundError | undefined
    try {
      const client = this.deps.clients.forKey(
        account,
        key.keyId ?? undefined,
        key.secret,
        undefined,
        {
          fetch: capturingFetch(this.deps.clients.fetch, capture, startedAt),
          // A playground shows exactly what one request got: no silent retries.
          retry: { maxRetries: 0 },
          timeoutMs: this.deps.timeoutMs,
          streamIdleTimeoutMs: this.deps.timeoutMs
        }
      )
      if (http.stream) {
        const stream = await client.query({ ...body, stream_response: true }, { signal })
        this.deps.events.emit('playground.stream', {
          runId: input.runId,
          kind: 'open',
          status: capture.status ?? 200,
          ttfbMs: capture.ttfbMs ?? 0,
          ...(capture.requestId ? { requestId: capture.requestId } : {})
        })
        for await (const event of stream) {
          addStreamEvent(answer, event)
          const atMs = round(performance.now() - startedAt)
          this.deps.events.emit('playground.stream', {
            runId: input.runId,
            kind: 'event',
            atMs,
            event
          })
        }
      } else {
        Object.assign(
          answer,
          answerFromFull(await client.query({ ...body, stream_response: false }, { signal }))
        )
      }
    } catch (thrown) {
      if (!isVectaraError(thrown) && !(thrown instanceof AppError))
        this.deps.logger.error('playground run failed unexpectedly', thrown)
      error = explainFailure(thrown, {
        keyLabel: key.label,
        keyKind: key.kind,
        keyCorpora: key.corpora,
        corpusKeys: input.corpusKeys,
        host: hostOf(http.url),
        sandbox: account.authKind === 'sandbox'
      })
    }
    const totalMs = round(performance.now() - startedAt)
    if (!error && answer.streamErrors.length > 0) {
      error = {
        code: 'API_SERVER_ERROR',
        title: 'The stream reported an error',
        explanation:
          'Vectara answered, then reported a problem part-way through. What arrived before it is shown.',
        messages: answer.streamErrors
      }
    }
    const historyId = this.record(
      input,
      key,
      at,
      capture.status,
      totalMs,
      answer.searchResults.length,
      error
    )
    return {
      runId: input.runId,
      historyId,
      request: {
        method: http.method,
        url: http.url,
        body,
        streamed: http.stream,
        keyLabel: key.label
      },
      response: {
        ...(capture.status !== undefined ? { status: capture.status } : {}),
        ...(capture.requestId ? { requestId: capture.requestId } : {}),
        ...(capture.contentType ? { contentType: capture.contentType } : {}),
        ...(capture.ttfbMs !== undefined ? { ttfbMs: capture.ttfbMs } : {}),
        totalMs,
        sizeBytes: capture.sizeBytes,
        // Defence in depth: no server should echo the key, but the raw body is shown as is.
        raw: scrubSecrets(capture.raw, [key.secret]),
        rawTruncated: capture.rawTruncated
      },
      answer,
      ...(error ? { error } : {})
    }
  }

  /** Everything about the run but its secret; query text is scrubbed of anything secret-shaped. */
  private record(
    input: PlaygroundRunInput,
    key: RunKey,
    at: number,
    status: number | undefined,
    latencyMs: number,
    resultCount: number,
    error: PlaygroundError | undefined
  ): number {
    return this.deps.history.insert({
      at,
      accountId: input.accountId,
      keyId: key.keyId,
      keyName: key.name,
      keyKind: key.kind,
      keyMasked: key.masked,
      corpusKeys: input.corpusKeys,
      query: redactSecrets(input.query),
      options: { ...input.options, metadataFilter: redactSecrets(input.options.metadataFilter) },
      status: status ?? null,
      latencyMs,
      resultCount: error && resultCount === 0 ? null : resultCount,
      errorCode: error?.code ?? null,
      errorMessage: error ? redactSecrets(error.title) : null
    })
  }

  private async keyFor(account: StoredAccount, credential: PlaygroundCredential): Promise<RunKey> {
    if (credential.type === 'pasted') {
      const masked = maskSecret(credential.secret)
      return {
        secret: credential.secret,
        keyId: null,
        name: 'Pasted key',
        kind: kindOfSecret(credential.secret),
        masked,
        label: `the pasted key (${masked})`
      }
    }
    const cached = this.deps.keyCache.get(account.id, credential.keyId)
    const name = cached?.name ?? credential.keyId
    // Not in the keychain yet: fetched from Vectara into it, as Reveal does; only a key whose
    // secret Vectara does not return has to be pasted (SECRET_UNKNOWN says so).
    const secret = await this.deps.keySecrets.secretFor(
      account.id,
      credential.keyId,
      'key.fetchSecret'
    )
    return {
      secret,
      keyId: credential.keyId,
      name,
      kind: cached?.kind ?? kindOfSecret(secret),
      masked: cached?.maskedSecret ?? maskSecret(secret),
      corpora: cached?.corpora,
      label: `the key "${name}"`
    }
  }

  /** Where the request goes; a stopped Sandbox fails the run itself, with its explanation. */
  private baseUrlOf(account: StoredAccount): string {
    try {
      return this.deps.clients.baseUrlOf(account)
    } catch {
      return account.baseUrl
    }
  }

  /** When the API returns the key's secret, it must be this one; otherwise the mask must do. */
  private async confirmSecret(
    account: StoredAccount,
    keyId: string,
    secret: string
  ): Promise<boolean> {
    try {
      const known = (await (await this.deps.clients.forAccount(account)).getApiKey(keyId))
        .secret_key
      return known === undefined || known === secret
    } catch {
      return true
    }
  }

  private entryOrThrow(id: number): StoredPlaygroundRecord {
    const entry = this.deps.history.get(id)
    if (!entry) throw new AppError('NOT_FOUND', 'That history entry no longer exists.')
    return entry
  }
}

function toEntry(record: StoredPlaygroundRecord): HistoryEntry {
  return {
    id: record.id,
    at: record.at,
    accountId: record.accountId,
    keyId: record.keyId,
    keyName: record.keyName,
    keyKind: record.keyKind,
    keyMasked: record.keyMasked,
    corpusKeys: record.corpusKeys,
    query: record.query,
    options: optionsWithDefaults(record.options),
    status: record.status,
    latencyMs: record.latencyMs,
    resultCount: record.resultCount,
    errorCode: record.errorCode,
    errorMessage: record.errorMessage,
    name: record.name,
    savedAt: record.savedAt
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return 'the API'
  }
}
