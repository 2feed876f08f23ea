import type { AccountFacts } from '../facts'
import { findingId, type FindingDraft } from '../finding'

/** A rotation that cannot go on until the user acts; until it finishes, the old key works. */
export function rotationWaitingRule(facts: AccountFacts): FindingDraft[] {
  if (facts.rotations.length === 0) return []
  const keys = new Map(facts.keys.map((k) => [k.keyId, k]))
  return facts.rotations.map((rotation) => {
    const key = keys.get(rotation.keyId)
    return {
      id: findingId('rotationWaiting', rotation.rotationId),
      rule: 'rotationWaiting',
      severity: 'medium',
      keyId: rotation.keyId,
      keyName: key?.name ?? rotation.keyName,
      keyKind: key?.kind ?? null,
      keyEnabled: key?.enabled ?? null,
      corpusKey: null,
      corpusName: null,
      title: `Rotation waiting for ${rotation.waitingFor}`,
      why: 'The rotation stops here until you act, and the old key keeps working until it is done.',
      fixes: [{ action: 'openRotation', rotationId: rotation.rotationId }],
      facts: { waitingFor: rotation.waitingFor, since: rotation.since }
    }
  })
}
