import { describe, expect, it } from 'vitest'
import { rotationWaitingRule } from '../../../../src/main/health/rules/rotationWaiting'
import { NOW, facts, key } from '../factsBuilder'

describe('rotationWaitingRule', () => {
  it('fires for each rotation waiting for the user, with "open it" as the fix', () => {
    const [finding] = rotationWaitingRule(
      facts({
        keys: [key()],
        rotations: [
          {
            accountId: 'acc',
            rotationId: 'rot_7',
            keyId: 'aky_1',
            keyName: 'website-search',
            waitingFor: 'your confirmation to disable the old key',
            since: NOW
          }
        ]
      })
    )
    expect(finding).toMatchObject({
      id: 'rotationWaiting:rot_7',
      severity: 'medium',
      keyId: 'aky_1',
      keyName: 'website-search',
      keyKind: 'query',
      title: 'Rotation waiting for your confirmation to disable the old key',
      fixes: [{ action: 'openRotation', rotationId: 'rot_7' }]
    })
  })

  it('names the key from the rotation when the key has left the list', () => {
    const [finding] = rotationWaitingRule(
      facts({
        rotations: [
          {
            accountId: 'acc',
            rotationId: 'r',
            keyId: 'gone',
            keyName: 'old-name',
            waitingFor: 'x',
            since: NOW
          }
        ]
      })
    )
    expect(finding).toMatchObject({ keyName: 'old-name', keyKind: null })
  })

  it('does not fire without waiting rotations', () => {
    expect(rotationWaitingRule(facts({ keys: [key()] }))).toEqual([])
  })
})
