import type { CallInput } from '@shared/contract'
import type { KeyRow } from '@shared/contract/keys'
import { AppError } from '@shared/errors'
import { auditWith, type AuditTable, type RecordAudit } from '../db/tables/auditTable'
import type { ExpiryRemindersTable, ReminderStage } from '../db/tables/expiryRemindersTable'
import type { KeyCacheTable } from '../db/tables/keyCacheTable'
import type { KeyExpiryTable, StoredExpiry } from '../db/tables/keyExpiryTable'
import type { Desktop } from '../desktop'
import { DAY_MS } from '../health/finding'
import { nextDueAt, reminderDue, stagesReached } from '../health/expiryPlan'
import type { Logger } from '../log'
import type { EventBus } from '../router'
import type { AccountsService } from './accountsService'
import { accountCredentialKeyId, type KeysService } from './keysService'
import type { SettingsTable } from '../db/tables/settingsTable'

/** Dates further out than this are almost certainly a typo (year 2205 instead of 2025). */
const MAX_EXPIRY_DAYS = 10 * 366
/** The watcher wakes at least this often, so a sleeping laptop catches up soon after waking. */
const MAX_SLEEP_MS = 60 * 60 * 1000
/** After a failed "Disable at expiry" (offline, say), the next try. */
const RETRY_DISABLE_MS = 5 * 60 * 1000

export interface ExpiryServiceDeps {
  accounts: Pick<AccountsService, 'get' | 'find'>
  keys: Pick<KeysService, 'cachedKey' | 'row' | 'setEnabled'>
  keyCache: KeyCacheTable
  keyExpiry: KeyExpiryTable
  reminders: ExpiryRemindersTable
  settings: Pick<SettingsTable, 'get'>
  audit: AuditTable
  desktop: Pick<Desktop, 'notify'>
  events: EventBus
  logger: Logger
  now?: () => number
}

/**
 * Local expiry dates: setting them, the reminders 14 days and 1 day before and at the date (each
 * at most once, remembered across restarts), and "Disable at expiry". A timer wakes for the next
 * due moment while the app runs; `start()` catches up on whatever fell due while it was closed.
 */
export class ExpiryService {
  private readonly now: () => number
  private readonly audit: RecordAudit
  private timer?: ReturnType<typeof setTimeout>
  private running?: Promise<void>
  private again = false
  private stopped = false

  constructor(private readonly deps: ExpiryServiceDeps) {
    this.now = deps.now ?? Date.now
    this.audit = auditWith(deps.audit, this.now)
  }

  async set(input: CallInput<'expiry.set'>): Promise<KeyRow> {
    this.deps.accounts.get(input.accountId)
    const key = this.deps.keys.cachedKey(input.accountId, input.keyId)
    const now = this.now()
    this.deps.reminders.forget(input.accountId, input.keyId)
    if (input.expiresAt === null) {
      this.deps.keyExpiry.clear(input.accountId, input.keyId)
      this.audit(input.accountId, 'key.clearExpiry', 'ok', input.keyId)
    } else {
      checkDate(input.expiresAt, now)
      if (
        input.disableAtExpiry &&
        accountCredentialKeyId(this.deps.settings, input.accountId) === input.keyId
      ) {
        // KeysService would refuse on the day; better to say so now than in a notification.
        throw new AppError(
          'BAD_INPUT',
          'This app signs in to the account with this key, so it cannot disable it. Set the date without "Disable at expiry", or give the account another credential first.',
          { fieldErrors: { disableAtExpiry: 'The app signs in with this key' } }
        )
      }
      this.deps.keyExpiry.set(
        input.accountId,
        input.keyId,
        { at: input.expiresAt, disableAtExpiry: input.disableAtExpiry },
        now
      )
      // The user just chose this date: reminders already due would only repeat it to them.
      this.deps.reminders.mark(
        input.accountId,
        input.keyId,
        input.expiresAt,
        stagesReached(input.expiresAt, now),
        now
      )
      const detail = `${new Date(input.expiresAt).toISOString()}${input.disableAtExpiry ? ', disable at expiry' : ''}`
      this.audit(input.accountId, 'key.setExpiry', 'ok', input.keyId, detail)
    }
    this.schedule()
    this.deps.events.emit('health.changed', { accountId: input.accountId })
    return this.deps.keys.row(input.accountId, key)
  }

  /**
   * Refuses an expiry chosen with a key that does not exist yet (a rotation's new key) as
   * `set` would refuse it later, when nobody is looking at the form any more.
   */
  checkPlanned(expiresAt: number, disableAtExpiry: boolean, signsIn: boolean): void {
    checkDate(expiresAt, this.now())
    if (disableAtExpiry && signsIn) {
      throw new AppError(
        'BAD_INPUT',
        'This app will sign in to the account with the new key, so it cannot disable it. Set the date without "Disable at expiry".',
        { fieldErrors: { disableAtExpiry: 'The app will sign in with this key' } }
      )
    }
  }

  /** Checks at once (start-up, and the harness's clock control) and then keeps watching. */
  start(): void {
    this.stopped = false
    void this.checkNow()
  }

  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    await this.running
  }

  /**
   * Sends due reminders and disables keys whose date passed (when asked to). One check at a
   * time; a call during a check runs one more after it, so nothing due is missed.
   */
  checkNow(): Promise<void> {
    if (this.running) {
      this.again = true
      return this.running
    }
    this.running = (async () => {
      try {
        do {
          this.again = false
          await this.checkAll()
        } while (this.again && !this.stopped)
      } catch (error) {
        this.deps.logger.warn('expiry check failed', error)
      } finally {
        this.running = undefined
        this.schedule()
      }
    })()
    return this.running
  }

  private async checkAll(): Promise<void> {
    const changed = new Set<string>()
    for (const expiry of this.deps.keyExpiry.all()) {
      if (this.stopped) return
      if (await this.check(expiry)) changed.add(expiry.accountId)
    }
    for (const accountId of changed) this.deps.events.emit('health.changed', { accountId })
  }

  /** One key's date: at most one reminder, and the disable if due. True when anything happened. */
  private async check(expiry: StoredExpiry): Promise<boolean> {
    const account = this.deps.accounts.find(expiry.accountId)
    const key = this.deps.keyCache.get(expiry.accountId, expiry.keyId)
    if (!account || !key) return false
    const now = this.now()
    const sent = this.deps.reminders.sent(expiry.accountId, expiry.keyId, expiry.at)
    const mark = (stages: Iterable<ReminderStage>): void =>
      this.deps.reminders.mark(expiry.accountId, expiry.keyId, expiry.at, stages, now)
    const who = `“${key.name}” (${account.name})`
    const due = reminderDue(expiry.at, now, sent)
    const mustDisable =
      now >= expiry.at && expiry.disableAtExpiry && key.enabled && !sent.has('disabled')
    if (mustDisable) {
      try {
        await this.deps.keys.setEnabled({
          accountId: expiry.accountId,
          keyId: expiry.keyId,
          enabled: false
        })
      } catch (error) {
        const message = error instanceof Error ? error.message : 'it did not answer'
        this.audit(expiry.accountId, 'key.disableAtExpiry', 'error', expiry.keyId, codeOf(error))
        if (!sent.has('disableFailed')) {
          this.deps.desktop.notify({
            title: 'Could not disable an expired key',
            body: `${who} passed its expiry date, but disabling it failed: ${message} The app will try again.`
          })
        }
        mark([...stagesReached(expiry.at, now), 'disableFailed'])
        return true
      }
      this.audit(expiry.accountId, 'key.disableAtExpiry', 'ok', expiry.keyId)
      mark([...stagesReached(expiry.at, now), 'disabled'])
      this.deps.desktop.notify({
        title: 'Key disabled at expiry',
        body: `${who} passed its expiry date on ${dateText(expiry.at)}, and the app disabled it as you asked. Enable it again from Keys if something still needs it.`
      })
      this.deps.events.emit('keys.changed', { accountId: expiry.accountId })
      return true
    }
    if (!due) return false
    this.deps.desktop.notify(reminderText(due, who, expiry.at, now))
    mark(stagesReached(expiry.at, now))
    return true
  }

  /** Sleeps until the next due moment (or an hour, or a retry), whichever comes first. */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    if (this.stopped) return
    const now = this.now()
    let next = Infinity
    for (const expiry of this.deps.keyExpiry.all()) {
      const due = nextDueAt(expiry.at, now)
      if (due !== null) next = Math.min(next, due)
      const sent = this.deps.reminders.sent(expiry.accountId, expiry.keyId, expiry.at)
      if (
        expiry.disableAtExpiry &&
        now >= expiry.at &&
        sent.has('disableFailed') &&
        !sent.has('disabled')
      )
        next = Math.min(next, now + RETRY_DISABLE_MS)
    }
    if (next === Infinity) return
    const delay = Math.min(Math.max(next - now, 1000), MAX_SLEEP_MS)
    this.timer = setTimeout(() => void this.checkNow(), delay)
    // The watcher alone must not keep a process (tests, the harness) alive.
    this.timer.unref?.()
  }
}

function checkDate(expiresAt: number, now: number): void {
  if (expiresAt <= now) {
    throw new AppError('BAD_INPUT', 'Choose a date in the future.', {
      fieldErrors: { expiresAt: 'Choose a date in the future' }
    })
  }
  if (expiresAt > now + MAX_EXPIRY_DAYS * DAY_MS) {
    throw new AppError('BAD_INPUT', 'Choose a date within the next 10 years.', {
      fieldErrors: { expiresAt: 'Choose a date within the next 10 years' }
    })
  }
}

function reminderText(
  stage: ReminderStage,
  who: string,
  at: number,
  now: number
): { title: string; body: string } {
  if (stage === 'expired') {
    return {
      title: 'Key expired',
      body: `${who} passed its expiry date on ${dateText(at)}. It still works: rotate or disable it from Health.`
    }
  }
  const days = Math.ceil((at - now) / DAY_MS)
  return {
    title: days <= 1 ? 'Key expires within a day' : `Key expires in ${days} days`,
    body: `${who} expires on ${dateText(at)}. Rotate it or extend its date from Health.`
  }
}

function dateText(at: number): string {
  return new Date(at).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric'
  })
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code : 'INTERNAL'
}
