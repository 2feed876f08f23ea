import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CallInput, CallName, CallOutput, EventName } from '@shared/contract'
import type { AppErrorShape } from '@shared/errors'
import { createAppCore, type AppCore } from '../../../src/main/core'
import { createLogger } from '../../../src/main/log'
import { MemorySecretStore } from '../../../src/main/secrets/memorySecretStore'
import type { HealthPorts } from '../../../src/main/health/facts'

export const DAY = 86_400_000

export interface HealthApp {
  core: AppCore
  dataDir: string
  secrets: MemorySecretStore
  /** Every event main pushed, in order. */
  events: { name: EventName; payload: unknown }[]
  /** Moves the app's clock forward. */
  advance(days: number): void
  now(): number
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>
  failure<N extends CallName>(name: N, input: CallInput<N>): Promise<AppErrorShape>
  notifications(): { title: string; body: string }[]
}

/** The real core (router, services, SQLite, Sandbox) on a clock the test moves. */
export async function startHealthApp(
  options: {
    dataDir?: string
    secrets?: MemorySecretStore
    offsetMs?: number
    watchExpiry?: boolean
    ports?: HealthPorts
  } = {}
): Promise<HealthApp> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'vkm-health-'))
  const secrets = options.secrets ?? new MemorySecretStore()
  let offset = options.offsetMs ?? 0
  const now = (): number => Date.now() + offset
  const core = await createAppCore({
    runtime: 'harness',
    appVersion: 'test',
    dataDir,
    secrets,
    sandboxPropagationMs: 0,
    pruneUsage: false,
    watchExpiry: options.watchExpiry ?? false,
    healthPorts: options.ports,
    clock: { now },
    logger: createLogger(() => {}, 'error')
  })
  const events: HealthApp['events'] = []
  core.events.subscribe((name, payload) => events.push({ name, payload }))
  async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    const result = await core.router.invoke(name, input)
    if (!result.ok) throw Object.assign(new Error(result.error.message), { shape: result.error })
    return result.value as CallOutput<N>
  }
  return {
    core,
    dataDir,
    secrets,
    events,
    advance: (days) => {
      offset += Math.round(days * DAY)
    },
    now,
    call,
    async failure(name, input) {
      const result = await core.router.invoke(name, input)
      if (result.ok) throw new Error(`${name} was expected to fail`)
      return result.error
    },
    notifications: () =>
      events
        .filter((e) => e.name === 'app.notification')
        .map((e) => e.payload as { title: string; body: string })
  }
}

/** The Sandbox's seeded keys and corpora, cached as the Keys view would. */
export async function syncSandbox(app: HealthApp): Promise<Map<string, string>> {
  const list = await app.call('keys.refresh', { accountId: 'sandbox' })
  await app.call('corpora.list', { accountId: 'sandbox' })
  return new Map(list.keys.map((k) => [k.name, k.id]))
}
