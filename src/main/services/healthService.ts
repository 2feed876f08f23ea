import { createHash } from 'node:crypto'
import type { CallInput, CallOutput } from '@shared/contract'
import type { Finding, HealthReport } from '@shared/contract/health'
import { AppError } from '@shared/errors'
import { redactSecrets } from '@shared/redact'
import { auditWith, type AuditTable, type RecordAudit } from '../db/tables/auditTable'
import type { StoredAccount } from '../db/tables/accountsTable'
import type { CorpusCacheTable } from '../db/tables/corpusCacheTable'
import type { FindingDismissalsTable } from '../db/tables/findingDismissalsTable'
import type { KeyCacheTable } from '../db/tables/keyCacheTable'
import type { KeyDisabledSinceTable } from '../db/tables/keyDisabledSinceTable'
import type { KeyExpiryTable } from '../db/tables/keyExpiryTable'
import type { PlaygroundHistoryTable } from '../db/tables/playgroundHistoryTable'
import type { SettingsTable } from '../db/tables/settingsTable'
import type { UsageEventsTable } from '../db/tables/usageEventsTable'
import { buildCoverage } from '../health/coverage'
import type { AccountFacts, HealthPorts, KeyFact } from '../health/facts'
import { reconcileDisabledSince } from '../health/disabledSince'
import { sortFindings, type FindingDraft } from '../health/finding'
import { formatInventory, inventoryRow, type InventoryRow } from '../health/inventory'
import { runRules } from '../health/rules'
import type { AccountsService } from './accountsService'
import { accountCredentialKeyId } from './keysService'

export interface HealthServiceDeps {
  accounts: Pick<AccountsService, 'get' | 'all'>
  keyCache: KeyCacheTable
  corpusCache: CorpusCacheTable
  usage: UsageEventsTable
  playgroundHistory: PlaygroundHistoryTable
  settings: SettingsTable
  keyExpiry: KeyExpiryTable
  disabledSince: KeyDisabledSinceTable
  dismissals: FindingDismissalsTable
  audit: AuditTable
  /** Facts from the folder scanner and rotations, when those features are wired in. */
  ports?: HealthPorts
  now?: () => number
}

interface Evaluated {
  facts: AccountFacts
  open: Finding[]
  dismissed: Finding[]
}

/**
 * Runs the Health rules (`main/health/rules`) over the local caches and usage tables: every
 * risky key with its fix, the corpus × key coverage map and the key inventory. It reads; the
 * fixes themselves go through the services that own them (keys, expiry, rotation).
 */
export class HealthService {
  private readonly now: () => number
  private readonly audit: RecordAudit

  constructor(private readonly deps: HealthServiceDeps) {
    this.now = deps.now ?? Date.now
    this.audit = auditWith(deps.audit, this.now)
  }

  findings(accountId: string | null): HealthReport {
    const now = this.now()
    const open: Finding[] = []
    const dismissed: Finding[] = []
    let keysChecked = 0
    for (const account of this.accountsOf(accountId)) {
      const evaluated = this.evaluate(account, now)
      open.push(...evaluated.open)
      dismissed.push(...evaluated.dismissed)
      keysChecked += evaluated.facts.keys.length
    }
    const counts = { high: 0, medium: 0, low: 0 }
    for (const finding of open) counts[finding.severity]++
    return {
      accountId,
      findings: sortFindings(open),
      dismissed: sortFindings(dismissed),
      counts,
      keysChecked,
      evaluatedAt: now
    }
  }

  dismiss(input: CallInput<'health.dismiss'>): CallOutput<'health.dismiss'> {
    const account = this.deps.accounts.get(input.accountId)
    const now = this.now()
    const facts = this.facts(account, now)
    const draft = runRules(facts, now).find((d) => d.id === input.findingId)
    if (!draft) {
      throw new AppError(
        'NOT_FOUND',
        'That finding is no longer open: its facts have changed. Look at Health again.'
      )
    }
    const reason = redactSecrets(input.reason.trim())
    this.deps.dismissals.set(account.id, {
      findingId: draft.id,
      fingerprint: fingerprintOf(draft),
      reason,
      at: now
    })
    this.audit(
      account.id,
      'finding.dismiss',
      'ok',
      draft.keyId ?? undefined,
      `${draft.id}: ${reason}`
    )
    return { findingId: draft.id }
  }

  restore(input: CallInput<'health.restore'>): CallOutput<'health.restore'> {
    const account = this.deps.accounts.get(input.accountId)
    if (!this.deps.dismissals.delete(account.id, input.findingId))
      throw new AppError('NOT_FOUND', 'That finding is not dismissed.')
    this.audit(account.id, 'finding.restore', 'ok', undefined, input.findingId)
    return { findingId: input.findingId }
  }

  coverage(input: CallInput<'health.coverage'>): CallOutput<'health.coverage'> {
    const account = this.deps.accounts.get(input.accountId)
    const keys = this.deps.keyCache.liveBrief(account.id)
    const corpora = this.deps.corpusCache.list(account.id)
    return { accountId: account.id, ...buildCoverage(keys, corpora, input.includeDisabled) }
  }

  exportInventory(
    input: CallInput<'health.exportInventory'>
  ): CallOutput<'health.exportInventory'> {
    const now = this.now()
    const rows: InventoryRow[] = []
    for (const account of this.accountsOf(input.accountId)) {
      const { facts, open } = this.evaluate(account, now)
      const byKey = new Map<string, Finding[]>()
      for (const finding of open) {
        if (finding.keyId === null) continue
        const list = byKey.get(finding.keyId)
        if (list) list.push(finding)
        else byKey.set(finding.keyId, [finding])
      }
      for (const key of facts.keys)
        rows.push(inventoryRow(account, key, byKey.get(key.keyId) ?? []))
    }
    const { content, mimeType } = formatInventory(rows, input.format, now)
    const scope = input.accountId
      ? slug(this.deps.accounts.get(input.accountId).name)
      : 'all-accounts'
    const stamp = new Date(now).toISOString().slice(0, 10)
    return {
      filename: `vectara-keys-${scope}-${stamp}.${input.format}`,
      content,
      mimeType,
      rows: rows.length
    }
  }

  /**
   * What the rules see for one account, from the caches and usage tables. A bulk read per table
   * and a map lookup per key: at 10,000 keys this measured twice as fast as one statement
   * joining the tables by key.
   */
  facts(account: Pick<StoredAccount, 'id' | 'name'>, now: number): AccountFacts {
    const id = account.id
    const cached = this.deps.keyCache.liveBrief(id)
    const known = this.deps.disabledSince.forAccount(id)
    // A key disabled outside the app gets its time here, the first time the app sees it so.
    const disabled = reconcileDisabledSince(cached, known, now, (keyId) =>
      this.deps.audit.lastDisabledAt(id, keyId)
    )
    this.deps.disabledSince.apply(id, disabled.add, disabled.remove)
    const lastUsed = this.deps.usage.lastUsedByKey(id)
    const otherUse = this.deps.usage.daily.keysWithOtherUse(id)
    const queried = this.deps.playgroundHistory.corporaByKey(id)
    const expiries = this.deps.keyExpiry.forAccount(id)
    const credentialKeyId = accountCredentialKeyId(this.deps.settings, id)
    const keys: KeyFact[] = cached.map((key) => ({
      accountId: id,
      keyId: key.keyId,
      name: key.name,
      kind: key.kind,
      enabled: key.enabled,
      corpora: key.corpora,
      firstSeenAt: key.firstSeenAt,
      lastUsedAt: lastUsed.get(key.keyId) ?? null,
      otherUse: otherUse.has(key.keyId),
      queriedCorpora: queried.get(key.keyId) ?? [],
      disabledSince: disabled.since.get(key.keyId) ?? null,
      expiry: expiries.get(key.keyId) ?? null,
      accountCredential: key.keyId === credentialKeyId
    }))
    return {
      account: { id, name: account.name },
      keys,
      corpora: this.deps.corpusCache.list(id),
      fileFindings: this.deps.ports?.fileFindings?.forAccount(id) ?? [],
      rotations: this.deps.ports?.rotations?.waitingForAccount(id) ?? []
    }
  }

  /**
   * The account's findings, split by dismissals. A dismissal holds while its finding's facts
   * are unchanged; once they change (or the finding goes away) it lapses and is removed.
   */
  private evaluate(account: StoredAccount, now: number): Evaluated {
    const facts = this.facts(account, now)
    const drafts = runRules(facts, now)
    const dismissals = this.deps.dismissals.forAccount(account.id)
    const open: Finding[] = []
    const dismissed: Finding[] = []
    for (const draft of drafts) {
      const finding = toFinding(draft, account)
      const dismissal = dismissals.get(draft.id)
      if (!dismissal) {
        open.push(finding)
        continue
      }
      dismissals.delete(draft.id)
      if (dismissal.fingerprint === fingerprintOf(draft)) {
        dismissed.push({ ...finding, dismissal: { reason: dismissal.reason, at: dismissal.at } })
      } else {
        this.deps.dismissals.delete(account.id, draft.id)
        open.push(finding)
      }
    }
    for (const lapsed of dismissals.keys()) this.deps.dismissals.delete(account.id, lapsed)
    return { facts, open, dismissed }
  }

  private accountsOf(accountId: string | null): StoredAccount[] {
    return accountId ? [this.deps.accounts.get(accountId)] : this.deps.accounts.all()
  }
}

/** The finding as it leaves main: its account named, its facts left behind. */
function toFinding(draft: FindingDraft, account: Pick<StoredAccount, 'id' | 'name'>): Finding {
  // Field by field: a rest spread over thousands of findings cost more than the rules.
  return {
    id: draft.id,
    rule: draft.rule,
    severity: draft.severity,
    accountId: account.id,
    accountName: account.name,
    keyId: draft.keyId,
    keyName: draft.keyName,
    keyKind: draft.keyKind,
    keyEnabled: draft.keyEnabled,
    corpusKey: draft.corpusKey,
    corpusName: draft.corpusName,
    title: draft.title,
    why: draft.why,
    fixes: draft.fixes
  }
}

/** The facts a finding stands on, hashed: what a dismissal remembers. */
export function fingerprintOf(draft: Pick<FindingDraft, 'rule' | 'facts'>): string {
  return createHash('sha256')
    .update(`${draft.rule}\u0000${JSON.stringify(draft.facts)}`)
    .digest('hex')
    .slice(0, 32)
}

function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'account'
  )
}
