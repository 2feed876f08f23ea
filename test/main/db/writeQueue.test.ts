import { describe, expect, it } from 'vitest'
import { WriteQueue } from '../../../src/main/db/writeQueue'

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('WriteQueue', () => {
  it('writes what was pushed in one turn as one batch, on the next turn', async () => {
    const batches: number[][] = []
    const queue = new WriteQueue<number>((batch) => batches.push(batch))
    queue.push(1)
    queue.push(2)
    expect(batches).toEqual([])
    await nextTurn()
    expect(batches).toEqual([[1, 2]])
    queue.push(3)
    await nextTurn()
    expect(batches).toEqual([[1, 2], [3]])
  })

  it('writes at once on flush, and not again on the turn it had scheduled', async () => {
    const batches: number[][] = []
    const queue = new WriteQueue<number>((batch) => batches.push(batch))
    queue.push(1)
    queue.flush()
    expect(batches).toEqual([[1]])
    await nextTurn()
    expect(batches).toEqual([[1]])
  })

  it('hands the error of a batch written on its own turn to onError', async () => {
    const errors: unknown[] = []
    const queue = new WriteQueue<number>(
      () => {
        throw new Error('disk full')
      },
      (error) => errors.push(error)
    )
    queue.push(1)
    await nextTurn()
    expect(errors).toEqual([new Error('disk full')])
    expect(() => {
      queue.push(2)
      queue.flush()
    }).toThrow('disk full')
  })
})
