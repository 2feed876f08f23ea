import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CallInput, CallName, CallOutput, EventPayload } from '@shared/contract'
import { defaultPlaygroundOptions, type PlaygroundOptions } from '@shared/playground/options'
import { createAppCore, type AppCore } from '../../../src/main/core'
import { MemoryClipboard } from '../../../src/main/clipboard'
import { createLogger } from '../../../src/main/log'
import { MemorySecretStore } from '../../../src/main/secrets/memorySecretStore'
import { secretWithholdingFetch, type SecretWithholdingFetch } from '../../harness/withholdSecrets'

export interface TestApp {
  core: AppCore
  secrets: MemorySecretStore
  clipboard: MemoryClipboard
  dataDir: string
  logLines: string[]
  streamed: EventPayload<'playground.stream'>[]
  /** Every event main pushed, in order. */
  pushed: { name: string; payload: unknown }[]
  /** Switch on to make the Sandbox return no key secrets (as Vectara may). */
  api: SecretWithholdingFetch
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>
}

/** The real app core (router, services, SQLite in a temp dir) with a live embedded Sandbox. */
export async function startApp(options: { playgroundTimeoutMs?: number } = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vkm-playground-'))
  const secrets = new MemorySecretStore()
  const clipboard = new MemoryClipboard()
  const logLines: string[] = []
  const api = secretWithholdingFetch()
  const core = await createAppCore({
    runtime: 'harness',
    appVersion: 'test',
    dataDir,
    secrets,
    clipboard,
    sandboxPropagationMs: 0,
    pruneUsage: false,
    playgroundTimeoutMs: options.playgroundTimeoutMs,
    vectaraClient: { fetch: api.fetch },
    logger: createLogger((line) => logLines.push(line), 'debug')
  })
  const streamed: EventPayload<'playground.stream'>[] = []
  const pushed: { name: string; payload: unknown }[] = []
  core.events.subscribe((name, payload) => {
    pushed.push({ name, payload })
    if (name === 'playground.stream') streamed.push(payload as EventPayload<'playground.stream'>)
  })
  async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    const result = await core.router.invoke(name, input)
    if (!result.ok) throw Object.assign(new Error(result.error.message), { shape: result.error })
    return result.value as CallOutput<N>
  }
  return { core, secrets, clipboard, dataDir, logLines, streamed, pushed, api, call }
}

/** A new Query key on the given corpora, its secret in the (memory) keychain. */
export async function createQueryKey(
  app: TestApp,
  name: string,
  corpusKeys: string[]
): Promise<{ id: string; secret: string }> {
  await app.call('keys.refresh', { accountId: 'sandbox' })
  const created = await app.call('keys.create', {
    accountId: 'sandbox',
    name,
    access: 'serving',
    corpusKeys
  })
  const secret = await app.secrets.get(`key:sandbox:${created.key.id}`)
  if (!secret) throw new Error('the created key secret was not stored')
  return { id: created.key.id, secret }
}

let runs = 0
export function runInput(
  keyId: string,
  corpusKeys: string[],
  query: string,
  options: Partial<PlaygroundOptions> = {}
): CallInput<'playground.run'> {
  return {
    runId: `run-${Date.now()}-${++runs}`,
    accountId: 'sandbox',
    credential: { type: 'stored', keyId },
    corpusKeys,
    query,
    options: { ...defaultPlaygroundOptions, ...options }
  }
}
