import { vi } from 'vitest'
import {
  calls,
  events,
  type Bridge,
  type CallInput,
  type CallName,
  type CallOutput,
  type EventName,
  type EventPayload
} from '@shared/contract'
import { AppError } from '@shared/errors'

export type MockHandlers = {
  [N in CallName]?: (input: CallInput<N>) => CallOutput<N> | Promise<CallOutput<N>>
}

/**
 * A window.api for component and store tests, typed from the contract so it cannot drift:
 * inputs and outputs are validated against the same zod schemas main and the preload use.
 * A handler may throw an AppError to simulate a failure from main.
 */
export function createMockBridge(handlers: MockHandlers = {}) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const invoke = vi.fn(async (name: CallName, input: unknown) => {
    const spec = calls[name]
    const parsedInput = spec.input.safeParse(input)
    if (!parsedInput.success)
      throw new Error(`mock bridge: invalid input for ${name}: ${parsedInput.error.message}`)
    const handler = handlers[name] as ((input: unknown) => unknown) | undefined
    if (!handler) throw new Error(`mock bridge: no handler for ${name}`)
    try {
      const value = await handler(parsedInput.data)
      return { ok: true as const, value: spec.output.parse(value) }
    } catch (error) {
      if (error instanceof AppError) return { ok: false as const, error: error.toShape() }
      throw error
    }
  })
  const bridge = {
    invoke: invoke as unknown as Bridge['invoke'],
    on: ((name: EventName, listener: (payload: unknown) => void) => {
      const set = listeners.get(name) ?? new Set()
      set.add(listener)
      listeners.set(name, set)
      return () => set.delete(listener)
    }) as Bridge['on']
  }
  function emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    const data = events[name].parse(payload)
    for (const listener of listeners.get(name) ?? []) listener(data)
  }
  return { bridge, invoke, emit }
}
