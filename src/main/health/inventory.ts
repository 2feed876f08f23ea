import type { Finding, InventoryFormat } from '@shared/contract/health'
import { labelOfKind } from '@shared/keyKinds'
import { redactSecrets } from '@shared/redact'
import { csvCell } from '../usage/csv'
import type { KeyFact } from './facts'

/** One key of the inventory: what an owner audits. No secret, and no masked secret either. */
export interface InventoryRow {
  account: string
  accountId: string
  keyId: string
  name: string
  kind: string
  status: 'enabled' | 'disabled'
  corpora: string[]
  firstSeenAt: string
  lastUsedAt: string | null
  expiresAt: string | null
  disableAtExpiry: boolean
  openFindings: { rule: string; severity: string; title: string }[]
}

export function inventoryRow(
  account: { id: string; name: string },
  key: KeyFact,
  findings: readonly Finding[]
): InventoryRow {
  return {
    account: account.name,
    accountId: account.id,
    keyId: key.keyId,
    // A key name is the user's text; one pasted from a secret must not leave in a file.
    name: redactSecrets(key.name),
    kind: labelOfKind(key.kind),
    status: key.enabled ? 'enabled' : 'disabled',
    corpora: key.kind === 'personal' ? [] : [...key.corpora],
    firstSeenAt: iso(key.firstSeenAt),
    lastUsedAt: key.lastUsedAt === null ? null : iso(key.lastUsedAt),
    expiresAt: key.expiry ? iso(key.expiry.at) : null,
    disableAtExpiry: key.expiry?.disableAtExpiry ?? false,
    openFindings: findings.map((f) => ({ rule: f.rule, severity: f.severity, title: f.title }))
  }
}

const COLUMNS: { header: string; value: (row: InventoryRow) => string | number | null }[] = [
  { header: 'account', value: (r) => r.account },
  { header: 'account_id', value: (r) => r.accountId },
  { header: 'key_id', value: (r) => r.keyId },
  { header: 'name', value: (r) => r.name },
  { header: 'kind', value: (r) => r.kind },
  { header: 'status', value: (r) => r.status },
  // Personal keys reach every corpus: say so rather than leave the cell empty.
  { header: 'corpora', value: (r) => (r.kind === 'Personal' ? '(all)' : r.corpora.join(' ')) },
  { header: 'first_seen', value: (r) => r.firstSeenAt },
  { header: 'last_used', value: (r) => r.lastUsedAt },
  { header: 'expires', value: (r) => r.expiresAt },
  { header: 'disable_at_expiry', value: (r) => (r.expiresAt ? String(r.disableAtExpiry) : null) },
  { header: 'open_findings', value: (r) => r.openFindings.length },
  {
    header: 'findings',
    value: (r) => r.openFindings.map((f) => `${f.severity}: ${f.title}`).join('; ')
  }
]

/** The inventory as CSV (defused like the usage export) or JSON. */
export function formatInventory(
  rows: readonly InventoryRow[],
  format: InventoryFormat,
  exportedAt: number
): { content: string; mimeType: string } {
  if (format === 'json') {
    return {
      content: JSON.stringify({ exportedAt: iso(exportedAt), keys: rows }, null, 2) + '\n',
      mimeType: 'application/json'
    }
  }
  const lines = [COLUMNS.map((c) => c.header).join(',')]
  for (const row of rows) lines.push(COLUMNS.map((c) => csvCell(c.value(row))).join(','))
  return { content: lines.join('\r\n') + '\r\n', mimeType: 'text/csv' }
}

function iso(at: number): string {
  return new Date(at).toISOString()
}
