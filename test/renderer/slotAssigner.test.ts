import { describe, expect, it } from 'vitest'
import { createSlotAssigner } from '@renderer/components/keys/slotAssigner'

describe('createSlotAssigner', () => {
  it('numbers the first keys drawn from 0', () => {
    const assign = createSlotAssigner()
    expect(assign(['a', 'b', 'c'])).toEqual([0, 1, 2])
  })

  it('keeps the slot of every key still drawn, and hands freed slots to new keys', () => {
    const assign = createSlotAssigner()
    assign(['a', 'b', 'c', 'd'])
    // "b" filtered out: the others shift up a place but keep their rows; "e" takes b's.
    expect(assign(['a', 'c', 'd', 'e'])).toEqual([0, 2, 3, 1])
    // Scrolling on by two: "d" and "e" stay, two new keys take the two rows that left.
    expect(assign(['d', 'e', 'f', 'g'])).toEqual([3, 1, 0, 2])
  })

  it('replaces every key when none stays, reusing the same slots', () => {
    const assign = createSlotAssigner()
    assign(['a', 'b', 'c'])
    expect(assign(['x', 'y', 'z'])).toEqual([0, 1, 2])
  })

  it('grows and shrinks with the number of rows drawn, never reusing a slot twice', () => {
    const assign = createSlotAssigner()
    assign(['a', 'b'])
    const grown = assign(['b', 'c', 'd', 'e'])
    expect(grown[0]).toBe(1)
    expect(new Set(grown).size).toBe(4)
    expect(assign(['e'])).toEqual([grown[3]])
    expect(assign([])).toEqual([])
    expect(assign(['e', 'f'])).toEqual([0, 1])
  })
})
