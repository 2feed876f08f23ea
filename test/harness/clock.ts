import type { Clock } from '../../src/main/clock'

/**
 * The harness's clock: the system's time plus an offset that tests move forward (`advanceClock`),
 * so steps that wait an hour or a week (rotation) happen in a test's seconds. Never backwards:
 * the app's records assume time goes one way.
 */
export class AdjustableClock implements Clock {
  private offsetMs = 0

  now(): number {
    return Date.now() + this.offsetMs
  }

  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('The clock only moves forward.')
    this.offsetMs += ms
    return this.now()
  }
}
