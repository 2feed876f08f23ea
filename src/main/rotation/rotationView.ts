import type { Rotation } from '@shared/contract/rotations'
import type { KeyCacheTable } from '../db/tables/keyCacheTable'
import type { RotationRecord } from '../db/tables/rotationsTable'
import { STEP_ORDER } from './machine'

/** A rotation as the renderer sees it: ids, names, choices, step states; main's bookkeeping left out. */
export function rotationView(
  record: RotationRecord,
  keyCache: KeyCacheTable,
  now: number
): Rotation {
  const newKey = record.newKeyId ? keyCache.get(record.accountId, record.newKeyId) : undefined
  return {
    id: record.id,
    accountId: record.accountId,
    oldKey: {
      id: record.oldKeyId,
      name: record.oldKeyName,
      kind: record.oldKeyKind,
      corpora: record.oldCorpora,
      maskedSecret: record.oldMaskedSecret
    },
    newKey: {
      id: record.newKeyId,
      name: record.newKeyName,
      kind: record.newKeyKind,
      corpora: record.newCorpora,
      maskedSecret: newKey ? newKey.maskedSecret : null,
      // Create counts as done only once the keychain holds the secret.
      secretStored: record.steps.create?.state === 'done'
    },
    accountCredential: record.accountCredential,
    disableOld: record.disableOld,
    deleteOld: record.deleteOld,
    status: record.status,
    steps: STEP_ORDER.filter((name) => record.steps[name]).map((name) => {
      const { acceptedAt: _a, notifiedAt: _n, unsure: _u, ...step } = record.steps[name]!
      return { name, ...step }
    }),
    startedAt: record.startedAt,
    updatedAt: record.updatedAt,
    finishedAt: record.finishedAt,
    extras: record.extras,
    asOf: now
  }
}
