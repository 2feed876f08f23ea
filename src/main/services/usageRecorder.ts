import type { UsageEventsTable, UsageKind } from '../db/tables/usageEventsTable'
import type { VectaraRequestInfo } from '../vectara'
import type { Logger } from '../log'

export interface UsageContext {
  accountId: string
  /** The key whose secret authenticated the request; absent for the account's admin credential. */
  keyId?: string
  /** Overrides the operation name, e.g. `probe` for propagation checks. */
  action?: string
}

/**
 * Turns the client's per-call facts into usage history rows. The info carries no header or body,
 * so nothing here can hold a secret; recording must never break (or slow) the request itself,
 * so rows are written in a batch just after it (any read of the history writes them first).
 */
export class UsageRecorder {
  constructor(
    private readonly usage: UsageEventsTable,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now
  ) {}

  observer(context: UsageContext): (info: VectaraRequestInfo) => void {
    return (info) => {
      try {
        this.usage.enqueue({
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
        })
      } catch (error) {
        this.logger.warn('could not record a usage event', error)
      }
    }
  }
}

/** Running a query is use of a key; everything else (listing, managing, history) is admin. */
function kindOf(operation: string): UsageKind {
  return operation === 'query' || operation === 'queryCorpus' ? 'query' : 'admin'
}
