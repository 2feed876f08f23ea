import type { KeyKind } from './contract/keys'
import type { ApiKeyRole } from './vectara'

/** Every kind but `unknown`: the three Vectara documents. */
export type KnownKeyKind = Exclude<KeyKind, 'unknown'>

export interface KeyKindFacts {
  /** What the secret starts with: the console's way to tell keys apart. */
  prefix: string
  /** The legacy `api_key_role` the API reads and writes. */
  role: ApiKeyRole
  /** The Kind badge's text. */
  label: string
}

/**
 * The one table of key kinds. Prefixes from Vectara's console docs ("Identify API Key by
 * Prefixes", docs.vectara.com); the pairing of roles with prefixes follows the docs pairing
 * Query with `serving` and Index with `serving_and_indexing`.
 */
const KEY_KINDS: Readonly<Record<KnownKeyKind, KeyKindFacts>> = {
  personal: { prefix: 'zut_', role: 'personal', label: 'Personal' },
  query: { prefix: 'zqt_', role: 'serving', label: 'Query' },
  index: { prefix: 'zwt_', role: 'serving_and_indexing', label: 'Index' }
}

const known = Object.entries(KEY_KINDS) as [KnownKeyKind, KeyKindFacts][]

/** Every prefix a Vectara secret starts with. */
export const SECRET_PREFIXES: readonly string[] = known.map(([, facts]) => facts.prefix)

/** The Kind badge's text, `Other` for a kind this app does not know. */
export function labelOfKind(kind: KeyKind): string {
  return kind === 'unknown' ? 'Other' : KEY_KINDS[kind].label
}

/** The prefix a secret of this kind starts with; undefined for `unknown`. */
export function prefixOfKind(kind: KeyKind): string | undefined {
  return kind === 'unknown' ? undefined : KEY_KINDS[kind].prefix
}

/** The known prefix the secret starts with, if any. */
export function prefixOfSecret(secret: string): string | undefined {
  return SECRET_PREFIXES.find((prefix) => secret.startsWith(prefix))
}

/** The kind a secret's prefix says; `unknown` when it has none of them. */
export function kindOfSecret(secret: string): KeyKind {
  return known.find(([, facts]) => secret.startsWith(facts.prefix))?.[0] ?? 'unknown'
}

/** The legacy role a key of this kind has (a twin made by rotation gets the same); undefined for `unknown`. */
export function roleOfKind(kind: KeyKind): ApiKeyRole | undefined {
  return kind === 'unknown' ? undefined : KEY_KINDS[kind].role
}

/** The kind of a legacy role; undefined for a role this app does not know. */
export function kindOfRole(role: string): KnownKeyKind | undefined {
  return known.find(([, facts]) => facts.role === role)?.[0]
}

const DAY_MS = 24 * 60 * 60 * 1000

export const STALE_AFTER_DAYS = 30
const STALE_AFTER_MS = STALE_AFTER_DAYS * DAY_MS

/**
 * Stale: no recorded use for 30 days. A key never used counts once the app has known it that
 * long; before that, "never" only means the app has not been watching long enough to say.
 */
export function isStale(lastUsedAt: number | null, now: number, firstSeenAt = now): boolean {
  return now - (lastUsedAt ?? firstSeenAt) > STALE_AFTER_MS
}
