import { describe, expect, it } from 'vitest'
import {
  disabledNotice,
  groupKeys,
  outOfReach,
  ownCorpora,
  reachOf
} from '@renderer/playground/keyChoices'
import { formatClock } from '@renderer/utils/time'
import { corpora, keyRow, rows } from './fixtures'

const NOW = Date.UTC(2025, 5, 2, 10, 42)

describe('groupKeys', () => {
  it('puts keys whose secret is in the keychain under "Ready", then the rest, in list order', () => {
    const groups = groupKeys(rows)
    expect(groups.map((g) => [g.label, g.keys.map((k) => k.name)])).toEqual([
      ['Ready', ['website-search', 'indexer', 'admin']],
      ['Not in the keychain yet', ['not stored']]
    ])
  })

  it('leaves out a group with no key', () => {
    expect(groupKeys(rows.filter((k) => k.secretStored)).map((g) => g.id)).toEqual(['ready'])
    expect(groupKeys([])).toEqual([])
  })
})

describe('corpus reach', () => {
  it('scopes Query and Index keys to their corpora; Personal keys reach every corpus', () => {
    expect(reachOf('query', ['a'])).toEqual({ all: false, corpora: ['a'] })
    expect(reachOf('index', [])).toEqual({ all: false, corpora: [] })
    expect(reachOf('personal', ['a'])).toEqual({ all: true })
    expect(reachOf('query', undefined)).toEqual({ all: true })
    expect(reachOf(undefined, undefined)).toEqual({ all: true })
  })

  it('names the chosen corpora a key cannot query', () => {
    expect(outOfReach(reachOf('query', ['a']), ['a', 'b', 'c'])).toEqual(['b', 'c'])
    expect(outOfReach(reachOf('personal', []), ['a', 'b'])).toEqual([])
  })

  it("preselects a key's own corpora that the account still has", () => {
    const key = keyRow({ id: 'k', corpora: ['product-faq', 'gone'] })
    expect(ownCorpora(key, corpora)).toEqual(['product-faq'])
    expect(ownCorpora(key, [])).toEqual(['product-faq', 'gone'])
  })
})

describe('disabledNotice', () => {
  const startedAt = NOW - 20_000
  const disabled = (propagation?: Parameters<typeof keyRow>[0]['propagation']) =>
    keyRow({ id: 'k', name: 'website-search', enabled: false, propagation })

  it('says nothing for an enabled key', () => {
    expect(disabledNotice(keyRow({ id: 'k' }), NOW)).toBeUndefined()
  })

  it('explains the propagation window while Vectara has not blocked the key yet', () => {
    const text = disabledNotice(
      disabled({
        action: 'disable',
        startedAt,
        mode: 'probing',
        expectedBy: startedAt + 60_000,
        state: 'pending'
      }),
      NOW
    )
    expect(text).toContain(
      `disabled at ${formatClock(startedAt, NOW)}; Vectara blocks it within about a minute`
    )
  })

  it('says since when a probe saw the block', () => {
    const text = disabledNotice(
      disabled({
        action: 'disable',
        startedAt,
        mode: 'probing',
        expectedBy: startedAt + 60_000,
        state: 'confirmed',
        confirmedAt: NOW
      }),
      NOW
    )
    expect(text).toContain(`has blocked it since ${formatClock(NOW, NOW)}`)
  })

  it('expects a 401 for a key disabled before this session', () => {
    expect(disabledNotice(disabled(), NOW)).toMatch(/refuses it \(401 Unauthorized\)/)
  })
})
