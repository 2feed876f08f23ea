import type { UsageRow } from '@shared/contract/usage'
import { redactSecrets } from '@shared/redact'

export const CSV_COLUMNS: { header: string; value: (row: UsageRow) => string | number | null }[] = [
  { header: 'time', value: (r) => new Date(r.at).toISOString() },
  { header: 'source', value: (r) => (r.source === 'local' ? 'this app' : 'vectara history') },
  { header: 'account', value: (r) => r.accountName },
  { header: 'account_id', value: (r) => r.accountId },
  { header: 'key_name', value: (r) => r.keyName },
  { header: 'key_id', value: (r) => r.keyId },
  { header: 'kind', value: (r) => r.kind },
  { header: 'action', value: (r) => r.action },
  { header: 'method', value: (r) => r.method },
  { header: 'path', value: (r) => r.path },
  { header: 'status', value: (r) => r.status },
  { header: 'latency_ms', value: (r) => r.latencyMs },
  { header: 'result_count', value: (r) => r.resultCount },
  { header: 'error_code', value: (r) => r.errorCode },
  { header: 'corpus_key', value: (r) => r.corpusKey },
  { header: 'query', value: (r) => r.query }
]

/**
 * RFC 4180 CSV. Cells a spreadsheet would run as a formula (=, +, -, @, tab, CR first) get a
 * leading apostrophe, and every cell passes through the secret redactor: a query typed with a
 * key in it must not leave in an export.
 */
export function toCsv(rows: Iterable<UsageRow>): { csv: string; rows: number } {
  const lines = [CSV_COLUMNS.map((c) => c.header).join(',')]
  let count = 0
  for (const row of rows) {
    lines.push(CSV_COLUMNS.map((c) => csvCell(c.value(row))).join(','))
    count++
  }
  return { csv: lines.join('\r\n') + '\r\n', rows: count }
}

/**
 * One CSV cell, defused: a leading formula character gets an apostrophe, secrets are redacted,
 * and quotes, commas and line breaks are quoted. Other exports (the key inventory) use it too.
 */
export function csvCell(value: string | number | null): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return String(value)
  let text = redactSecrets(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
