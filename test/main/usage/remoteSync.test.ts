import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createQueryKey, runInput, startApp, type TestApp } from '../playground/helpers'

let app: TestApp
beforeEach(async () => {
  app = await startApp()
})
afterEach(async () => {
  vi.restoreAllMocks()
  await app.core.close()
})

describe('Vectara query history sync', () => {
  it('fetches saved queries incrementally with started_after and shows them beside local events', async () => {
    // Clients keep the fetch they were built with: watch it before any is built.
    const urls: string[] = []
    const realFetch = globalThis.fetch
    vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => {
      urls.push(String(input instanceof Request ? input.url : input))
      return realFetch(input, init)
    })
    const key = await createQueryKey(app, 'history sync', ['employee-handbook', 'product-faq'])
    // employee-handbook saves history by default; product-faq only when asked.
    await app.call('playground.run', runInput(key.id, ['employee-handbook'], 'parental leave'))
    await app.call(
      'playground.run',
      runInput(key.id, ['product-faq'], 'battery life', { saveHistory: true })
    )
    await app.call('playground.run', runInput(key.id, ['product-faq'], 'not saved'))

    urls.length = 0
    const first = await app.call('usage.syncRemote', { accountId: 'sandbox' })
    expect(first).toMatchObject({ added: 2, total: 2 })
    const firstList = new URL(urls.find((u) => u.includes('/v2/queries'))!)
    // A first sync looks back a year, no further.
    const lookback = Date.now() - Date.parse(firstList.searchParams.get('started_after')!)
    expect(lookback).toBeGreaterThan(364 * 86_400_000)

    urls.length = 0
    expect(await app.call('usage.syncRemote', { accountId: 'sandbox' })).toMatchObject({
      added: 0,
      total: 2
    })
    const second = new URL(urls.find((u) => u.includes('/v2/queries'))!)
    const startedAfter = Date.parse(second.searchParams.get('started_after')!)
    expect(Date.now() - startedAfter).toBeLessThan(60_000)

    await app.call('playground.run', runInput(key.id, ['employee-handbook'], 'remote work'))
    expect(await app.call('usage.syncRemote', { accountId: 'sandbox' })).toMatchObject({
      added: 1,
      total: 3
    })
    expect(await app.call('usage.remoteStatus', { accountId: 'sandbox' })).toMatchObject({
      total: 3,
      syncedAt: expect.any(Number)
    })

    const { rows } = await app.call('usage.events', {
      accountId: 'sandbox',
      keyId: null,
      kind: 'all',
      range: '24h'
    })
    const remote = rows.filter((r) => r.source === 'vectara')
    expect(remote.map((r) => r.query).sort()).toEqual([
      'battery life',
      'parental leave',
      'remote work'
    ])
    expect(remote[0]).toMatchObject({ kind: 'query', keyId: null, corpusKey: expect.any(String) })
    const local = rows.filter((r) => r.source === 'local' && r.action === 'query')
    expect(local).toHaveLength(4)
    expect(local[0]).toMatchObject({ keyId: key.id, keyName: 'history sync', status: 200 })
    // Newest first across both sources.
    expect(rows.map((r) => r.at)).toEqual([...rows.map((r) => r.at)].sort((a, b) => b - a))
    // Choosing a key hides Vectara's history, which does not say which key ran a query.
    const byKey = await app.call('usage.events', {
      accountId: 'sandbox',
      keyId: key.id,
      kind: 'all',
      range: '24h'
    })
    expect(byKey.rows.every((r) => r.source === 'local')).toBe(true)
  })
})
