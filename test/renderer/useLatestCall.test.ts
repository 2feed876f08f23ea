import { describe, expect, it } from 'vitest'
import { AppError } from '@shared/errors'
import { toProblem, useLatestCall } from '@renderer/composables/useLatestCall'

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

describe('useLatestCall', () => {
  it('applies an answer and is busy only while the call is out', async () => {
    const line = useLatestCall('fallback')
    const answer = deferred<string>()
    const applied: string[] = []
    const running = line.run(
      () => answer.promise,
      (v) => applied.push(v)
    )
    expect(line.busy.value).toBe(true)
    answer.resolve('one')
    expect(await running).toBe(true)
    expect(applied).toEqual(['one'])
    expect(line.busy.value).toBe(false)
    expect(line.problem.value).toBeNull()
  })

  it('ignores a late answer once a newer call started, even when it arrives last', async () => {
    const line = useLatestCall('fallback')
    const older = deferred<string>()
    const newer = deferred<string>()
    const applied: string[] = []
    const first = line.run(
      () => older.promise,
      (v) => applied.push(v)
    )
    const second = line.run(
      () => newer.promise,
      (v) => applied.push(v)
    )
    newer.resolve('new')
    expect(await second).toBe(true)
    older.resolve('old')
    expect(await first).toBe(false)
    expect(applied).toEqual(['new'])
    expect(line.busy.value).toBe(false)
  })

  it('ignores a late failure too: it says nothing about what is on screen', async () => {
    const line = useLatestCall('fallback')
    const older = deferred<string>()
    const first = line.run(
      () => older.promise,
      () => undefined
    )
    await line.run(
      async () => 'fine',
      () => undefined
    )
    older.reject(new AppError('NETWORK_ERROR', 'offline'))
    expect(await first).toBe(false)
    expect(line.problem.value).toBeNull()
  })

  it('keeps an AppError as { code, message } and anything else as INTERNAL with the fallback', async () => {
    const line = useLatestCall('The list could not be read.')
    await line.run(
      () => Promise.reject(new AppError('DB_ERROR', 'The database is locked.', { status: 500 })),
      () => undefined
    )
    // Exactly the two fields: nothing else of the error (a status, field errors) is kept.
    expect(line.problem.value).toEqual({ code: 'DB_ERROR', message: 'The database is locked.' })
    await line.run(
      () => Promise.reject(new TypeError('x is undefined')),
      () => undefined
    )
    expect(line.problem.value).toEqual({
      code: 'INTERNAL',
      message: 'The list could not be read.'
    })
    expect(line.busy.value).toBe(false)
  })

  it('keeps the problem while a retry is out, and drops it when one succeeds', async () => {
    const line = useLatestCall('fallback')
    await line.run(
      () => Promise.reject(new AppError('NETWORK_ERROR', 'offline')),
      () => undefined
    )
    const retry = deferred<number>()
    const retrying = line.run(
      () => retry.promise,
      () => undefined
    )
    expect(line.problem.value?.code).toBe('NETWORK_ERROR')
    retry.resolve(1)
    await retrying
    expect(line.problem.value).toBeNull()
  })

  it('catches a call that throws before it returns a promise', async () => {
    const line = useLatestCall('fallback')
    const ok = await line.run(
      () => {
        throw new AppError('BAD_INPUT', 'No account is selected.')
      },
      () => undefined
    )
    expect(ok).toBe(false)
    expect(line.problem.value).toEqual({ code: 'BAD_INPUT', message: 'No account is selected.' })
    expect(line.busy.value).toBe(false)
    // And it left nothing behind for join to wait on.
    expect(
      await line.join(
        async () => 'next',
        () => undefined
      )
    ).toBe(true)
  })

  it('lets callers join the call that is out instead of sending another', async () => {
    const line = useLatestCall('fallback')
    const answer = deferred<string>()
    let calls = 0
    const call = () => {
      calls++
      return answer.promise
    }
    const applied: string[] = []
    const a = line.join(call, (v) => applied.push(v))
    const b = line.join(call, (v) => applied.push(v))
    answer.resolve('shared')
    expect(await Promise.all([a, b])).toEqual([true, true])
    expect(calls).toBe(1)
    expect(applied).toEqual(['shared'])
    // Once it answered, the next join sends a new call.
    await line.join(
      async () => 'again',
      (v) => applied.push(v)
    )
    expect(applied).toEqual(['shared', 'again'])
  })

  it('reset forgets the call that is out, the busy flag and the problem', async () => {
    const line = useLatestCall('fallback')
    await line.run(
      () => Promise.reject(new AppError('NETWORK_ERROR', 'offline')),
      () => undefined
    )
    const out = deferred<string>()
    const applied: string[] = []
    const running = line.run(
      () => out.promise,
      (v) => applied.push(v)
    )
    line.reset()
    expect(line.busy.value).toBe(false)
    expect(line.problem.value).toBeNull()
    out.resolve('for the old account')
    expect(await running).toBe(false)
    expect(applied).toEqual([])
    // A join after reset does not wait on the forgotten call.
    let sent = 0
    await line.join(
      async () => ++sent,
      () => undefined
    )
    expect(sent).toBe(1)
  })
})

describe('toProblem', () => {
  it('reads the code and message of an AppError only', () => {
    expect(toProblem(new AppError('API_FORBIDDEN', 'No.', { status: 403 }), 'fallback')).toEqual({
      code: 'API_FORBIDDEN',
      message: 'No.'
    })
    expect(toProblem('a string', 'fallback')).toEqual({ code: 'INTERNAL', message: 'fallback' })
  })
})
