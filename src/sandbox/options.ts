import type { Logger } from '../main/log'
import { PERSONAL_KEY_PATTERN } from './ids'

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number
  host?: string
  /** Where to persist; absent keeps everything in memory. */
  dataDir?: string
  /** A `zut_…` secret to use for the admin Personal key; generated otherwise. */
  personalKey?: string
  /** Delay before disable / enable / delete reach request handling. Default 0. */
  propagationMs?: number
  /** Extra Query / Index keys for scale tests. */
  seedKeys?: number
  /** Demo corpora, documents and sample keys on first start. Default true. */
  seed?: boolean
  /** Clock for propagation, token expiry and timestamps (tests pass a fake one). */
  now?: () => number
  /** Pause between streamed generation chunks. Default 15 ms. */
  streamChunkDelayMs?: number
  /** Concurrent SSE streams before 429. Default 32. */
  maxConcurrentStreams?: number
  /** How long a request body may take to arrive before 408. Default 15 s. */
  bodyTimeoutMs?: number
  logger?: Logger
}

export interface ResolvedOptions {
  port: number
  host: string
  dataDir?: string
  personalKey?: string
  propagationMs: number
  seedKeys: number
  seed: boolean
  now: () => number
  streamChunkDelayMs: number
  maxConcurrentStreams: number
  bodyTimeoutMs: number
}

export const MAX_SEED_KEYS = 1_000_000

/** Checks options up front, so a typo fails at start-up with a message naming the option. */
export function resolveOptions(options: SandboxOptions): ResolvedOptions {
  const port = options.port ?? 0
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`port must be an integer from 0 to 65535, got ${String(options.port)}`)
  }
  const propagationMs = checkMs('propagationMs', options.propagationMs ?? 0)
  const seedKeys = options.seedKeys ?? 0
  if (!Number.isInteger(seedKeys) || seedKeys < 0 || seedKeys > MAX_SEED_KEYS) {
    throw new RangeError(
      `seedKeys must be an integer from 0 to ${MAX_SEED_KEYS}, got ${String(options.seedKeys)}`
    )
  }
  if (options.personalKey !== undefined && !PERSONAL_KEY_PATTERN.test(options.personalKey)) {
    // The value itself is never echoed: it is a secret, even when malformed.
    throw new TypeError(
      'personalKey must look like zut_ followed by at least 8 letters, digits, _ or -'
    )
  }
  const maxConcurrentStreams = options.maxConcurrentStreams ?? 32
  if (!Number.isInteger(maxConcurrentStreams) || maxConcurrentStreams < 1) {
    throw new RangeError('maxConcurrentStreams must be a positive integer')
  }
  return {
    port,
    host: options.host ?? '127.0.0.1',
    dataDir: options.dataDir,
    personalKey: options.personalKey,
    propagationMs,
    seedKeys,
    seed: options.seed ?? true,
    now: options.now ?? Date.now,
    streamChunkDelayMs: checkMs('streamChunkDelayMs', options.streamChunkDelayMs ?? 15),
    maxConcurrentStreams,
    bodyTimeoutMs: checkMs('bodyTimeoutMs', options.bodyTimeoutMs ?? 15_000)
  }
}

export function checkMs(name: string, value: number): number {
  if (!Number.isFinite(value) || value < 0)
    throw new RangeError(`${name} must be a number of milliseconds >= 0, got ${String(value)}`)
  return value
}
