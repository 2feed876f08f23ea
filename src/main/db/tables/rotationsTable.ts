import type { Database, Statement } from 'better-sqlite3'
import type { KeyKind } from '@shared/contract/keys'
import type {
  DeleteOld,
  DisableOld,
  RotationStep,
  RotationStepName
} from '@shared/contract/rotations'

/** A step as stored: what the renderer sees, plus main's bookkeeping. */
export interface StepRecord extends Omit<RotationStep, 'name'> {
  /** disable: when Vectara accepted the PATCH, so a resumed step does not send it again. */
  acceptedAt?: number
  /** delete: when the user was told it is due, so the notification is sent once. */
  notifiedAt?: number
  /**
   * create: set before the request, cleared once Vectara has answered either way. Still set
   * means the key may exist without the app knowing its id: look it up by name before creating.
   */
  unsure?: boolean
}

export type StepRecords = Partial<Record<RotationStepName, StepRecord>>

export type ExtraValue = string | number | boolean | null

/**
 * One rotation: the plan the user chose and where each step stands. Ids, names, choices and
 * times only: never a secret (the new key's secret is in the keychain under its key id).
 */
export interface RotationRecord {
  id: string
  accountId: string
  oldKeyId: string
  oldKeyName: string
  oldKeyKind: KeyKind
  oldCorpora: string[]
  oldMaskedSecret: string | null
  newKeyName: string
  /** The old key's kind, or Query when an Index key is rotated to a read-only key. */
  newKeyKind: KeyKind
  /** Written the moment Vectara answers, so a retry never creates a second twin. */
  newKeyId: string | null
  newCorpora: string[]
  accountCredential: boolean
  disableOld: DisableOld
  deleteOld: DeleteOld
  status: 'active' | 'finished' | 'cancelled'
  steps: StepRecords
  /** Plan fields other features add (e.g. an expiry), as plain values. */
  extras: Record<string, ExtraValue>
  startedAt: number
  updatedAt: number
  finishedAt: number | null
}

interface Row {
  id: string
  profile_id: string
  old_key_id: string
  old_key_name: string
  old_key_kind: KeyKind
  old_corpora: string
  old_masked_secret: string | null
  new_key_name: string
  new_key_kind: KeyKind
  new_key_id: string | null
  new_corpora: string
  account_credential: number
  disable_old: DisableOld
  delete_old: DeleteOld
  status: RotationRecord['status']
  steps: string
  extras: string
  started_at: number
  updated_at: number
  finished_at: number | null
}

/** Thrown by insert when the key already has a rotation in progress (the unique index says so). */
export class RotationInProgressError extends Error {}

export class RotationsTable {
  /**
   * The unique index over active rotations is the last word on "one rotation per key at a time",
   * even if two starts race.
   */
  static readonly createSql = `
    CREATE TABLE rotations (
      id TEXT PRIMARY KEY,
      profile_id TEXT NOT NULL REFERENCES profiles(id) ON DELETE CASCADE,
      old_key_id TEXT NOT NULL,
      old_key_name TEXT NOT NULL,
      old_key_kind TEXT NOT NULL,
      old_corpora TEXT NOT NULL DEFAULT '[]',
      old_masked_secret TEXT,
      new_key_name TEXT NOT NULL,
      new_key_kind TEXT NOT NULL,
      new_key_id TEXT,
      new_corpora TEXT NOT NULL DEFAULT '[]',
      account_credential INTEGER NOT NULL DEFAULT 0,
      disable_old TEXT NOT NULL CHECK (disable_old IN ('now', 'in_1h', 'in_24h', 'on_confirm')),
      delete_old TEXT NOT NULL CHECK (delete_old IN ('after_7d', 'after_1d', 'never')),
      status TEXT NOT NULL CHECK (status IN ('active', 'finished', 'cancelled')),
      steps TEXT NOT NULL,
      extras TEXT NOT NULL DEFAULT '{}',
      started_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      finished_at INTEGER
    ) STRICT;
    CREATE UNIQUE INDEX rotations_one_active_per_key ON rotations (profile_id, old_key_id)
      WHERE status = 'active';
    CREATE INDEX rotations_by_account ON rotations (profile_id, status, started_at);`

  private readonly insertStmt: Statement<[Row]>
  private readonly updateStmt: Statement<[Row]>
  private readonly getStmt: Statement<[string], Row>
  private readonly activeStmt: Statement<[], Row>
  private readonly activeForAccountStmt: Statement<[string], Row>
  private readonly closedForAccountStmt: Statement<[string, number], Row>
  private readonly involvingKeyStmt: Statement<[string, string, string], Row>

  constructor(db: Database) {
    this.insertStmt = db.prepare(`
      INSERT INTO rotations (id, profile_id, old_key_id, old_key_name, old_key_kind, old_corpora,
        old_masked_secret, new_key_name, new_key_kind, new_key_id, new_corpora, account_credential, disable_old,
        delete_old, status, steps, extras, started_at, updated_at, finished_at)
      VALUES (@id, @profile_id, @old_key_id, @old_key_name, @old_key_kind, @old_corpora,
        @old_masked_secret, @new_key_name, @new_key_kind, @new_key_id, @new_corpora, @account_credential,
        @disable_old, @delete_old, @status, @steps, @extras, @started_at, @updated_at, @finished_at)`)
    // The plan itself never changes once started: only what the steps learn.
    this.updateStmt = db.prepare(`
      UPDATE rotations SET new_key_id = @new_key_id, status = @status, steps = @steps,
        updated_at = @updated_at, finished_at = @finished_at
      WHERE id = @id`)
    this.getStmt = db.prepare('SELECT * FROM rotations WHERE id = ?')
    this.activeStmt = db.prepare(
      "SELECT * FROM rotations WHERE status = 'active' ORDER BY started_at"
    )
    this.activeForAccountStmt = db.prepare(
      "SELECT * FROM rotations WHERE profile_id = ? AND status = 'active' ORDER BY started_at DESC"
    )
    this.closedForAccountStmt = db.prepare(
      "SELECT * FROM rotations WHERE profile_id = ? AND status != 'active' ORDER BY updated_at DESC LIMIT ?"
    )
    this.involvingKeyStmt = db.prepare(
      "SELECT * FROM rotations WHERE profile_id = ? AND status = 'active' AND (old_key_id = ? OR new_key_id = ?)"
    )
  }

  insert(record: RotationRecord): void {
    try {
      this.insertStmt.run(toRow(record))
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
        throw new RotationInProgressError('This key already has a rotation in progress.')
      throw error
    }
  }

  update(record: RotationRecord): void {
    this.updateStmt.run(toRow(record))
  }

  get(id: string): RotationRecord | undefined {
    const row = this.getStmt.get(id)
    return row && toRecord(row)
  }

  /** Every account's rotations in progress: the ones main drives. */
  active(): RotationRecord[] {
    return this.activeStmt.all().map(toRecord)
  }

  /** In progress (newest first), then up to `closedLimit` finished or cancelled ones. */
  forAccount(accountId: string, closedLimit: number): RotationRecord[] {
    return [
      ...this.activeForAccountStmt.all(accountId),
      ...this.closedForAccountStmt.all(accountId, closedLimit)
    ].map(toRecord)
  }

  /** The rotation in progress that replaces this key, or created it as a twin. */
  activeInvolving(accountId: string, keyId: string): RotationRecord | undefined {
    const row = this.involvingKeyStmt.get(accountId, keyId, keyId)
    return row && toRecord(row)
  }
}

function toRow(r: RotationRecord): Row {
  return {
    id: r.id,
    profile_id: r.accountId,
    old_key_id: r.oldKeyId,
    old_key_name: r.oldKeyName,
    old_key_kind: r.oldKeyKind,
    old_corpora: JSON.stringify(r.oldCorpora),
    old_masked_secret: r.oldMaskedSecret,
    new_key_name: r.newKeyName,
    new_key_kind: r.newKeyKind,
    new_key_id: r.newKeyId,
    new_corpora: JSON.stringify(r.newCorpora),
    account_credential: r.accountCredential ? 1 : 0,
    disable_old: r.disableOld,
    delete_old: r.deleteOld,
    status: r.status,
    steps: JSON.stringify(r.steps),
    extras: JSON.stringify(r.extras),
    started_at: r.startedAt,
    updated_at: r.updatedAt,
    finished_at: r.finishedAt
  }
}

function toRecord(row: Row): RotationRecord {
  return {
    id: row.id,
    accountId: row.profile_id,
    oldKeyId: row.old_key_id,
    oldKeyName: row.old_key_name,
    oldKeyKind: row.old_key_kind,
    oldCorpora: JSON.parse(row.old_corpora) as string[],
    oldMaskedSecret: row.old_masked_secret,
    newKeyName: row.new_key_name,
    newKeyKind: row.new_key_kind,
    newKeyId: row.new_key_id,
    newCorpora: JSON.parse(row.new_corpora) as string[],
    accountCredential: row.account_credential === 1,
    disableOld: row.disable_old,
    deleteOld: row.delete_old,
    status: row.status,
    steps: JSON.parse(row.steps) as StepRecords,
    extras: JSON.parse(row.extras) as Record<string, ExtraValue>,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at
  }
}
