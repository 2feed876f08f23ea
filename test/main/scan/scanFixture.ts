import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CallInput, CallName, CallOutput, EventName } from '@shared/contract'
import type { ScanSummary } from '@shared/contract/scan'
import type { AppErrorShape } from '@shared/errors'
import { MemoryClipboard } from '../../../src/main/clipboard'
import { createAppCore, type AppCore, type CoreConfig } from '../../../src/main/core'
import { createLogger } from '../../../src/main/log'
import { MemorySecretStore } from '../../../src/main/secrets/memorySecretStore'

/**
 * The app's core as the Scan view meets it: the real router, services, SQLite and Sandbox, a
 * memory keychain, and every event and log line kept for the tests to read.
 */
export class ScanCore {
  core!: AppCore
  readonly secrets = new MemorySecretStore()
  readonly clipboard = new MemoryClipboard()
  /** Pass another core's data folder to start the app again on its database. */
  constructor(readonly dataDir = mkdtempSync(join(tmpdir(), 'vkm-scan-core-'))) {}

  readonly logLines: string[] = []
  readonly events: { name: EventName; payload: unknown }[] = []
  /** Every value a call returned, as the renderer would receive it. */
  readonly answers: unknown[] = []

  async start(config: Partial<CoreConfig> = {}): Promise<this> {
    this.core = await createAppCore({
      runtime: 'harness',
      appVersion: 'test',
      dataDir: this.dataDir,
      secrets: this.secrets,
      clipboard: this.clipboard,
      sandboxPropagationMs: 0,
      pruneUsage: false,
      logger: createLogger((line) => this.logLines.push(line), 'debug'),
      ...config
    })
    this.core.events.subscribe((name, payload) => this.events.push({ name, payload }))
    return this
  }

  async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    const result = await this.core.router.invoke(name, input)
    this.answers.push(result)
    if (!result.ok) throw Object.assign(new Error(result.error.message), { shape: result.error })
    return result.value as CallOutput<N>
  }

  async failure(name: string, input: unknown): Promise<AppErrorShape> {
    const result = await this.core.router.invoke(name, input)
    this.answers.push(result)
    if (result.ok) throw new Error(`${name} was expected to fail`)
    return result.error
  }

  /** Starts a scan and resolves with its `scan.finished` event. */
  async scan(): Promise<ScanSummary> {
    const { scanId } = await this.call('scan.start', undefined)
    return this.finished(scanId)
  }

  finished(scanId: number): Promise<ScanSummary> {
    return new Promise((resolve) => {
      const seen = this.events.find(
        (e) => e.name === 'scan.finished' && (e.payload as ScanSummary).scanId === scanId
      )
      if (seen) return resolve(seen.payload as ScanSummary)
      const stop = this.core.events.subscribe((name, payload) => {
        if (name === 'scan.finished' && (payload as ScanSummary).scanId === scanId) {
          stop()
          resolve(payload as ScanSummary)
        }
      })
    })
  }

  /** A key's secret straight from the Sandbox's key list: the app's keychain does not hold it. */
  async listedSecret(keyId: string): Promise<string> {
    const endpoint = this.core.sandbox.endpoint()!
    const response = await fetch(`${endpoint.url}/v2/api_keys/${keyId}`, {
      headers: { 'x-api-key': endpoint.personalKey }
    })
    const body = (await response.json()) as { secret_key?: string }
    if (!body.secret_key) throw new Error(`the Sandbox did not return the secret of ${keyId}`)
    return body.secret_key
  }

  close(): Promise<void> {
    return this.core.close()
  }
}
