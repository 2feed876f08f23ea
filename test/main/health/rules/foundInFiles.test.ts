import { describe, expect, it } from 'vitest'
import { foundInFilesRule } from '../../../../src/main/health/rules/foundInFiles'
import { facts, key } from '../factsBuilder'

describe('foundInFilesRule', () => {
  it('rates a Personal or Index secret in a file high, a Query secret medium', () => {
    const found = foundInFilesRule(
      facts({
        keys: [
          key({ keyId: 'p', kind: 'personal' }),
          key({ keyId: 'i', kind: 'index' }),
          key({ keyId: 'q', kind: 'query' })
        ],
        fileFindings: [
          { accountId: 'acc', keyId: 'p', kind: 'personal', files: 1 },
          { accountId: 'acc', keyId: 'i', kind: 'index', files: 3 },
          { accountId: 'acc', keyId: 'q', kind: 'query', files: 2 }
        ]
      })
    )
    expect(found.map((f) => [f.keyId, f.severity, f.title])).toEqual([
      ['p', 'high', 'Secret found in 1 file on this machine'],
      ['i', 'high', 'Secret found in 3 files on this machine'],
      ['q', 'medium', 'Secret found in 2 files on this machine']
    ])
    expect(found[0].fixes).toEqual([{ action: 'rotate' }, { action: 'disable' }])
  })

  it('offers only Rotate… for a disabled key, and rates it low', () => {
    const [finding] = foundInFilesRule(
      facts({
        keys: [key({ kind: 'index', enabled: false })],
        fileFindings: [{ accountId: 'acc', keyId: 'aky_1', kind: 'index', files: 1 }]
      })
    )
    expect(finding).toMatchObject({ severity: 'low', fixes: [{ action: 'rotate' }] })
  })

  it('does not fire without files, for a key no longer in the list, or with no scanner facts', () => {
    expect(
      foundInFilesRule(
        facts({
          keys: [key()],
          fileFindings: [
            { accountId: 'acc', keyId: 'aky_1', kind: 'query', files: 0 },
            { accountId: 'acc', keyId: 'deleted', kind: 'personal', files: 4 }
          ]
        })
      )
    ).toEqual([])
    expect(foundInFilesRule(facts({ keys: [key()] }))).toEqual([])
  })
})
