import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/main/db/database'
import { migrations } from '../../../src/main/db/migrations'
import { AccountsTable } from '../../../src/main/db/tables/accountsTable'
import {
  RotationInProgressError,
  RotationsTable,
  type RotationRecord
} from '../../../src/main/db/tables/rotationsTable'
import { initialSteps } from '../../../src/main/rotation/machine'

describe('migration 5', () => {
  it('adds the rotations table to a version-3 file; one active rotation per key, any number closed', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vkm-mig-')), 'vkm.db')
    const v3 = openDatabase(path, { migrations: migrations.filter((m) => m.version <= 3) })
    new AccountsTable(v3.db).upsert({
      id: 'p1',
      name: 'One',
      baseUrl: 'https://api.vectara.io',
      authKind: 'api_key',
      builtin: false,
      createdAt: 1,
      updatedAt: 1
    })
    v3.db.close()

    const v5 = openDatabase(path, { migrations: migrations.filter((m) => m.version <= 5) })
    expect(v5.schemaVersion).toBe(5)
    const table = new RotationsTable(v5.db)
    const record = (id: string): RotationRecord => ({
      id,
      accountId: 'p1',
      oldKeyId: 'aky_old',
      oldKeyName: 'site',
      oldKeyKind: 'query',
      oldCorpora: ['c'],
      oldMaskedSecret: 'zqt_…abcd',
      newKeyName: 'site 2',
      newKeyKind: 'query',
      newKeyId: null,
      newCorpora: ['c'],
      accountCredential: false,
      disableOld: 'on_confirm',
      deleteOld: 'after_7d',
      status: 'active',
      steps: initialSteps({ accountCredential: false, deleteOld: 'after_7d' }),
      extras: { expiresAt: 123 },
      startedAt: 10,
      updatedAt: 10,
      finishedAt: null
    })
    table.insert(record('r1'))
    expect(() => table.insert(record('r2'))).toThrow(RotationInProgressError)
    table.update({ ...record('r1'), status: 'cancelled', finishedAt: 20, newKeyId: 'aky_new' })
    table.insert(record('r2'))
    expect(table.get('r1')).toMatchObject({
      status: 'cancelled',
      newKeyId: 'aky_new',
      extras: { expiresAt: 123 }
    })
    expect(table.forAccount('p1', 10).map((r) => r.id)).toEqual(['r2', 'r1'])
    expect(table.activeInvolving('p1', 'aky_old')?.id).toBe('r2')
    // An account removed takes its rotations with it.
    v5.db.prepare("DELETE FROM profiles WHERE id = 'p1'").run()
    expect(table.get('r2')).toBeUndefined()
  })
})
