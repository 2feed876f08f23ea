import type { KeyKind, Propagation } from '@shared/contract/keys'
import type { StoredAccount } from '../db/tables/accountsTable'
import type { Logger } from '../log'
import type { EventBus } from '../router'
import type { VectaraClient } from '../vectara'
import { canProbe, probeKey } from './keyProbe'

/** Vectara's own words: about a minute to block a disabled key, a couple of minutes to serve again. */
export const EXPECTED_DISABLE_MS = 60_000
export const EXPECTED_ENABLE_MS = 120_000
/** Probing stops here and says it could not confirm. */
export const PROBE_LIMIT_MS = 5 * 60_000
const FIRST_PROBE_DELAY_MS = 1_000
const MAX_PROBE_DELAY_MS = 15_000

export interface PropagationTarget {
  account: StoredAccount
  keyId: string
  /** A Personal key is probed by listing keys; others by a query on their first corpus. */
  kind?: KeyKind
  corpora: string[]
  action: 'disable' | 'enable'
  /** The key's own secret, when the keychain has it: then we can watch the change happen. */
  secret: string | null
}

export interface PropagationDeps {
  events: EventBus
  logger: Logger
  /** A client that authenticates with the key itself (requests recorded as probes). */
  probeClient: (account: StoredAccount, keyId: string, secret: string) => VectaraClient
  now?: () => number
  setTimer?: (fn: () => void, ms: number) => ReturnType<typeof setTimeout>
  clearTimer?: (timer: ReturnType<typeof setTimeout>) => void
}

interface Tracked {
  propagation: Propagation
  timer?: ReturnType<typeof setTimeout>
  cancelled: boolean
}

/**
 * Follows a disable or enable until it has taken effect. With the key's secret, main sends a
 * minimal query with backoff until the answer flips (401/403 = blocked, 200 = serving); without
 * it, a countdown to Vectara's stated delay. Each change is pushed as `propagation.update`.
 */
export class PropagationService {
  private readonly tracked = new Map<string, Tracked>()
  private readonly now: () => number
  private readonly setTimer: NonNullable<PropagationDeps['setTimer']>
  private readonly clearTimer: NonNullable<PropagationDeps['clearTimer']>

  constructor(private readonly deps: PropagationDeps) {
    this.now = deps.now ?? Date.now
    this.setTimer = deps.setTimer ?? ((fn, ms) => setTimeout(fn, ms))
    this.clearTimer = deps.clearTimer ?? ((timer) => clearTimeout(timer))
  }

  start(target: PropagationTarget): Propagation {
    this.cancel(target.account.id, target.keyId)
    const startedAt = this.now()
    const probing =
      target.secret !== null &&
      canProbe({ kind: target.kind ?? 'unknown', corpora: target.corpora })
    const propagation: Propagation = {
      action: target.action,
      startedAt,
      mode: probing ? 'probing' : 'countdown',
      expectedBy:
        startedAt + (target.action === 'disable' ? EXPECTED_DISABLE_MS : EXPECTED_ENABLE_MS),
      state: 'pending'
    }
    const entry: Tracked = { propagation, cancelled: false }
    this.tracked.set(idOf(target.account.id, target.keyId), entry)
    if (probing) {
      this.scheduleProbe(entry, target, FIRST_PROBE_DELAY_MS)
    } else {
      entry.timer = this.setTimer(
        () => this.settle(entry, target, 'assumed'),
        propagation.expectedBy - startedAt
      )
    }
    return propagation
  }

  /** The current state for a key, while it is pending or recently settled. */
  get(accountId: string, keyId: string): Propagation | undefined {
    return this.tracked.get(idOf(accountId, keyId))?.propagation
  }

  cancel(accountId: string, keyId: string): void {
    const entry = this.tracked.get(idOf(accountId, keyId))
    if (!entry) return
    entry.cancelled = true
    if (entry.timer) this.clearTimer(entry.timer)
    this.tracked.delete(idOf(accountId, keyId))
  }

  stopAll(): void {
    for (const entry of this.tracked.values()) {
      entry.cancelled = true
      if (entry.timer) this.clearTimer(entry.timer)
    }
    this.tracked.clear()
  }

  private scheduleProbe(entry: Tracked, target: PropagationTarget, delayMs: number): void {
    entry.timer = this.setTimer(() => void this.probe(entry, target, delayMs), delayMs)
  }

  private async probe(
    entry: Tracked,
    target: PropagationTarget,
    lastDelayMs: number
  ): Promise<void> {
    if (entry.cancelled) return
    const serving = await this.isServing(target)
    if (entry.cancelled) return
    const wanted = target.action === 'enable'
    if (serving === wanted) {
      this.settle(entry, target, 'confirmed')
      return
    }
    if (this.now() - entry.propagation.startedAt >= PROBE_LIMIT_MS) {
      this.settle(entry, target, 'timeout')
      return
    }
    this.scheduleProbe(entry, target, Math.min(lastDelayMs * 2, MAX_PROBE_DELAY_MS))
  }

  /** true: the key answers queries; false: it is refused; null: we could not tell (offline). */
  private async isServing(target: PropagationTarget): Promise<boolean | null> {
    const client = this.deps.probeClient(target.account, target.keyId, target.secret!)
    const { serving, error } = await probeKey(client, {
      kind: target.kind ?? 'unknown',
      corpora: target.corpora
    })
    if (serving === null)
      this.deps.logger.warn(`propagation probe for ${target.keyId} could not tell`, error)
    return serving
  }

  private settle(entry: Tracked, target: PropagationTarget, state: Propagation['state']): void {
    if (entry.cancelled) return
    entry.timer = undefined
    entry.propagation = {
      ...entry.propagation,
      state,
      ...(state === 'confirmed' ? { confirmedAt: this.now() } : {})
    }
    this.deps.events.emit('propagation.update', {
      accountId: target.account.id,
      keyId: target.keyId,
      propagation: entry.propagation
    })
  }
}

function idOf(accountId: string, keyId: string): string {
  return `${accountId}\u0000${keyId}`
}
