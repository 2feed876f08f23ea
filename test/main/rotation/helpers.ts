import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, vi } from 'vitest'
import type { CallInput, CallName, CallOutput, EventName } from '@shared/contract'
import type { Rotation, RotationStep, RotationStepName } from '@shared/contract/rotations'
import type { AppErrorShape } from '@shared/errors'
import { MemoryClipboard } from '../../../src/main/clipboard'
import type { Clock } from '../../../src/main/clock'
import { createAppCore, type AppCore, type CoreConfig } from '../../../src/main/core'
import type { Desktop, DesktopNotification } from '../../../src/main/desktop'
import { createLogger } from '../../../src/main/log'
import { MemorySecretStore } from '../../../src/main/secrets/memorySecretStore'

/** A clock that stands still until a test moves it: steps that wait days happen at once. */
export class FakeClock implements Clock {
  t = Date.UTC(2026, 5, 1, 8, 0, 0)
  now(): number {
    return this.t
  }
  advance(ms: number): void {
    this.t += ms
  }
}

export class RecordingDesktop implements Desktop {
  readonly kind = 'headless' as const
  readonly notifications: DesktopNotification[] = []
  async chooseFolder(): Promise<string | null> {
    return null
  }
  async showItemInFolder(): Promise<'copied'> {
    return 'copied'
  }
  notify(notification: DesktopNotification): void {
    this.notifications.push(notification)
  }
}

type Fault =
  /** Vectara does the work, but its answer never arrives (a dropped connection). */
  | 'lost'
  /** The request never reaches Vectara. */
  | 'network'
  /** Vectara answers with this status and an error body. */
  | number

interface FaultRule {
  method: string
  path: RegExp
  fault: Fault
  /** Matching requests let through before the fault starts. */
  skip: number
  /** How many matching requests fail; Infinity until cleared. */
  times: number
  /** Only requests whose x-api-key passes this test. */
  apiKey?: (key: string | null) => boolean
}

/**
 * A fetch in front of the real one that breaks chosen requests the way networks and servers do,
 * so each step's failure and retry runs against the real Sandbox.
 */
export class Faults {
  private rules: FaultRule[] = []
  readonly seen: { method: string; path: string }[] = []

  add(rule: Partial<FaultRule> & Pick<FaultRule, 'method' | 'path' | 'fault'>): void {
    this.rules.push({ skip: 0, times: 1, ...rule })
  }

  clear(): void {
    this.rules = []
  }

  readonly fetch: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    const url = new URL(request.url)
    this.seen.push({ method: request.method, path: url.pathname })
    const rule = this.rules.find(
      (r) =>
        r.times > 0 &&
        r.method === request.method &&
        r.path.test(url.pathname) &&
        (!r.apiKey || r.apiKey(request.headers.get('x-api-key')))
    )
    if (rule) {
      if (rule.skip > 0) {
        rule.skip--
      } else {
        rule.times--
        if (rule.fault === 'lost') {
          await globalThis.fetch(request)
          throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } })
        }
        if (rule.fault === 'network')
          throw new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })
        return new Response(
          JSON.stringify({ messages: [`injected ${rule.fault}`], request_id: 'req_injected' }),
          { status: rule.fault, headers: { 'content-type': 'application/json' } }
        )
      }
    }
    return globalThis.fetch(request)
  }
}

/** One app core over a data folder that outlives it: close and open again to "restart the app". */
export class TestApp {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'vkm-rotation-'))
  readonly secrets = new MemorySecretStore()
  readonly clock = new FakeClock()
  readonly faults = new Faults()
  desktop = new RecordingDesktop()
  readonly events: { name: EventName; payload: unknown }[] = []
  core!: AppCore

  constructor(private readonly extra: Partial<CoreConfig> = {}) {}

  async open(): Promise<AppCore> {
    this.desktop = new RecordingDesktop()
    this.core = await createAppCore({
      runtime: 'harness',
      appVersion: 'test',
      dataDir: this.dataDir,
      secrets: this.secrets,
      clipboard: new MemoryClipboard(),
      desktop: this.desktop,
      clock: this.clock,
      sandboxPropagationMs: 0,
      pruneUsage: false,
      vectaraClient: { fetch: this.faults.fetch, retry: { maxRetries: 0 } },
      logger: createLogger(() => {}, 'error'),
      ...this.extra
    })
    this.core.events.subscribe((name, payload) => this.events.push({ name, payload }))
    return this.core
  }

  /** Closes and opens again on the same data folder and keychain: the app restarted. */
  async restart(): Promise<AppCore> {
    await this.core.close()
    return this.open()
  }

  async close(): Promise<void> {
    await this.core?.close()
  }

  async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    const result = await this.core.router.invoke(name, input)
    if (!result.ok) throw Object.assign(new Error(result.error.message), { shape: result.error })
    return result.value as CallOutput<N>
  }

  async failure<N extends CallName>(name: N, input: CallInput<N>): Promise<AppErrorShape> {
    const result = await this.core.router.invoke(name, input)
    if (result.ok) throw new Error(`${name} was expected to fail`)
    return result.error
  }

  async keyNamed(name: string): Promise<{ id: string; enabled: boolean } | undefined> {
    const list = await this.call('keys.list', { accountId: 'sandbox' })
    return list.keys.find((k) => k.name === name)
  }

  async rotation(id: string, accountId = 'sandbox'): Promise<Rotation> {
    const { rotations } = await this.call('rotations.list', { accountId })
    const found = rotations.find((r) => r.id === id)
    if (!found) throw new Error(`rotation ${id} is not listed`)
    return found
  }

  /** Waits (real time: probes run on timers) until the step is in the state wanted. */
  async stepReaches(
    id: string,
    name: RotationStepName,
    state: RotationStep['state'],
    accountId = 'sandbox'
  ): Promise<RotationStep> {
    let last: RotationStep | undefined
    await vi.waitFor(
      async () => {
        await this.core.services.rotations.runDue()
        last = step(await this.rotation(id, accountId), name)
        expect(last.state).toBe(state)
      },
      { timeout: 15_000, interval: 100 }
    )
    return last!
  }

  /** Keys at the Sandbox with this exact name (asks the API, not the cache). */
  async keysAtVectaraNamed(name: string): Promise<number> {
    const list = await this.call('keys.refresh', { accountId: 'sandbox' })
    return list.keys.filter((k) => k.name === name).length
  }

  audit(): { action: string; outcome: string; keyId?: string; detail?: string }[] {
    return this.core.db
      .prepare('SELECT action, outcome, key_id AS keyId, detail FROM audit_events ORDER BY id')
      .all() as { action: string; outcome: string; keyId?: string; detail?: string }[]
  }
}

export function step(rotation: Rotation, name: RotationStepName): RotationStep {
  const found = rotation.steps.find((s) => s.name === name)
  if (!found) throw new Error(`rotation has no ${name} step`)
  return found
}

export const HOUR = 60 * 60 * 1000
export const DAY = 24 * HOUR
