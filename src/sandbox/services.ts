import type { Logger } from '../main/log'
import type { Propagation } from './auth/authenticate'
import type { SearchEngine } from './search/engine'
import type { SandboxStore } from './store/openStore'

/** Caps concurrent SSE streams: each holds a socket and a timer chain open. */
export class StreamSlots {
  private active = 0

  constructor(readonly max: number) {}

  tryAcquire(): boolean {
    if (this.active >= this.max) return false
    this.active++
    return true
  }

  release(): void {
    this.active = Math.max(0, this.active - 1)
  }

  get inUse(): number {
    return this.active
  }
}

export interface SandboxServices {
  store: SandboxStore
  search: SearchEngine
  propagation: Propagation
  now(): number
  streams: StreamSlots
  /** Pause between streamed generation chunks, so clients see a summary arrive gradually. */
  streamChunkDelayMs(): number
  log: Logger
}
