/**
 * Keeps "disabled since" in line with the key list: a newly disabled key gets a time (from the
 * audit log when this app disabled it, else now: the first time the app saw it disabled), and
 * a key enabled again loses its time. Returns each disabled key's time and what to write.
 */
export function reconcileDisabledSince(
  keys: readonly { keyId: string; enabled: boolean; disabledSince: number | null }[],
  now: number,
  disabledByApp: (keyId: string) => number | undefined
): { since: Map<string, number>; add: Map<string, number>; remove: string[] } {
  const since = new Map<string, number>()
  const add = new Map<string, number>()
  const remove: string[] = []
  for (const key of keys) {
    if (key.enabled) {
      if (key.disabledSince !== null) remove.push(key.keyId)
      continue
    }
    let at = key.disabledSince
    if (at === null) {
      at = disabledByApp(key.keyId) ?? now
      add.set(key.keyId, at)
    }
    since.set(key.keyId, at)
  }
  return { since, add, remove }
}
