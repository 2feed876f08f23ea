import type { PlaygroundHistoryTable } from '../db/tables/playgroundHistoryTable'
import type { RemoteQueriesTable } from '../db/tables/remoteQueriesTable'
import type { UsageEventsTable } from '../db/tables/usageEventsTable'
import type { Logger } from '../log'
import { DAY_MS, localDay } from './days'

export interface RetentionOptions {
  usage: UsageEventsTable
  remote: RemoteQueriesTable
  playground: PlaygroundHistoryTable
  logger: Logger
  now?: () => number
  maxEvents?: number
  maxDays?: number
  /** Rows per delete statement; each is its own short transaction. */
  batchSize?: number
  intervalMs?: number
  /** The first run waits this long so it does not compete with start-up. */
  startDelayMs?: number
}

export const MAX_EVENTS = 1_000_000
export const MAX_DAYS = 365

/**
 * Keeps the usage history within 365 days and 1,000,000 events. Deletes run in small batches,
 * each its own transaction, with a turn of the event loop between them: IPC calls keep being
 * answered while a large backlog is pruned. Runs shortly after start and then hourly.
 */
export class UsageRetention {
  readonly maxEvents: number
  readonly maxDays: number
  lastPrunedAt: number | null = null
  private readonly batchSize: number
  private readonly now: () => number
  private timer?: ReturnType<typeof setTimeout>
  private running?: Promise<number>
  private stopped = false

  constructor(private readonly options: RetentionOptions) {
    this.maxEvents = options.maxEvents ?? MAX_EVENTS
    this.maxDays = options.maxDays ?? MAX_DAYS
    this.batchSize = options.batchSize ?? 2000
    this.now = options.now ?? Date.now
  }

  start(): void {
    this.stopped = false
    this.schedule(this.options.startDelayMs ?? 10_000)
  }

  async stop(): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    await this.running?.catch(() => {})
  }

  /** One full pass; resolves with the number of rows deleted. Concurrent calls share a pass. */
  prune(): Promise<number> {
    this.running ??= this.pass().finally(() => (this.running = undefined))
    return this.running
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return
    this.timer = setTimeout(() => {
      this.prune()
        .catch((error: unknown) => this.options.logger.warn('usage pruning failed', error))
        .finally(() => this.schedule(this.options.intervalMs ?? 3_600_000))
    }, delayMs)
    this.timer.unref?.()
  }

  private async pass(): Promise<number> {
    const { usage, remote, playground } = this.options
    const cutoff = this.now() - this.maxDays * DAY_MS
    let deleted = 0
    deleted += await this.inBatches((n) => usage.pruneOlderThan(cutoff, n))
    let excess = usage.stats().events - this.maxEvents
    while (excess > 0 && !this.stopped) {
      const n = usage.pruneOldest(Math.min(this.batchSize, excess))
      if (n === 0) break
      excess -= n
      deleted += n
      await nextTurn()
    }
    usage.daily.pruneBefore(localDay(cutoff))
    deleted += await this.inBatches((n) => remote.pruneOlderThan(cutoff, n))
    deleted += await this.inBatches((n) => playground.pruneOlderThan(cutoff, n))
    this.lastPrunedAt = this.now()
    if (deleted > 0) this.options.logger.info(`usage retention removed ${deleted} old rows`)
    return deleted
  }

  private async inBatches(step: (limit: number) => number): Promise<number> {
    let total = 0
    while (!this.stopped) {
      const n = step(this.batchSize)
      total += n
      if (n < this.batchSize) break
      await nextTurn()
    }
    return total
  }
}

/** Lets pending I/O and IPC callbacks run before the next batch. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
