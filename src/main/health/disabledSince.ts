/**
 * Keeps "disabled since" in line with the key list: a newly disabled key gets a time (from the
 * audit log when this app disabled it, else now: the first time the app saw it disabled), and
 * keys enabled again or gone lose theirs. Returns each disabled key's time and what to write.
 */
export function reconcileDisabledSince(
  keys: readonly { keyId: string; enabled: boolean }[],
  known: ReadonlyMap<string, number>,
  now: number,
  disabledByApp: (keyId: string) => number | undefined
): { since: Map<string, number>; add: Map<string, number>; remove: string[] } {
  const since = new Map<string, number>()
  const add = new Map<string, number>()
  for (const key of keys) {
    if (key.enabled) continue
    let at = known.get(key.keyId)
    if (at === undefined) {
      at = disabledByApp(key.keyId) ?? now
      add.set(key.keyId, at)
    }
    since.set(key.keyId, at)
  }
  const remove =
    known.size === since.size - add.size ? [] : [...known.keys()].filter((k) => !since.has(k))
  return { since, add, remove }
}
