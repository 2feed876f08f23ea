import type { UsageEvent, UsageEventsTable, UsageKind } from '../db/tables/usageEventsTable'
import type { VectaraRequestInfo } from '../vectara'
import type { Logger } from '../log'

export interface UsageContext {
  accountId: string
  /** The key whose secret authenticated the request; absent for the account's admin credential. */
  keyId?: string
  /** Overrides the operation name, e.g. `probe` for propagation checks. */
  action?: string
}

export interface UsageRecorderDeps {
  usage: UsageEventsTable
  logger: Logger
  /** Told (debounced) which accounts have new usage, so an open Usage view can follow. */
  onRecorded?: (accountId: string) => void
  now?: () => number
  /** How long a burst of events is gathered into one `onRecorded` per account. Default 250 ms. */
  notifyAfterMs?: number
}

/** Paged reads: a key list of 10,000 keys is a hundred of them in a row, so they are batched. */
const BATCHED = new Set(['apiKeys.list', 'corpora.list', 'documents.list', 'queries.list'])

/**
 * Turns the client's per-call facts into usage history rows. The info carries no header or body,
 * so nothing here can hold a secret; recording must never break the request itself.
 *
 * A request that answers one thing (a query, a probe, a create or delete) is committed before
 * its caller sees the answer, in its own small transaction: what the app has acknowledged
 * survives a crash. Paged reads come in bursts and are batched on the next turn instead (any
 * read of the history writes them first).
 */
export class UsageRecorder {
  private readonly now: () => number
  private readonly notifyAfterMs: number
  private readonly changed = new Set<string>()
  private timer: NodeJS.Timeout | undefined

  constructor(private readonly deps: UsageRecorderDeps) {
    this.now = deps.now ?? Date.now
    this.notifyAfterMs = deps.notifyAfterMs ?? 250
  }

  observer(context: UsageContext): (info: VectaraRequestInfo) => void {
    return (info) => {
      const event: UsageEvent = {
        at: this.now(),
        accountId: context.accountId,
        keyId: context.keyId,
        kind: kindOf(info.operation),
        action: context.action ?? info.operation,
        method: info.method,
        path: info.path,
        status: info.status,
        latencyMs: Math.round(info.latencyMs * 10) / 10,
        resultCount: info.resultCount,
        errorCode: info.errorCode
      }
      try {
        if (BATCHED.has(info.operation)) this.deps.usage.enqueue(event)
        else this.deps.usage.insert(event)
      } catch (error) {
        this.deps.logger.warn('could not record a usage event', error)
        return
      }
      this.notify(context.accountId)
    }
  }

  /** Drops a pending notification (the app is closing: nobody is listening any more). */
  stop(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    this.changed.clear()
  }

  private notify(accountId: string): void {
    if (!this.deps.onRecorded) return
    this.changed.add(accountId)
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      const accounts = [...this.changed]
      this.changed.clear()
      for (const id of accounts) {
        try {
          this.deps.onRecorded?.(id)
        } catch (error) {
          this.deps.logger.warn('could not announce new usage', error)
        }
      }
    }, this.notifyAfterMs)
    // A pending notice must not keep a test process or the harness alive on its own.
    this.timer.unref?.()
  }
}

/** Running a query is use of a key; everything else (listing, managing, history) is admin. */
function kindOf(operation: string): UsageKind {
  return operation === 'query' || operation === 'queryCorpus' ? 'query' : 'admin'
}
