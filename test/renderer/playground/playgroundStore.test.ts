import { createPinia, setActivePinia } from 'pinia'
import { beforeEach, describe, expect, it } from 'vitest'
import { createPlaygroundClient } from '@renderer/api/playgroundClient'
import { holdPastedSecret, pastedSecret } from '@renderer/playground/pastedKey'
import { usePlaygroundStore } from '@renderer/stores/playground'
import { AppError } from '@shared/errors'
import type { CallInput } from '@shared/contract'
import { createMockBridge } from '../mockBridge'
import { entry, result } from './fixtures'

beforeEach(() => setActivePinia(createPinia()))

function ready(store: ReturnType<typeof usePlaygroundStore>): void {
  store.setAccount('sandbox')
  store.chooseStoredKey('aky_query')
  store.corpusKeys = ['employee-handbook']
  store.query = 'How long is parental leave?'
}

describe('playground store', () => {
  it('says what is missing instead of sending', async () => {
    const { bridge, invoke } = createMockBridge({})
    const store = usePlaygroundStore()
    store.useClient(createPlaygroundClient(bridge))
    store.setAccount('sandbox')
    expect(await store.send()).toBeNull()
    expect(store.errors).toEqual({
      key: 'Choose a key, or paste one.',
      corpora: 'Choose at least one corpus.',
      query: 'Type a query.'
    })
    expect(invoke).not.toHaveBeenCalled()
  })

  it('sends the key id (not a secret), shows streamed events as they arrive, then the result', async () => {
    let sent: CallInput<'playground.run'> | undefined
    let finish!: () => void
    const { bridge, emit } = createMockBridge({
      'playground.run': (input) => {
        sent = input
        return new Promise((resolve) => (finish = () => resolve(result({ runId: input.runId }))))
      }
    })
    const store = usePlaygroundStore()
    store.useClient(createPlaygroundClient(bridge))
    ready(store)
    const pending = store.send()
    await Promise.resolve()
    expect(store.running).toBe(true)
    expect(sent).toMatchObject({
      accountId: 'sandbox',
      credential: { type: 'stored', keyId: 'aky_query' },
      corpusKeys: ['employee-handbook']
    })
    const runId = sent!.runId
    emit('playground.stream', { runId, kind: 'open', status: 200, ttfbMs: 9, requestId: 'r' })
    emit('playground.stream', {
      runId,
      kind: 'event',
      atMs: 10,
      event: { type: 'search_results', search_results: [{ text: 'a', score: 0.5 }] }
    })
    emit('playground.stream', {
      runId,
      kind: 'event',
      atMs: 11,
      event: { type: 'generation_chunk', generation_chunk: 'Parents get ' }
    })
    expect(store.opened).toEqual({ status: 200, ttfbMs: 9, requestId: 'r' })
    expect(store.live.summary).toBe('Parents get ')
    emit('playground.stream', {
      runId,
      kind: 'event',
      atMs: 12,
      event: { type: 'generation_chunk', generation_chunk: '20 weeks [1].' }
    })
    expect(store.live.summary).toBe('Parents get 20 weeks [1].')
    expect(store.events).toBe(3)
    // Events of another run are not ours.
    emit('playground.stream', {
      runId: 'someone-else',
      kind: 'event',
      atMs: 1,
      event: { type: 'generation_chunk', generation_chunk: 'x' }
    })
    expect(store.live.summary).toBe('Parents get 20 weeks [1].')
    finish()
    await pending
    expect(store.running).toBe(false)
    expect(store.result?.historyId).toBe(7)
    expect(store.live.searchResults).toHaveLength(1)
  })

  it('sends a pasted secret with the run but keeps only its masked form in state', async () => {
    const secret = 'zqt_pastedSecretValue0000'
    let credential: unknown
    const { bridge } = createMockBridge({
      'playground.run': (input) => {
        credential = input.credential
        return result({ runId: input.runId })
      }
    })
    const store = usePlaygroundStore()
    store.useClient(createPlaygroundClient(bridge))
    ready(store)
    store.usePastedKey(holdPastedSecret(secret))
    await store.send()
    expect(credential).toEqual({ type: 'pasted', secret })
    expect(store.key).toEqual({ type: 'pasted', masked: 'zqt_…0000', kind: 'query' })
    expect(JSON.stringify(store.$state)).not.toContain('pastedSecretValue')
    store.chooseStoredKey('aky_query')
    expect(pastedSecret()).toBeNull()
  })

  it('asks for a pasted key again once it has been forgotten', async () => {
    const { bridge, invoke } = createMockBridge({})
    const store = usePlaygroundStore()
    store.useClient(createPlaygroundClient(bridge))
    ready(store)
    store.usePastedKey(holdPastedSecret('zqt_anotherPastedSecret1'))
    store.setAccount('other')
    store.setAccount('sandbox')
    expect(store.key).toBeNull()
    ready(store)
    store.usePastedKey({ masked: 'zqt_…0000', kind: 'query' })
    expect(await store.send()).toBeNull()
    expect(store.errors.key).toMatch(/Paste the key again/)
    expect(invoke).not.toHaveBeenCalled()
  })

  it('cancels the running request by its run id', async () => {
    let runId = ''
    const { bridge, invoke } = createMockBridge({
      'playground.run': (input) => {
        runId = input.runId
        return new Promise(() => {})
      },
      'playground.cancel': () => ({ cancelled: true })
    })
    const store = usePlaygroundStore()
    store.useClient(createPlaygroundClient(bridge))
    ready(store)
    void store.send()
    await Promise.resolve()
    await store.cancel()
    expect(invoke).toHaveBeenCalledWith('playground.cancel', { runId })
  })

  it('shows why nothing was sent when main refuses the call', async () => {
    const { bridge } = createMockBridge({
      'playground.run': () => {
        throw new AppError(
          'SECRET_UNKNOWN',
          'The secret of "website-search" is not in the keychain.'
        )
      }
    })
    const store = usePlaygroundStore()
    store.useClient(createPlaygroundClient(bridge))
    ready(store)
    expect(await store.send()).toBeNull()
    expect(store.problem?.code).toBe('SECRET_UNKNOWN')
    expect(store.problem?.message).toMatch(/not in the keychain/)
    expect(store.running).toBe(false)
  })

  it('puts a history entry back in the form, with its key only if it is stored', () => {
    const store = usePlaygroundStore()
    store.setAccount('sandbox')
    store.loadEntry(
      entry({ id: 1, query: 'benefits', corpusKeys: ['product-faq'] }),
      new Set(['aky_query'])
    )
    expect(store.query).toBe('benefits')
    expect(store.corpusKeys).toEqual(['product-faq'])
    expect(store.options.stream).toBe(false)
    expect(store.key).toEqual({ type: 'stored', keyId: 'aky_query' })
    store.loadEntry(entry({ id: 2 }), new Set())
    expect(store.key).toBeNull()
  })

  it('copies cURL and request JSON of the current form through main, with no secret', async () => {
    const copied: string[] = []
    const { bridge } = createMockBridge({
      'playground.copyText': ({ text }) => {
        copied.push(text)
        return { copied: true }
      }
    })
    const store = usePlaygroundStore()
    store.useClient(createPlaygroundClient(bridge))
    ready(store)
    store.usePastedKey(holdPastedSecret('zqt_pastedSecretNotInCurl'))
    await store.copyText(store.curl('http://127.0.0.1:4100'))
    await store.copyRequestJson()
    expect(copied[0]).toContain(`curl -sS -N -X POST 'http://127.0.0.1:4100/v2/query'`)
    expect(copied[0]).toContain('$VECTARA_API_KEY')
    expect(JSON.parse(copied[1])).toMatchObject({ query: 'How long is parental leave?' })
    expect(copied.join('\n')).not.toContain('pastedSecretNotInCurl')
  })

  it('redacts a key typed into the query or filter from the request JSON, even after a tab', async () => {
    const copied: string[] = []
    const { bridge } = createMockBridge({
      'playground.copyText': ({ text }) => {
        copied.push(text)
        return { copied: true }
      }
    })
    const store = usePlaygroundStore()
    store.useClient(createPlaygroundClient(bridge))
    ready(store)
    store.query = 'leave\tzqt_typedIntoTheQueryBox1234'
    store.options = { ...store.options, metadataFilter: "doc.k = '\nzwt_typedIntoTheFilter5678'" }
    await store.copyRequestJson()
    expect(copied[0]).not.toMatch(/typedIntoThe/)
    const body = JSON.parse(copied[0])
    expect(body.query).toBe('leave\tzqt_[redacted]')
    expect(body.search.corpora[0].metadata_filter).toBe("doc.k = '\nzwt_[redacted]'")
  })
})
