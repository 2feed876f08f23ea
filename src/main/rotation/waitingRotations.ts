import type { RotationStepName } from '@shared/contract/rotations'
import type { RotationRecord, RotationsTable, StepRecord } from '../db/tables/rotationsTable'
import type { HealthPorts, RotationFact } from '../health/facts'

/** What each step waits for when it needs the user, completing "Rotation waiting for …". */
const WAITING_FOR: Partial<Record<RotationStepName, string>> = {
  swap: 'you to put the new key where the old one is used',
  disable: 'your confirmation to disable the old key',
  delete: 'your confirmation to delete the old key'
}

/** The steps in order, each as the Rotate dialog names it. */
const STEP_TITLES: Record<RotationStepName, string> = {
  create: 'creating the new key',
  swap: 'putting the new key in place',
  verify: 'checking that the new key serves',
  switchCredential: 'signing the app in with the new key',
  disable: 'disabling the old key',
  delete: 'deleting the old key'
}

/**
 * Health's view of rotations: those in progress that cannot go on without the user, because
 * a step waits for a confirmation or has failed and needs a retry. Steps waiting for a time go
 * on by themselves and are not findings.
 */
export function waitingRotations(
  rotations: Pick<RotationsTable, 'forAccount'>
): Required<HealthPorts>['rotations'] {
  return {
    waitingForAccount(accountId) {
      const facts: RotationFact[] = []
      for (const record of rotations.forAccount(accountId, 0)) {
        if (record.status !== 'active') continue
        const waiting = stepNeedingUser(record)
        if (!waiting) continue
        facts.push({
          accountId,
          rotationId: record.id,
          keyId: record.oldKeyId,
          keyName: record.oldKeyName,
          waitingFor: waiting.text,
          since: waiting.step.startedAt ?? record.updatedAt
        })
      }
      return facts
    }
  }
}

function stepNeedingUser(record: RotationRecord): { step: StepRecord; text: string } | null {
  for (const name of Object.keys(STEP_TITLES) as RotationStepName[]) {
    const step = record.steps[name]
    if (!step) continue
    if (step.state === 'failed') return { step, text: `a retry: ${STEP_TITLES[name]} failed` }
    if (step.state === 'waiting' && step.waitingFor === 'confirm')
      return { step, text: WAITING_FOR[name] ?? 'your confirmation' }
  }
  return null
}
