import { ref, type Ref } from 'vue'
import { isAppError, type ErrorCode } from '@shared/errors'

/** What a store keeps of a failed call: views choose what to show from the code. */
export interface Problem {
  code: ErrorCode
  message: string
}

/** An AppError's code and message; anything else (a bug, a lost bridge) is INTERNAL. */
export function toProblem(error: unknown, fallback: string): Problem {
  return isAppError(error)
    ? { code: error.code, message: error.message }
    : { code: 'INTERNAL', message: fallback }
}

export interface LatestCall {
  /** True while the newest call is out. */
  readonly busy: Ref<boolean>
  /**
   * Why the last answered call failed. It stays while a new call is out (a notice with a Retry
   * button does not blink away), and goes when a call succeeds or on `reset`.
   */
  readonly problem: Ref<Problem | null>
  /**
   * Makes the call; its answer reaches `apply` only if no newer call or `reset` came since
   * (typing fires loads back to back; the user switches account while one is out). Never throws:
   * a failure becomes `problem`. Resolves true when the answer was applied.
   */
  run<T>(call: () => Promise<T>, apply: (value: T) => void): Promise<boolean>
  /** As `run`, but a caller arriving while a call is out waits for that one instead. */
  join<T>(call: () => Promise<T>, apply: (value: T) => void): Promise<boolean>
  /** Forgets the call that is out (its answer will be ignored), the busy flag and the problem. */
  reset(): void
}

/**
 * One line of requests in a store: "call, ignore a stale answer, keep a `{ code, message }`
 * problem". `fallback` is the message for a failure that is not an AppError.
 */
export function useLatestCall(fallback: string): LatestCall {
  const busy = ref(false)
  const problem = ref<Problem | null>(null)
  let generation = 0
  let inflight: Promise<boolean> | null = null

  function run<T>(call: () => Promise<T>, apply: (value: T) => void): Promise<boolean> {
    const mine = ++generation
    busy.value = true
    const promise = (async () => {
      try {
        const value = await call()
        if (mine !== generation) return false
        apply(value)
        problem.value = null
        return true
      } catch (error) {
        if (mine === generation) problem.value = toProblem(error, fallback)
        return false
      } finally {
        if (mine === generation) busy.value = false
      }
    })()
    inflight = promise
    void promise.then(() => {
      if (inflight === promise) inflight = null
    })
    return promise
  }

  function join<T>(call: () => Promise<T>, apply: (value: T) => void): Promise<boolean> {
    return inflight ?? run(call, apply)
  }

  function reset(): void {
    generation++
    inflight = null
    busy.value = false
    problem.value = null
  }

  return { busy, problem, run, join, reset }
}
