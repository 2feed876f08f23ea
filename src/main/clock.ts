/**
 * Where main reads the time for things that wait hours or days (rotation steps, propagation).
 * Tests and the web harness pass a clock they can move forward; the app uses the system's.
 */
export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }
