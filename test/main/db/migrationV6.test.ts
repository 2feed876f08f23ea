import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/main/db/database'
import { migrations } from '../../../src/main/db/migrations'

describe('migration 6', () => {
  it('adds the health tables to a version-3 file and keeps its data', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vkm-mig6-')), 'vkm.db')
    const v3 = openDatabase(path, { migrations: migrations.filter((m) => m.version <= 3) })
    v3.db
      .prepare(
        'INSERT INTO audit_events (at, profile_id, key_id, action, outcome) VALUES (?, ?, ?, ?, ?)'
      )
      .run(1, 'p1', 'aky_1', 'key.disable', 'ok')
    v3.db.close()

    const v6 = openDatabase(path)
    expect(v6.schemaVersion).toBe(6)
    const names = (
      v6.db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')").all() as {
        name: string
      }[]
    ).map((r) => r.name)
    expect(names).toEqual(
      expect.arrayContaining([
        'key_expiry',
        'expiry_reminders',
        'finding_dismissals',
        'key_disabled_since',
        'usage_daily_key_other_use',
        'audit_events_by_key'
      ])
    )
    expect(v6.db.prepare('SELECT COUNT(*) AS n FROM audit_events').get()).toEqual({ n: 1 })
    // Health's lookups use the new indexes rather than reading whole tables.
    const plan = (sql: string): string =>
      JSON.stringify(v6.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all())
    expect(
      plan(
        "SELECT DISTINCT key_id FROM usage_daily WHERE profile_id = 'p' AND kind = 'admin' AND key_id <> ''"
      )
    ).toContain('usage_daily_key_other_use')
    expect(
      plan(
        "SELECT at FROM audit_events WHERE profile_id = 'p' AND key_id = 'k' AND action = 'key.disable'"
      )
    ).toContain('audit_events_by_key')
    v6.db.close()
  })
})
