import type { KeyExpiry, KeyKind } from '@shared/contract/keys'

/**
 * What Health knows about one key, gathered from the caches and usage tables. Rules read only
 * these shapes, so each can be tested with a handful of literals and an injected clock.
 */
export interface KeyFact {
  accountId: string
  keyId: string
  name: string
  kind: KeyKind
  enabled: boolean
  corpora: readonly string[]
  /** First time the app saw the key (the API keeps no creation time). */
  firstSeenAt: number
  /** Last query sent with the key through the app (propagation probes excluded); null: never. */
  lastUsedAt: number | null
  /** The key's own secret sent something other than a query through the app. */
  otherUse: boolean
  /** Corpora its successful playground queries asked, sorted. */
  queriedCorpora: readonly string[]
  /** When it was disabled (audit log, or first seen disabled); null while enabled. */
  disabledSince: number | null
  expiry: KeyExpiry | null
  /** The credential the app itself signs in with for this account. */
  accountCredential: boolean
}

export interface CorpusFact {
  key: string
  name: string
}

/**
 * A key whose secret the folder scanner (issue 12) found in files on this machine. Provided
 * through `HealthPorts.fileFindings`; `files` counts distinct files, not occurrences.
 */
export interface FileFindingFact {
  accountId: string
  keyId: string
  kind: KeyKind
  files: number
}

/**
 * A rotation (issue 11) that cannot go on without the user, provided through
 * `HealthPorts.rotations`. `waitingFor` completes "waiting for …", e.g. "your confirmation to
 * disable the old key"; `since` is when it started waiting.
 */
export interface RotationFact {
  accountId: string
  rotationId: string
  keyId: string
  keyName: string
  waitingFor: string
  since: number
}

/** Everything the rules see for one account. */
export interface AccountFacts {
  account: { id: string; name: string }
  keys: readonly KeyFact[]
  corpora: readonly CorpusFact[]
  fileFindings: readonly FileFindingFact[]
  rotations: readonly RotationFact[]
}

/**
 * Where facts from features built beside Health come in. Both are optional: without a scanner
 * or rotations, their rules simply find nothing. Reads are synchronous (both live in SQLite).
 */
export interface HealthPorts {
  fileFindings?: { forAccount(accountId: string): readonly FileFindingFact[] }
  rotations?: { waitingForAccount(accountId: string): readonly RotationFact[] }
}
