import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AppErrorShape } from '@shared/errors'
import { buildQueryHttpRequest } from '@shared/playground/httpRequest'
import { createQueryKey, runInput, startApp, type TestApp } from './helpers'

let app: TestApp
beforeEach(async () => {
  app = await startApp()
})
afterEach(async () => {
  vi.restoreAllMocks()
  await app.core.close()
})

const HANDBOOK = 'employee-handbook'

describe('playground.run', () => {
  it('sends a non-streamed query with the key and shows results, status, timings and raw JSON', async () => {
    const key = await createQueryKey(app, 'handbook query', [HANDBOOK])
    const result = await app.call(
      'playground.run',
      runInput(key.id, [HANDBOOK], 'How many weeks of parental leave?', {
        stream: false,
        generation: false
      })
    )
    expect(result.error).toBeUndefined()
    expect(result.response.status).toBe(200)
    expect(result.response.requestId).toMatch(/[0-9a-f-]{36}/)
    expect(result.response.ttfbMs).toBeGreaterThan(0)
    expect(result.response.totalMs).toBeGreaterThanOrEqual(result.response.ttfbMs!)
    expect(result.response.sizeBytes).toBe(Buffer.byteLength(result.response.raw))
    expect(JSON.parse(result.response.raw)).toHaveProperty('search_results')
    expect(result.answer.searchResults.length).toBeGreaterThan(0)
    expect(result.answer.searchResults[0].text).toMatch(/<em>.*<\/em>/s)
    expect(result.request).toMatchObject({ method: 'POST', streamed: false })
    expect(result.request.url).toBe(`${app.core.sandbox.url()}/v2/query`)
    expect(JSON.stringify(result)).not.toContain(key.secret)
    // Recorded as use of the key: the key list's "Last used" moves.
    const row = (await app.call('keys.list', { accountId: 'sandbox' })).keys.find(
      (k) => k.id === key.id
    )!
    expect(row.lastUsedAt).toEqual(expect.any(Number))
  })

  it('streams a summary chunk by chunk as events, then resolves with the whole answer', async () => {
    const key = await createQueryKey(app, 'stream key', [HANDBOOK])
    const input = runInput(key.id, [HANDBOOK], 'parental leave policy', { stream: true })
    const result = await app.call('playground.run', input)
    expect(result.error).toBeUndefined()
    const mine = app.streamed.filter((e) => e.runId === input.runId)
    expect(mine[0]).toMatchObject({ kind: 'open', status: 200 })
    const types = mine.flatMap((e) => (e.kind === 'event' ? [e.event.type] : []))
    expect(types[0]).toBe('search_results')
    expect(types.filter((t) => t === 'generation_chunk').length).toBeGreaterThan(1)
    expect(types.at(-1)).toBe('end')
    const chunks = mine.flatMap((e) =>
      e.kind === 'event' && e.event.type === 'generation_chunk' ? [e.event.generation_chunk] : []
    )
    expect(chunks.join('')).toBe(result.answer.summary)
    expect(result.answer.summary).toMatch(/\[\d+\]/)
    expect(result.answer.factualConsistencyScore).toEqual(expect.any(Number))
    expect(result.response.raw).toMatch(/^event:search_results\ndata:/)
    const times = mine.flatMap((e) => (e.kind === 'event' ? [e.atMs] : []))
    expect([...times].sort((a, b) => a - b)).toEqual(times)
  })

  it('cancels a streamed run through the AbortSignal and keeps what had arrived', async () => {
    const key = await createQueryKey(app, 'cancel key', [HANDBOOK])
    const input = runInput(key.id, [HANDBOOK], 'remote work expenses security leave', {
      stream: true
    })
    const pending = app.call('playground.run', input)
    await vi.waitFor(
      () => {
        const chunk = app.streamed.find(
          (e) =>
            e.runId === input.runId && e.kind === 'event' && e.event.type === 'generation_chunk'
        )
        if (!chunk) throw new Error('no chunk yet')
      },
      { timeout: 10_000, interval: 5 }
    )
    expect(await app.call('playground.cancel', { runId: input.runId })).toEqual({ cancelled: true })
    const result = await pending
    expect(result.error).toMatchObject({ code: 'CANCELLED', title: 'Cancelled' })
    expect(result.answer.searchResults.length).toBeGreaterThan(0)
    expect(app.streamed.some((e) => e.kind === 'event' && e.event.type === 'end')).toBe(false)
    expect(await app.call('playground.cancel', { runId: input.runId })).toEqual({
      cancelled: false
    })
    const history = await app.call('playground.history', { accountId: 'sandbox' })
    expect(history.recent[0]).toMatchObject({ errorCode: 'CANCELLED' })
  })

  it('explains 401 for a key disabled (after propagation) in plain words', async () => {
    const key = await createQueryKey(app, 'soon disabled', [HANDBOOK])
    await app.call('keys.setEnabled', { accountId: 'sandbox', keyId: key.id, enabled: false })
    const result = await app.call(
      'playground.run',
      runInput(key.id, [HANDBOOK], 'leave', { stream: false })
    )
    expect(result.response.status).toBe(401)
    expect(result.error).toMatchObject({
      code: 'API_UNAUTHORIZED',
      status: 401,
      title: expect.stringMatching(/^401/)
    })
    expect(result.error!.explanation).toMatch(/unknown, disabled or deleted/)
    expect(result.error!.explanation).toContain('"soon disabled"')
    expect(JSON.parse(result.response.raw)).toHaveProperty('request_id')
  })

  it('explains 403 for a corpus outside the key scope, naming it and the key corpora', async () => {
    const key = await createQueryKey(app, 'faq only', ['product-faq'])
    const result = await app.call(
      'playground.run',
      runInput(key.id, ['product-faq', 'support-runbooks'], 'reset password', { stream: true })
    )
    expect(result.response.status).toBe(403)
    expect(result.error).toMatchObject({ code: 'API_FORBIDDEN', status: 403 })
    expect(result.error!.explanation).toContain('"support-runbooks" is outside its scope')
    expect(result.error!.explanation).toContain('(this one: "product-faq")')
    expect(result.error!.messages.join(' ')).toMatch(/support-runbooks/)
  })

  it('explains 400 for a bad metadata filter with the field the server named', async () => {
    const key = await createQueryKey(app, 'filter key', [HANDBOOK])
    const result = await app.call(
      'playground.run',
      runInput(key.id, [HANDBOOK], 'leave', { stream: false, metadataFilter: 'doc.colour = 1' })
    )
    expect(result.response.status).toBe(400)
    expect(result.error).toMatchObject({
      code: 'API_BAD_REQUEST',
      title: expect.stringMatching(/metadata filter/)
    })
    expect(Object.keys(result.error!.fieldErrors ?? {})[0]).toMatch(/metadata_filter/)
  })

  it('says plainly when the Sandbox is offline', async () => {
    const key = await createQueryKey(app, 'offline key', [HANDBOOK])
    await app.core.sandbox.stop()
    const result = await app.call('playground.run', runInput(key.id, [HANDBOOK], 'leave'))
    expect(result.error).toMatchObject({ code: 'NETWORK_ERROR', title: /Offline/ })
    expect(result.response.status).toBeUndefined()
    await app.core.sandbox.start()
  })

  it('explains a timeout', async () => {
    await app.core.close()
    app = await startApp({ playgroundTimeoutMs: 50 })
    const key = await createQueryKey(app, 'slow key', [HANDBOOK])
    // A fetch that never answers stands in for a stalled network.
    vi.spyOn(globalThis, 'fetch').mockImplementation(
      (_input, init) =>
        new Promise((_resolve, reject) =>
          init?.signal?.addEventListener('abort', () => reject(init.signal!.reason))
        )
    )
    const result = await app.call('playground.run', runInput(key.id, [HANDBOOK], 'leave'))
    expect(result.error).toMatchObject({ code: 'API_TIMEOUT', title: 'Timed out' })
    expect(result.error!.explanation).toContain('50 ms')
  })

  it('fetches the secret of a key the keychain lacks from Vectara, keeps it, and runs with it', async () => {
    const { keys } = await app.call('keys.refresh', { accountId: 'sandbox' })
    const target = keys.find((k) => !k.secretStored && k.kind === 'query')!
    expect(await app.secrets.get(`key:sandbox:${target.id}`)).toBeNull()
    const result = await app.call(
      'playground.run',
      runInput(target.id, target.corpora, 'leave', { stream: false })
    )
    expect(result.error).toBeUndefined()
    expect(result.response.status).toBe(200)
    const secret = await app.secrets.get(`key:sandbox:${target.id}`)
    expect(secret).toMatch(/^zqt_/)
    expect(JSON.stringify(result)).not.toContain(secret)
    expect(app.pushed).toContainEqual({ name: 'keys.changed', payload: { accountId: 'sandbox' } })
    const row = (await app.call('keys.list', { accountId: 'sandbox' })).keys.find(
      (k) => k.id === target.id
    )
    expect(row).toMatchObject({ secretStored: true })
  })

  it('fails the call (no query sent, nothing recorded) when Vectara does not return the secret', async () => {
    const { keys } = await app.call('keys.refresh', { accountId: 'sandbox' })
    const target = keys.find((k) => !k.secretStored && k.kind === 'query')!
    app.api.withhold = true
    const result = await app.core.router.invoke(
      'playground.run',
      runInput(target.id, [HANDBOOK], 'x')
    )
    expect(result.ok).toBe(false)
    const error = (result as { error: AppErrorShape }).error
    expect(error.code).toBe('SECRET_UNKNOWN')
    expect(error.message).toContain('Vectara did not return it')
    expect((await app.call('playground.history', { accountId: 'sandbox' })).recent).toEqual([])
  })
})

describe('the request and its usage', () => {
  it('sends exactly the request the Code tabs describe (one builder for both)', async () => {
    const key = await createQueryKey(app, 'builder key', [HANDBOOK])
    for (const stream of [false, true]) {
      const input = runInput(key.id, [HANDBOOK], 'leave', { stream, limit: 3 })
      const result = await app.call('playground.run', input)
      const described = buildQueryHttpRequest({ baseUrl: app.core.sandbox.url(), query: input })
      expect(result.request).toEqual({
        method: described.method,
        url: described.url,
        body: described.body,
        streamed: described.stream,
        keyLabel: 'the key "builder key"'
      })
    }
  })

  it('has committed the usage event of a run when the run answers, then announces it', async () => {
    const key = await createQueryKey(app, 'usage key', [HANDBOOK])
    const reader = new BetterSqlite3(app.core.dbPath, { readonly: true })
    const queries = reader.prepare(
      `SELECT COUNT(*) AS n FROM usage_events e JOIN usage_ops o ON o.op = e.op
       WHERE o.kind = 'query'`
    )
    try {
      const before = (queries.get() as { n: number }).n
      const pushedBefore = app.pushed.length
      for (const stream of [false, true]) {
        await app.call('playground.run', runInput(key.id, [HANDBOOK], 'leave', { stream }))
        // Read at once from another connection: nothing has had a turn to write it later.
        expect((queries.get() as { n: number }).n).toBe(before + (stream ? 2 : 1))
      }
      await vi.waitFor(() =>
        expect(app.pushed.slice(pushedBefore)).toContainEqual({
          name: 'usage.recorded',
          payload: { accountId: 'sandbox' }
        })
      )
    } finally {
      reader.close()
    }
  })
})

describe('pasted keys', () => {
  it('uses a pasted secret once and stores it nowhere', async () => {
    const key = await createQueryKey(app, 'paste source', [HANDBOOK])
    await app.secrets.delete(`key:sandbox:${key.id}`)
    const result = await app.call('playground.run', {
      ...runInput(key.id, [HANDBOOK], 'leave', { stream: false }),
      credential: { type: 'pasted', secret: key.secret }
    })
    expect(result.error).toBeUndefined()
    expect(result.request.keyLabel).toMatch(/^the pasted key \(zqt_…\w{4}\)$/)
    expect(await app.secrets.list()).toEqual([])
    const [entry] = (await app.call('playground.history', { accountId: 'sandbox' })).recent
    expect(entry).toMatchObject({ keyId: null, keyName: 'Pasted key', keyKind: 'query' })
  })

  it('remembers a pasted secret under the key it belongs to, and refuses one that matches none', async () => {
    const key = await createQueryKey(app, 'remember me', [HANDBOOK])
    await app.secrets.delete(`key:sandbox:${key.id}`)
    expect(
      await app.call('playground.rememberSecret', { accountId: 'sandbox', secret: key.secret })
    ).toEqual({ keyId: key.id, name: 'remember me', kind: 'query' })
    expect(await app.secrets.get(`key:sandbox:${key.id}`)).toBe(key.secret)
    const unknown = await app.core.router.invoke('playground.rememberSecret', {
      accountId: 'sandbox',
      secret: 'zqt_notAKeyOfThisAccount0000'
    })
    expect(unknown).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  })
})

describe('history', () => {
  it('records every run without its secret, searches, saves, deletes and clears', async () => {
    const key = await createQueryKey(app, 'history key', [HANDBOOK])
    await app.call('playground.run', runInput(key.id, [HANDBOOK], 'parental leave'))
    await app.call('playground.run', runInput(key.id, [HANDBOOK], 'expenses', { stream: false }))
    const { recent } = await app.call('playground.history', { accountId: 'sandbox' })
    expect(recent.map((e) => e.query)).toEqual(['expenses', 'parental leave'])
    expect(recent[0]).toMatchObject({
      keyId: key.id,
      keyName: 'history key',
      keyKind: 'query',
      keyMasked: expect.stringMatching(/^zqt_…/),
      corpusKeys: [HANDBOOK],
      status: 200,
      latencyMs: expect.any(Number),
      resultCount: expect.any(Number),
      errorCode: null,
      options: expect.objectContaining({ stream: false })
    })
    expect(
      (await app.call('playground.history', { accountId: 'sandbox', search: 'PARENTAL' })).recent
    ).toHaveLength(1)

    const saved = await app.call('playground.saveEntry', { id: recent[1].id, name: 'Leave check' })
    expect(saved).toMatchObject({ name: 'Leave check', savedAt: expect.any(Number) })
    expect(
      (await app.call('playground.history', { accountId: 'sandbox', search: 'leave check' })).saved
    ).toHaveLength(1)

    expect(await app.call('playground.deleteEntry', { id: recent[0].id })).toEqual({
      deleted: true
    })
    expect(
      await app.call('playground.clearHistory', { accountId: 'sandbox', includeSaved: false })
    ).toEqual({ deleted: 0 })
    const after = await app.call('playground.history', { accountId: 'sandbox' })
    expect(after.saved.map((e) => e.name)).toEqual(['Leave check'])
    await app.call('playground.clearHistory', { accountId: 'sandbox', includeSaved: true })
    expect((await app.call('playground.history', { accountId: 'sandbox' })).recent).toEqual([])
  })

  it('keeps every secret out of the database files and the log', async () => {
    const key = await createQueryKey(app, 'scan key', [HANDBOOK])
    const other = await createQueryKey(app, 'pasted scan', [HANDBOOK])
    await app.call('playground.run', runInput(key.id, [HANDBOOK], 'leave'))
    await app.call('playground.run', {
      ...runInput(key.id, [HANDBOOK], 'leave', { stream: false }),
      credential: { type: 'pasted', secret: other.secret }
    })
    await app.call('playground.run', runInput(key.id, ['product-faq'], 'forbidden'))
    // A secret typed into the query box is scrubbed before it is recorded.
    await app.call('playground.run', runInput(key.id, [HANDBOOK], `why ${other.secret}`))
    app.core.db.pragma('wal_checkpoint(TRUNCATE)')
    const files = readdirSync(app.dataDir).filter((f) => f.startsWith('vkm.db'))
    expect(files.length).toBeGreaterThan(0)
    for (const file of files) {
      const bytes = readFileSync(join(app.dataDir, file)).toString('latin1')
      for (const secret of [key.secret, other.secret, app.core.sandbox.endpoint()!.personalKey]) {
        expect(bytes).not.toContain(secret)
        expect(bytes).not.toContain(secret.slice(4))
      }
    }
    const log = app.logLines.join('\n')
    expect(log).not.toContain(key.secret)
    expect(log).not.toContain(other.secret)
  })
})

describe('playground.copyText', () => {
  it('copies non-secret text through main and refuses text holding a secret', async () => {
    await app.call('playground.copyText', { text: 'curl -H "x-api-key: $VECTARA_API_KEY"' })
    expect(app.clipboard.readText()).toContain('$VECTARA_API_KEY')
    const refused = await app.core.router.invoke('playground.copyText', {
      text: 'x-api-key: zqt_abcdefghijklmnop'
    })
    expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    expect(app.clipboard.readText()).toContain('$VECTARA_API_KEY')
  })
})
