import type { KeyKind, KeyRow } from '@shared/contract/keys'
import { formatClock } from '../utils/time'

export interface KeyGroup {
  id: 'ready' | 'fetch'
  label: string
  keys: KeyRow[]
}

/**
 * The picker's groups: keys whose secret is in the keychain first ("Ready"), then the others,
 * whose secret main fetches from Vectara when one is chosen. Each keeps the list's name order.
 */
export function groupKeys(rows: readonly KeyRow[]): KeyGroup[] {
  const ready = rows.filter((k) => k.secretStored)
  const fetch = rows.filter((k) => !k.secretStored)
  return [
    { id: 'ready' as const, label: 'Ready', keys: ready },
    { id: 'fetch' as const, label: 'Not in the keychain yet', keys: fetch }
  ].filter((group) => group.keys.length > 0)
}

/** Which corpora a key may query: every one (Personal keys, a pasted key we cannot tell), or a list. */
export type CorpusReach = { all: true } | { all: false; corpora: readonly string[] }

export function reachOf(
  kind: KeyKind | undefined,
  corpora: readonly string[] | undefined
): CorpusReach {
  // Query and Index keys are scoped to the corpora they were made for; a Personal key acts as its
  // owner. Without a list (an unknown key) the app cannot tell, so it warns about nothing.
  if ((kind === 'query' || kind === 'index') && corpora) return { all: false, corpora }
  return { all: true }
}

/** The chosen corpora the key cannot query: Vectara answers 403 for each of them. */
export function outOfReach(reach: CorpusReach, chosen: readonly string[]): string[] {
  return reach.all ? [] : chosen.filter((key) => !reach.corpora.includes(key))
}

/**
 * A key's own corpora, to preselect when it is chosen: those the account still has (a deleted
 * corpus would only earn a 404), all of them while the corpus list has not arrived.
 */
export function ownCorpora(row: KeyRow, available: readonly { key: string }[]): string[] {
  if (available.length === 0) return [...row.corpora]
  const known = new Set(available.map((c) => c.key))
  return row.corpora.filter((key) => known.has(key))
}

/**
 * What a disabled key does right now, in a sentence: Vectara takes about a minute to block it,
 * so a request sent just after disabling may still be answered.
 */
export function disabledNotice(row: KeyRow, now: number = Date.now()): string | undefined {
  if (row.enabled) return undefined
  const change = row.propagation?.action === 'disable' ? row.propagation : undefined
  if (!change) return `“${row.name}” is disabled: Vectara refuses it (401 Unauthorized).`
  const at = formatClock(change.startedAt, now)
  if (change.state === 'confirmed')
    return `“${row.name}” was disabled at ${at}; Vectara has blocked it since ${formatClock(change.confirmedAt ?? change.expectedBy, now)}.`
  if (change.state === 'pending')
    return `“${row.name}” was disabled at ${at}; Vectara blocks it within about a minute, so it may still be answered until then.`
  return `“${row.name}” was disabled at ${at}; Vectara blocks it within about a minute.`
}
