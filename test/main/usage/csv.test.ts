import { describe, expect, it } from 'vitest'
import type { UsageRow } from '@shared/contract/usage'
import { CSV_COLUMNS, toCsv } from '../../../src/main/usage/csv'
import { cacheKey, event, usageFixture } from './usageFixture'

function row(partial: Partial<UsageRow>): UsageRow {
  return {
    id: 'local:1',
    source: 'local',
    at: Date.parse('2026-11-26T10:00:00Z'),
    accountId: 'acc-a',
    accountName: 'Alpha',
    keyId: 'aky_1',
    keyName: 'website',
    kind: 'query',
    action: 'query',
    method: 'POST',
    path: '/v2/query',
    status: 200,
    latencyMs: 12.5,
    resultCount: 3,
    errorCode: null,
    query: null,
    corpusKey: null,
    ...partial
  }
}

describe('CSV export', () => {
  it('writes a header and one RFC 4180 line per row', () => {
    const { csv, rows } = toCsv([
      row({}),
      row({ query: 'say "hi", then\nleave', source: 'vectara' })
    ])
    const lines = csv.split('\r\n')
    expect(lines[0]).toBe(CSV_COLUMNS.map((c) => c.header).join(','))
    expect(lines[1]).toBe(
      '2026-11-26T10:00:00.000Z,this app,Alpha,acc-a,website,aky_1,query,query,POST,/v2/query,200,12.5,3,,,'
    )
    expect(csv).toContain('"say ""hi"", then\nleave"')
    expect(rows).toBe(2)
  })

  it('defuses spreadsheet formulas and redacts anything secret-shaped', () => {
    const { csv } = toCsv([
      row({ query: '=HYPERLINK("http://evil")', keyName: '+1' }),
      row({ query: 'what is zqt_abcdefghijklmnopqrstuvwx for?' })
    ])
    expect(csv).toContain(`"'=HYPERLINK(""http://evil"")"`)
    expect(csv).toContain(`'+1`)
    expect(csv).not.toContain('abcdefghijklmnopqrstuvwx')
    expect(csv).toContain('zqt_[redacted]')
  })

  it('exports the filtered history through the service, with no secret in it', () => {
    const f = usageFixture()
    cacheKey(f, 'acc-a', 'aky_1', 'website')
    f.usage.insertAll([
      event({ at: f.clock.now - 1000, keyId: 'aky_1' }),
      event({ at: f.clock.now - 500, keyId: 'aky_1', status: 401, errorCode: 'API_UNAUTHORIZED' })
    ])
    f.remote.upsertAll(
      [
        {
          accountId: 'acc-a',
          id: 'qry_1',
          startedAt: f.clock.now - 100,
          corpusKey: 'docs',
          query: 'remote question',
          latencyMs: 30,
          factualConsistencyScore: 0.8
        }
      ],
      f.clock.now
    )
    const out = f.service.exportCsv({ accountId: 'acc-a', keyId: null, kind: 'all', range: '7d' })
    expect(out.rows).toBe(3)
    expect(out.filename).toMatch(/^vectara-usage-7d-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}\.csv$/)
    const lines = out.csv.trim().split('\r\n')
    expect(lines[1]).toContain('vectara history')
    expect(lines[1]).toContain('remote question')
    expect(lines[2]).toContain('API_UNAUTHORIZED')
    expect(out.csv).not.toMatch(/z[uqw]t_[A-Za-z0-9]/)
  })
})
