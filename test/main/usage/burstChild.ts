/**
 * Run by usageCrash.test.ts in a child process (`tsx burstChild.ts <dataDir>`): the real app core
 * answers a burst of playground runs until it is killed. Each answered run is acknowledged on
 * stdout the moment its call resolves, as the renderer would see it: `ack <n>`. The parent kills
 * this process mid-burst and counts what the database kept.
 */
import { writeSync } from 'node:fs'
import { defaultPlaygroundOptions } from '@shared/playground/options'
import { createAppCore } from '../../../src/main/core'
import { silentLogger } from '../../../src/main/log'
import { MemorySecretStore } from '../../../src/main/secrets/memorySecretStore'

const CORPUS = 'employee-handbook'
const PARALLEL = 6

const dataDir = process.argv[2]
if (!dataDir) throw new Error('usage: burstChild.ts <dataDir>')

const core = await createAppCore({
  runtime: 'harness',
  appVersion: 'crash-test',
  dataDir,
  secrets: new MemorySecretStore(),
  sandboxPropagationMs: 0,
  pruneUsage: false,
  logger: silentLogger
})

async function call<T>(name: string, input: unknown): Promise<T> {
  const result = await core.router.invoke(name, input)
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`)
  return result.value as T
}

await call('keys.refresh', { accountId: 'sandbox' })
const { key } = await call<{ key: { id: string } }>('keys.create', {
  accountId: 'sandbox',
  name: 'burst key',
  access: 'serving',
  corpusKeys: [CORPUS]
})
// Synchronous writes: an acknowledgement is on the pipe before anything else happens here.
writeSync(1, `ready ${key.id}\n`)

let sent = 0
let acked = 0
async function worker(): Promise<void> {
  for (;;) {
    const n = ++sent
    await call('playground.run', {
      runId: `burst-run-${n}`,
      accountId: 'sandbox',
      credential: { type: 'stored', keyId: key.id },
      corpusKeys: [CORPUS],
      query: n % 2 ? 'parental leave' : 'remote work equipment',
      options: { ...defaultPlaygroundOptions, stream: n % 3 === 0, generation: n % 3 === 0 }
    })
    writeSync(1, `ack ${++acked}\n`)
  }
}

await Promise.all(Array.from({ length: PARALLEL }, worker))
