/**
 * Gives each key drawn in the table a slot: the Vue key of the row element that shows it.
 *
 * Rows are recycled rather than keyed by key id, because tearing rows down and building new
 * ones costs several times more than updating a row in place. But a pure recycling key (the
 * list index) makes every row show another key whenever the list shifts by one (a key filtered
 * out above it), and then every row on screen is rewritten. So: a key still drawn keeps its slot
 * (its row only moves), and only keys new to the screen take over the slots of keys that left.
 */
export type SlotAssigner = (ids: readonly string[]) => number[]

export function createSlotAssigner(): SlotAssigner {
  let slotOf = new Map<string, number>()
  return (ids) => {
    const next = new Map<string, number>()
    const taken = new Set<number>()
    const slots: number[] = new Array<number>(ids.length)
    ids.forEach((id, i) => {
      const slot = slotOf.get(id)
      if (slot !== undefined && !taken.has(slot)) {
        slots[i] = slot
        taken.add(slot)
        next.set(id, slot)
      }
    })
    let free = 0
    ids.forEach((id, i) => {
      if (slots[i] !== undefined) return
      while (taken.has(free)) free++
      slots[i] = free
      taken.add(free)
      next.set(id, free)
    })
    slotOf = next
    return slots
  }
}
