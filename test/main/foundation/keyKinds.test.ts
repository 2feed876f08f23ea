import { describe, expect, it } from 'vitest'
import {
  SECRET_PREFIXES,
  isStale,
  kindOfRole,
  kindOfSecret,
  labelOfKind,
  prefixOfKind,
  prefixOfSecret
} from '@shared/keyKinds'

const DAY = 24 * 60 * 60 * 1000
const NOW = Date.parse('2026-12-01T12:00:00Z')

describe('key kinds', () => {
  it('pairs each kind with its prefix, legacy role and label', () => {
    const facts = (['personal', 'query', 'index'] as const).map((kind) => ({
      kind,
      prefix: prefixOfKind(kind),
      fromRole: ['personal', 'serving', 'serving_and_indexing'].find(
        (role) => kindOfRole(role) === kind
      ),
      label: labelOfKind(kind)
    }))
    expect(facts).toEqual([
      { kind: 'personal', prefix: 'zut_', fromRole: 'personal', label: 'Personal' },
      { kind: 'query', prefix: 'zqt_', fromRole: 'serving', label: 'Query' },
      { kind: 'index', prefix: 'zwt_', fromRole: 'serving_and_indexing', label: 'Index' }
    ])
    expect(SECRET_PREFIXES).toEqual(['zut_', 'zqt_', 'zwt_'])
  })

  it('reads a kind from a secret or a role, and knows when it cannot', () => {
    expect(kindOfSecret('zqt_abcdef')).toBe('query')
    expect(kindOfSecret('zwt_abcdef')).toBe('index')
    expect(kindOfSecret('zut_abcdef')).toBe('personal')
    expect(kindOfSecret('abc_abcdef')).toBe('unknown')
    expect(kindOfSecret('ZQT_abcdef')).toBe('unknown')
    expect(kindOfRole('serving')).toBe('query')
    expect(kindOfRole('serving_and_indexing')).toBe('index')
    expect(kindOfRole('personal')).toBe('personal')
    // A role named like an Object.prototype member is not a role.
    expect(kindOfRole('constructor')).toBeUndefined()
    expect(kindOfRole('some_future_role')).toBeUndefined()
  })

  it('gives the prefix and label of each kind, unknown included', () => {
    expect(prefixOfKind('query')).toBe('zqt_')
    expect(prefixOfKind('unknown')).toBeUndefined()
    expect(prefixOfSecret('zwt_abcdef')).toBe('zwt_')
    expect(prefixOfSecret('sk-abcdef')).toBeUndefined()
    expect(labelOfKind('index')).toBe('Index')
    expect(labelOfKind('unknown')).toBe('Other')
  })
})

describe('isStale', () => {
  it('is stale after 30 days without a recorded use', () => {
    expect(isStale(NOW - 30 * DAY - 1, NOW)).toBe(true)
    expect(isStale(NOW - 30 * DAY, NOW)).toBe(false)
  })

  it('counts a never-used key only once the app has known it for 30 days', () => {
    expect(isStale(null, NOW)).toBe(false)
    expect(isStale(null, NOW, NOW - 29 * DAY)).toBe(false)
    expect(isStale(null, NOW, NOW - 31 * DAY)).toBe(true)
    // A recent use wins over an old first sighting.
    expect(isStale(NOW - DAY, NOW, NOW - 400 * DAY)).toBe(false)
  })
})
