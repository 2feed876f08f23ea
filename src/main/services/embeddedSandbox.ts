import { AppError } from '@shared/errors'
import { startSandbox, type SandboxHandle } from '../../sandbox'
import type { Logger } from '../log'
import type { SandboxEndpoint } from './vectaraClients'

export interface EmbeddedSandboxOptions {
  /** Persist here; the Sandbox account's keys survive restarts. */
  dataDir: string
  /** Disable / enable / delete reach queries after this long, like the real service. */
  propagationMs: number
  /** Extra keys seeded on first start (scale tests and benchmarks). */
  seedKeys?: number
  logger: Logger
}

/**
 * The Sandbox the built-in account talks to, over real HTTP on loopback. It can be stopped and
 * started again on the same port (the harness uses that to simulate the network going down).
 */
export class EmbeddedSandbox {
  private handle?: SandboxHandle
  private lastPort = 0

  private propagationMs: number
  private streamChunkDelayMs?: number

  constructor(private readonly options: EmbeddedSandboxOptions) {
    this.propagationMs = options.propagationMs
  }

  async start(): Promise<SandboxEndpoint> {
    if (this.handle) return this.handle
    this.handle = await startSandbox({
      port: this.lastPort,
      dataDir: this.options.dataDir,
      propagationMs: this.propagationMs,
      streamChunkDelayMs: this.streamChunkDelayMs,
      seedKeys: this.options.seedKeys,
      logger: this.options.logger
    })
    this.lastPort = this.handle.port
    return this.handle
  }

  endpoint(): SandboxEndpoint | undefined {
    return this.handle
  }

  /** The URL the account shows, even while stopped (it comes back on the same port). */
  url(): string {
    return this.handle?.url ?? `http://127.0.0.1:${this.lastPort}`
  }

  /**
   * The built-in account's credential was rotated: the Sandbox signs it in with this Personal
   * key's secret from now on (kept in the Sandbox's own data, where every Sandbox key lives).
   */
  adoptPersonalKey(secret: string): void {
    if (!this.handle) throw new AppError('NETWORK_ERROR', 'The built-in Sandbox is not running.')
    try {
      this.handle.adoptPersonalKey(secret)
    } catch {
      throw new AppError('NOT_FOUND', 'The Sandbox has no live Personal key with that secret.')
    }
  }

  /** Also applies after a stop and start, so a simulated outage does not reset it. */
  setPropagationMs(ms: number): void {
    this.handle?.setPropagationMs(ms)
    this.propagationMs = ms
  }

  /** Test hook (harness): slower streamed chunks, so a page can be watched drawing each one. */
  setStreamChunkDelayMs(ms: number): void {
    this.handle?.setStreamChunkDelayMs(ms)
    this.streamChunkDelayMs = ms
  }

  async stop(): Promise<void> {
    const handle = this.handle
    this.handle = undefined
    await handle?.close()
  }
}
