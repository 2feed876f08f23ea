import { describe, expect, it } from 'vitest'
import { formatInventory, inventoryRow } from '../../../src/main/health/inventory'
import type { Finding } from '@shared/contract/health'
import { NOW, key } from './factsBuilder'

const account = { id: 'acc', name: 'Production' }
const finding = {
  rule: 'stale',
  severity: 'medium',
  title: 'Not used in 45 days'
} as Finding

describe('inventory', () => {
  it('writes one CSV row per key with its facts and open findings', () => {
    const rows = [
      inventoryRow(account, key({ expiry: { at: NOW, disableAtExpiry: true } }), [finding]),
      inventoryRow(account, key({ keyId: 'aky_2', name: 'admin', kind: 'personal' }), [])
    ]
    const { content, mimeType } = formatInventory(rows, 'csv', NOW)
    expect(mimeType).toBe('text/csv')
    const lines = content.trimEnd().split('\r\n')
    expect(lines[0]).toBe(
      'account,account_id,key_id,name,kind,status,corpora,first_seen,last_used,expires,disable_at_expiry,open_findings,findings'
    )
    expect(lines[1]).toBe(
      `Production,acc,aky_1,website-search,Query,enabled,docs,2025-03-15T12:00:00.000Z,2026-03-15T11:00:00.000Z,2026-03-15T12:00:00.000Z,true,1,medium: Not used in 45 days`
    )
    expect(lines[2]).toContain(',admin,Personal,enabled,(all),')
  })

  it('defuses cells a spreadsheet would run, and redacts a key name that is a secret', () => {
    const rows = [
      inventoryRow(account, key({ name: '=HYPERLINK("x")' }), []),
      inventoryRow(account, key({ name: 'zqt_abcdefghijklmnopqrstuvwxyz012345678901' }), [])
    ]
    const { content } = formatInventory(rows, 'csv', NOW)
    expect(content).toContain(`"'=HYPERLINK(""x"")"`)
    expect(content).not.toMatch(/zqt_[A-Za-z0-9]{8,}/)
  })

  it('writes JSON with the same facts', () => {
    const { content, mimeType } = formatInventory(
      [inventoryRow(account, key(), [finding])],
      'json',
      NOW
    )
    expect(mimeType).toBe('application/json')
    const parsed = JSON.parse(content) as { exportedAt: string; keys: Record<string, unknown>[] }
    expect(parsed.exportedAt).toBe('2026-03-15T12:00:00.000Z')
    expect(parsed.keys[0]).toMatchObject({
      keyId: 'aky_1',
      kind: 'Query',
      status: 'enabled',
      corpora: ['docs'],
      expiresAt: null,
      openFindings: [{ rule: 'stale', severity: 'medium', title: 'Not used in 45 days' }]
    })
  })
})
