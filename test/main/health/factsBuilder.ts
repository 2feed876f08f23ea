import type {
  AccountFacts,
  CorpusFact,
  FileFindingFact,
  KeyFact,
  RotationFact
} from '../../../src/main/health/facts'

export const DAY = 86_400_000
/** The injected "now" of every rule test: a fixed instant, so nothing depends on the real date. */
export const NOW = Date.parse('2026-03-15T12:00:00Z')

/** An enabled Query key used an hour ago, known for a year: the healthiest key there is. */
export function key(overrides: Partial<KeyFact> = {}): KeyFact {
  return {
    accountId: 'acc',
    keyId: overrides.keyId ?? 'aky_1',
    name: 'website-search',
    kind: 'query',
    enabled: true,
    corpora: ['docs'],
    firstSeenAt: NOW - 365 * DAY,
    lastUsedAt: NOW - 3_600_000,
    otherUse: false,
    queriedCorpora: [],
    disabledSince: null,
    expiry: null,
    accountCredential: false,
    ...overrides
  }
}

export function facts(
  parts: {
    keys?: KeyFact[]
    corpora?: CorpusFact[]
    fileFindings?: FileFindingFact[]
    rotations?: RotationFact[]
  } = {}
): AccountFacts {
  return {
    account: { id: 'acc', name: 'Production' },
    keys: parts.keys ?? [],
    corpora: parts.corpora ?? [],
    fileFindings: parts.fileFindings ?? [],
    rotations: parts.rotations ?? []
  }
}
