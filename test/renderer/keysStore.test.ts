import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { KeyRow } from '@shared/contract/keys'
import { AppError } from '@shared/errors'
import { groupKeys } from '@renderer/playground/keyChoices'
import { callNames, makeList, makeRow, NOW, setup } from './fixtures'

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

afterEach(() => {
  delete (globalThis as { api?: unknown }).api
})

describe('keys store: loading', () => {
  it('shows the cached list at once, then replaces it with the refreshed one', async () => {
    const cached = [makeRow({ name: 'cached' })]
    const fresh = [makeRow({ name: 'fresh-1' }), makeRow({ name: 'fresh-2' })]
    const refresh = deferred<ReturnType<typeof makeList>>()
    const { keys, invoke } = setup({
      'keys.list': () => makeList(cached, 'acc_1', NOW - 600_000),
      'keys.refresh': () => refresh.promise
    })
    const opening = keys.open('acc_1')
    await vi.waitFor(() => expect(keys.rows.map((r) => r.name)).toEqual(['cached']))
    expect(keys.refreshing).toBe(true)
    expect(keys.syncedAt).toBe(NOW - 600_000)
    refresh.resolve(makeList(fresh, 'acc_1', NOW))
    await opening
    expect(callNames(invoke)).toEqual(['keys.list', 'keys.refresh'])
    expect(keys.rows.map((r) => r.name)).toEqual(['fresh-1', 'fresh-2'])
    expect(keys.syncedAt).toBe(NOW)
    expect(keys.refreshing).toBe(false)
  })

  it('sends the refresh only after the cached rows had a frame to paint', async () => {
    // Frames are held back here, so the test decides when "the next frame" happens.
    const frames: FrameRequestCallback[] = []
    const raf = vi
      .spyOn(globalThis, 'requestAnimationFrame')
      .mockImplementation((callback) => frames.push(callback))
    try {
      const { keys, invoke } = setup({
        'keys.list': () => makeList([makeRow({ name: 'cached' })]),
        'keys.refresh': () => makeList([makeRow({ name: 'fresh' })])
      })
      const opening = keys.open('acc_1')
      await vi.waitFor(() => expect(keys.rows.map((r) => r.name)).toEqual(['cached']))
      // The cached list is in and the refresh is announced, but nothing went to main yet.
      expect(keys.refreshing).toBe(true)
      for (let i = 0; i < 5; i++) await Promise.resolve()
      expect(callNames(invoke)).toEqual(['keys.list'])
      expect(frames).toHaveLength(1)
      frames[0]!(performance.now())
      await opening
      expect(callNames(invoke)).toEqual(['keys.list', 'keys.refresh'])
      expect(keys.rows.map((r) => r.name)).toEqual(['fresh'])
      expect(keys.refreshing).toBe(false)
    } finally {
      raf.mockRestore()
    }
  })

  it('asks for the list at once when the user presses Refresh', async () => {
    const raf = vi.spyOn(globalThis, 'requestAnimationFrame').mockImplementation((callback) => {
      callback(performance.now())
      return 0
    })
    try {
      const { keys, invoke } = setup({
        'keys.list': () => makeList([]),
        'keys.refresh': () => makeList([makeRow()])
      })
      await keys.open('acc_1')
      raf.mockClear()
      invoke.mockClear()
      await keys.refresh()
      expect(callNames(invoke)).toEqual(['keys.refresh'])
      expect(raf).not.toHaveBeenCalled()
    } finally {
      raf.mockRestore()
    }
  })

  it('prepares the search when idle after each list arrives, not while it is drawn', async () => {
    const idle: Array<() => void> = []
    const cancelled: number[] = []
    const g = globalThis as unknown as Record<string, unknown>
    const saved = { request: g.requestIdleCallback, cancel: g.cancelIdleCallback }
    g.requestIdleCallback = (callback: () => void) => idle.push(callback)
    g.cancelIdleCallback = (handle: number) => cancelled.push(handle)
    try {
      const rows = Array.from({ length: 50 }, (_, i) => makeRow({ name: `svc-${i}` }))
      const { keys } = setup({
        'keys.list': () => makeList(rows),
        'keys.refresh': () => makeList(rows)
      })
      await keys.open('acc_1')
      // The cached list, then the refreshed one: the first warm-up is called off for the second.
      expect(idle).toHaveLength(2)
      expect(cancelled).toEqual([1])
      idle[1]!()
      keys.filters = { ...keys.filters, query: 'svc-4' }
      expect(keys.visibleRows.map((r) => r.name)).toEqual([
        'svc-4',
        'svc-40',
        'svc-41',
        'svc-42',
        'svc-43',
        'svc-44',
        'svc-45',
        'svc-46',
        'svc-47',
        'svc-48',
        'svc-49'
      ])
    } finally {
      g.requestIdleCallback = saved.request
      g.cancelIdleCallback = saved.cancel
    }
  })

  it('keeps the cached rows and records the problem when Vectara cannot be reached', async () => {
    const cached = [makeRow({ name: 'cached' })]
    const { keys } = setup({
      'keys.list': () => makeList(cached),
      'keys.refresh': () => {
        throw new AppError('NETWORK_ERROR', 'getaddrinfo ENOTFOUND api.vectara.io')
      }
    })
    await keys.open('acc_1')
    expect(keys.rows.map((r) => r.name)).toEqual(['cached'])
    expect(keys.refreshProblem).toEqual({
      code: 'NETWORK_ERROR',
      message: 'getaddrinfo ENOTFOUND api.vectara.io'
    })
  })

  it('ignores a late answer for the account the user switched away from', async () => {
    const slow = deferred<ReturnType<typeof makeList>>()
    const { keys } = setup({
      'keys.list': ({ accountId }) => makeList([], accountId),
      'keys.refresh': ({ accountId }) =>
        accountId === 'acc_1' ? slow.promise : makeList([makeRow({ name: 'b-key' })], accountId)
    })
    const first = keys.open('acc_1')
    await vi.waitFor(() => expect(keys.refreshing).toBe(true))
    await keys.open('acc_2')
    slow.resolve(makeList([makeRow({ name: 'a-key' })], 'acc_1'))
    await first
    expect(keys.accountId).toBe('acc_2')
    expect(keys.rows.map((r) => r.name)).toEqual(['b-key'])
  })

  it('shares one refresh between callers', async () => {
    const { keys, invoke } = setup({
      'keys.list': () => makeList([]),
      'keys.refresh': () => makeList([])
    })
    await keys.open('acc_1')
    await Promise.all([keys.refresh(), keys.refresh(), keys.refresh()])
    expect(callNames(invoke).filter((n) => n === 'keys.refresh')).toHaveLength(2)
  })

  it('reloads the cached list when main says it changed, for the current account only', async () => {
    let list = [makeRow({ name: 'one' })]
    const { keys, emit, invoke } = setup({
      'keys.list': () => makeList(list),
      'keys.refresh': () => makeList(list)
    })
    await keys.open('acc_1')
    list = [...list, makeRow({ name: 'two' })]
    emit('keys.changed', { accountId: 'acc_other' })
    await Promise.resolve()
    expect(callNames(invoke).filter((n) => n === 'keys.list')).toHaveLength(1)
    emit('keys.changed', { accountId: 'acc_1' })
    await vi.waitFor(() => expect(keys.rows.map((r) => r.name)).toEqual(['one', 'two']))
  })
})

describe('keys store: what the Playground picker follows', () => {
  it('moves a key to Ready once main fetched its secret, and holds no secret itself', async () => {
    const target = makeRow({ name: 'fetch me', secretStored: false, maskedSecret: 'zqt_…9x8y' })
    const { keys } = setup({
      'keys.list': () => makeList([target]),
      'keys.refresh': () => makeList([target]),
      'keys.fetchSecret': ({ keyId }) => ({ ...target, id: keyId, secretStored: true })
    })
    await keys.open('acc_1')
    expect(groupKeys(keys.rows).map((g) => g.id)).toEqual(['fetch'])
    const row = await keys.fetchSecret(target.id)
    expect(row.secretStored).toBe(true)
    expect(groupKeys(keys.rows).map((g) => [g.id, g.keys.map((k) => k.name)])).toEqual([
      ['ready', ['fetch me']]
    ])
    expect(JSON.stringify(keys.$state)).not.toMatch(/zqt_[A-Za-z0-9]{8,}/)
  })

  it('follows keys.changed from anywhere: revealed, created, disabled and deleted keys', async () => {
    const revealed = makeRow({ name: 'revealed elsewhere', secretStored: false })
    const doomed = makeRow({ name: 'deleted elsewhere' })
    const toggled = makeRow({ name: 'disabled elsewhere' })
    let list = [revealed, doomed, toggled]
    const { keys, emit } = setup({
      'keys.list': () => makeList(list),
      'keys.refresh': () => makeList(list)
    })
    await keys.open('acc_1')
    list = [
      { ...revealed, secretStored: true },
      { ...toggled, enabled: false },
      makeRow({ name: 'created elsewhere' })
    ]
    emit('keys.changed', { accountId: 'acc_1' })
    await vi.waitFor(() =>
      expect(groupKeys(keys.rows).map((g) => [g.id, g.keys.map((k) => k.name)])).toEqual([
        ['ready', ['created elsewhere', 'disabled elsewhere', 'revealed elsewhere']]
      ])
    )
    expect(keys.rows.find((k) => k.name === 'disabled elsewhere')?.enabled).toBe(false)
  })
})

describe('keys store: view', () => {
  beforeEach(() => undefined)

  it('filters and sorts the visible rows and clears filters', async () => {
    const rows = [
      makeRow({ name: 'beta', kind: 'index' }),
      makeRow({ name: 'alpha', kind: 'query' }),
      makeRow({ name: 'gamma', kind: 'query' })
    ]
    const { keys } = setup({
      'keys.list': () => makeList(rows),
      'keys.refresh': () => makeList(rows)
    })
    await keys.open('acc_1')
    expect(keys.visibleRows.map((r) => r.name)).toEqual(['alpha', 'beta', 'gamma'])
    keys.setSort('name')
    expect(keys.visibleRows.map((r) => r.name)).toEqual(['gamma', 'beta', 'alpha'])
    keys.filters = { ...keys.filters, kinds: ['query'] }
    expect(keys.visibleRows.map((r) => r.name)).toEqual(['gamma', 'alpha'])
    expect(keys.filtering).toBe(true)
    keys.clearFilters()
    expect(keys.visibleRows).toHaveLength(3)
    keys.setSort('lastUsed')
    expect(keys.sort).toEqual({ column: 'lastUsed', direction: 'desc' })
  })

  it('keeps name order after a created key is added at the end of the list', async () => {
    const rows = [makeRow({ name: 'alpha' }), makeRow({ name: 'gamma' })]
    const created = makeRow({ name: 'beta' })
    const { keys } = setup({
      'keys.list': () => makeList(rows),
      'keys.refresh': () => makeList(rows),
      'keys.create': () => ({ key: created, secretStored: true })
    })
    await keys.open('acc_1')
    await keys.create({ name: 'beta', access: 'serving', corpusKeys: ['docs'] })
    expect(keys.visibleRows.map((r) => r.name)).toEqual(['alpha', 'beta', 'gamma'])
  })
})

describe('keys store: actions', () => {
  const row = makeRow({ id: 'aky_target', name: 'website-search', enabled: true })

  async function opened(handlers: Parameters<typeof setup>[0] = {}) {
    const ctx = setup({
      'keys.list': () => makeList([row]),
      'keys.refresh': () => makeList([row]),
      ...handlers
    })
    await ctx.keys.open('acc_1')
    return ctx
  }

  it('shows Disabling… at once and then the row main returns, with its propagation', async () => {
    const answer = deferred<KeyRow>()
    const { keys, invoke } = await opened({ 'keys.setEnabled': () => answer.promise })
    const done = keys.setEnabled('aky_target', false)
    expect(keys.pending).toEqual({ aky_target: 'disable' })
    expect(keys.rows[0]!.enabled).toBe(false)
    const propagation = {
      action: 'disable' as const,
      startedAt: NOW,
      mode: 'countdown' as const,
      expectedBy: NOW + 60_000,
      state: 'pending' as const
    }
    answer.resolve({ ...row, enabled: false, propagation })
    await done
    expect(invoke).toHaveBeenLastCalledWith('keys.setEnabled', {
      accountId: 'acc_1',
      keyId: 'aky_target',
      enabled: false
    })
    expect(keys.pending).toEqual({})
    expect(keys.rows[0]).toMatchObject({ enabled: false, propagation })
  })

  it('rolls the row back exactly and rethrows when Vectara refuses', async () => {
    const { keys } = await opened({
      'keys.setEnabled': () => {
        throw new AppError('API_FORBIDDEN', 'Vectara answered 403 Forbidden.', { status: 403 })
      }
    })
    await expect(keys.setEnabled('aky_target', false)).rejects.toMatchObject({
      code: 'API_FORBIDDEN'
    })
    expect(keys.rows[0]).toEqual(row)
    expect(keys.pending).toEqual({})
  })

  it('applies propagation updates pushed by main to the matching row only', async () => {
    const { keys, emit } = await opened()
    const propagation = {
      action: 'disable' as const,
      startedAt: NOW,
      mode: 'probing' as const,
      expectedBy: NOW + 60_000,
      state: 'confirmed' as const,
      confirmedAt: NOW + 30_000
    }
    emit('propagation.update', { accountId: 'acc_other', keyId: 'aky_target', propagation })
    expect(keys.rows[0]!.propagation).toBeUndefined()
    emit('propagation.update', { accountId: 'acc_1', keyId: 'aky_target', propagation })
    expect(keys.rows[0]!.propagation).toEqual(propagation)
  })

  it('removes a deleted key, and keeps it when deletion fails', async () => {
    let fail = true
    const { keys } = await opened({
      'keys.delete': ({ keyId }) => {
        if (fail) throw new AppError('API_FORBIDDEN', 'Forbidden', { status: 403 })
        return { keyId }
      }
    })
    await expect(keys.delete('aky_target')).rejects.toBeInstanceOf(AppError)
    expect(keys.rows).toHaveLength(1)
    fail = false
    await keys.delete('aky_target')
    expect(keys.rows).toHaveLength(0)
  })

  it('adds a created key but hands a one-time secret back without keeping it', async () => {
    const created = makeRow({ name: 'new-key', secretStored: false })
    const { keys } = await opened({
      'keys.create': () => ({
        key: created,
        secretStored: false,
        oneTimeSecret: 'zqt_onlyonce_1234567890',
        keychainProblem: 'Keychain locked'
      })
    })
    const result = await keys.create({ name: 'new-key', access: 'serving', corpusKeys: ['docs'] })
    expect(result.oneTimeSecret).toBe('zqt_onlyonce_1234567890')
    expect(keys.rows.map((r) => r.name)).toContain('new-key')
    expect(JSON.stringify(keys.$state)).not.toContain('zqt_onlyonce')
  })

  it('passes a revealed secret through without storing it, and marks a pasted one as stored', async () => {
    const { keys } = await opened({
      'keys.revealSecret': () => ({ secret: 'zqt_revealed_secret_value', hideAfterMs: 30_000 }),
      'keys.storeSecret': () => ({ ...row, secretStored: true, maskedSecret: 'zqt_…9999' })
    })
    expect(await keys.revealSecret('aky_target')).toEqual({
      secret: 'zqt_revealed_secret_value',
      hideAfterMs: 30_000
    })
    expect(JSON.stringify(keys.$state)).not.toContain('revealed_secret')
    await keys.storeSecret('aky_target', 'zqt_pasted_secret_value')
    expect(keys.rows[0]!.maskedSecret).toBe('zqt_…9999')
    expect(JSON.stringify(keys.$state)).not.toContain('pasted_secret')
  })
})
