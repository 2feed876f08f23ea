import { describe, expect, it } from 'vitest'
import { callNames, calls, eventNames, events, isCallName } from '@shared/contract'
import { createHandlers } from '../../../src/main/handlers'
import type { Services } from '../../../src/main/handlers'

describe('contract', () => {
  it('names every call domain.action and gives each an input and output schema', () => {
    expect(callNames.length).toBeGreaterThan(0)
    for (const name of callNames) {
      expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/)
      expect(typeof calls[name].input.safeParse).toBe('function')
      expect(typeof calls[name].output.safeParse).toBe('function')
    }
    for (const name of eventNames) {
      expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/)
      expect(typeof events[name].safeParse).toBe('function')
    }
  })

  it('has exactly one handler per call, and no handler without a call', () => {
    const handlers = createHandlers({} as Services)
    expect(Object.keys(handlers).sort()).toEqual([...callNames].sort())
  })

  it('does not treat inherited object keys as calls', () => {
    expect(isCallName('hasOwnProperty')).toBe(false)
    expect(isCallName('__proto__')).toBe(false)
  })
})
