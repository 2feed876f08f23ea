import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/main/db/database'
import { migrations } from '../../../src/main/db/migrations'
import { AccountsTable } from '../../../src/main/db/tables/accountsTable'
import { ScanFindingsTable } from '../../../src/main/db/tables/scanFindingsTable'
import { ScanFoldersTable } from '../../../src/main/db/tables/scanFoldersTable'
import { ScanStampsTable } from '../../../src/main/db/tables/scanStampsTable'

const SHA = 'a'.repeat(64)

describe('migration 4', () => {
  it("adds the scanner's tables to a version-3 file; a removed account's findings become unknown", () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vkm-mig4-')), 'vkm.db')
    openDatabase(path, { migrations: migrations.filter((m) => m.version <= 3) }).db.close()

    const { db, schemaVersion } = openDatabase(path, {
      migrations: migrations.filter((m) => m.version <= 4)
    })
    expect(schemaVersion).toBe(4)
    new AccountsTable(db).upsert({
      id: 'acct',
      name: 'A',
      baseUrl: 'https://api.vectara.io',
      authKind: 'api_key',
      builtin: false,
      createdAt: 1,
      updatedAt: 1
    })
    const folders = new ScanFoldersTable(db)
    const stamps = new ScanStampsTable(db)
    const findings = new ScanFindingsTable(db)
    const folder = folders.add('/home/me/app', 1)
    stamps.save(folder.id, folder.path, [
      ['/home/me/app/.env', { size: 10, mtimeMs: 1.5 }],
      ['/home/me/app/src/deep/a.ts', { size: 7, mtimeMs: 1700000000000.25 }]
    ])
    const id = findings.insert({
      folderId: folder.id,
      path: '/home/me/app/.env',
      line: 1,
      column: 17,
      kind: 'query',
      context: 'VECTARA_API_KEY=',
      fingerprint: SHA,
      fileSha256: SHA,
      accountId: 'acct',
      keyId: 'aky_1',
      matchedBy: 'key',
      foundAt: 2,
      ignoredAt: null
    })
    expect(findings.fileCountsByKey('acct')).toEqual(new Map([['aky_1', 1]]))
    expect(stamps.all()).toEqual(
      new Map([
        ['/home/me/app/.env', { size: 10, mtimeMs: 1.5 }],
        ['/home/me/app/src/deep/a.ts', { size: 7, mtimeMs: 1700000000000.25 }]
      ])
    )

    new AccountsTable(db).delete('acct')
    expect(findings.get(id)).toMatchObject({ accountId: null, accountName: null })
    expect(findings.unmatched()).toEqual([{ id, fingerprint: SHA }])

    // A fingerprint must be a SHA-256 in hex: nothing longer (a secret) fits the column.
    expect(() =>
      db
        .prepare('UPDATE scan_findings SET fingerprint = ? WHERE id = ?')
        .run('zqt_' + 'x'.repeat(38), id)
    ).toThrow(/CHECK constraint/)

    folders.remove(folder.id)
    expect(findings.all()).toEqual([])
    expect(stamps.all()).toEqual(new Map())
    db.close()
  })
})
