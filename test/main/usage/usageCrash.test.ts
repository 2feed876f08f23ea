import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../src/main/db/database'
import { UsageEventsTable } from '../../../src/main/db/tables/usageEventsTable'

const ROOT = resolve(import.meta.dirname, '../../..')
const TSX = join(ROOT, 'node_modules/.bin/tsx')
const CHILD = join(import.meta.dirname, 'burstChild.ts')
const dirs: string[] = []

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
})

interface Killed {
  dataDir: string
  keyId: string
  acked: number
}

/**
 * Starts the real core in a child process, lets it answer runs in parallel, and SIGKILLs it
 * once `killAfter` runs have been acknowledged, with more in flight.
 */
async function burstAndKill(killAfter: number): Promise<Killed> {
  const dataDir = mkdtempSync(join(tmpdir(), 'vkm-crash-'))
  dirs.push(dataDir)
  const child = spawn(TSX, [CHILD, dataDir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<NodeJS.Signals | null>((done) =>
    child.on('exit', (_code, signal) => done(signal))
  )
  let keyId = ''
  let acked = 0
  for await (const line of createInterface({ input: child.stdout })) {
    const [word, value] = line.split(' ')
    if (word === 'ready') keyId = value
    if (word === 'ack') acked = Number(value)
    if (acked >= killAfter) {
      child.kill('SIGKILL')
      break
    }
  }
  const signal = await exited
  if (signal !== 'SIGKILL') throw new Error(`the child ended on its own (${signal}): ${stderr}`)
  return { dataDir, keyId, acked }
}

/** What a fresh start finds: the events of the key, and the playground history rows. */
function survivors({ dataDir, keyId }: Killed): { events: number; history: number } {
  const { db } = openDatabase(join(dataDir, 'vkm.db'))
  try {
    const usage = new UsageEventsTable(db)
    const filter = { from: 0, to: Number.MAX_SAFE_INTEGER, accountId: 'sandbox', keyId }
    const events = [...usage.iterate({ ...filter, kind: 'query' as const })].length
    const history = (
      db.prepare('SELECT COUNT(*) AS n FROM playground_history').get() as { n: number }
    ).n
    return { events, history }
  } finally {
    db.close()
  }
}

describe('usage events of acknowledged runs survive a crash', () => {
  it('keeps an event for every run answered before the process was killed, over five kills', async () => {
    for (const killAfter of [4, 9, 15, 22, 30]) {
      const killed = await burstAndKill(killAfter)
      expect(killed.keyId).toMatch(/.+/)
      const kept = survivors(killed)
      // Runs still in flight may have landed too; none that was answered may be missing.
      expect(kept.events, `events after ${killed.acked} acknowledged runs`).toBeGreaterThanOrEqual(
        killed.acked
      )
      expect(kept.history).toBeGreaterThanOrEqual(killed.acked)
    }
  }, 120_000)
})
