import { afterEach, describe, expect, it } from 'vitest'
import { AppError } from '@shared/errors'
import { callNames, production, sandbox, setup, staging } from './fixtures'

afterEach(() => {
  delete (globalThis as { api?: unknown }).api
})

const state = { accounts: [sandbox, production, staging], currentId: 'acc_1' }

describe('accounts store', () => {
  it('lists accounts and knows the current one', async () => {
    const { accounts } = setup({ 'accounts.list': () => state })
    await accounts.load()
    expect(accounts.accounts.map((a) => a.name)).toEqual(['Sandbox', 'Production', 'Staging'])
    expect(accounts.current?.name).toBe('Production')
    expect(accounts.loaded).toBe(true)
  })

  it('shares one request between concurrent loads', async () => {
    const { accounts, invoke } = setup({ 'accounts.list': () => state })
    await Promise.all([accounts.load(), accounts.load()])
    expect(callNames(invoke)).toEqual(['accounts.list'])
  })

  it('switches, and keeps the current account when switching fails', async () => {
    let fail = false
    const { accounts, invoke } = setup({
      'accounts.list': () => state,
      'accounts.switch': ({ id }) => {
        if (fail) throw new AppError('NOT_FOUND', 'No such account.')
        return { ...state, currentId: id }
      }
    })
    await accounts.load()
    await accounts.switch('acc_2')
    expect(invoke).toHaveBeenLastCalledWith('accounts.switch', { id: 'acc_2' })
    expect(accounts.current?.name).toBe('Staging')
    fail = true
    await expect(accounts.switch('acc_sandbox')).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(accounts.currentId).toBe('acc_2')
    expect(accounts.switchingTo).toBeNull()
  })

  it('follows accounts.changed pushed by main', async () => {
    const { accounts, emit } = setup({ 'accounts.list': () => state })
    await accounts.load()
    emit('accounts.changed', { accounts: [sandbox], currentId: 'acc_sandbox' })
    expect(accounts.accounts).toEqual([sandbox])
    expect(accounts.current?.builtin).toBe(true)
  })

  it('maps a rejected credential to a plain message, and keeps no secret', async () => {
    const { accounts } = setup({
      'accounts.list': () => state,
      'accounts.add': () => {
        throw new AppError('API_UNAUTHORIZED', 'Vectara answered 401.', { status: 401 })
      }
    })
    const outcome = await accounts.add({
      name: 'Research',
      baseUrl: 'https://api.vectara.io',
      credential: { type: 'api_key', apiKey: 'zqt_wrong_kind_of_key' }
    })
    expect(outcome).toEqual({
      ok: false,
      failure: {
        credentialRejected: true,
        fieldErrors: {},
        message: expect.stringMatching(
          /^Vectara rejected this key: it is unknown, disabled or lacks permission to list API keys/
        )
      }
    })
    expect(JSON.stringify(accounts.$state)).not.toContain('zqt_wrong')
  })

  it('maps field errors from main onto form fields', async () => {
    const { accounts } = setup({
      'accounts.add': () => {
        throw new AppError('BAD_INPUT', 'Invalid input', {
          fieldErrors: { 'credential.clientId': 'Enter the client id', baseUrl: 'Use https' }
        })
      }
    })
    const outcome = await accounts.add({
      name: 'X',
      baseUrl: 'https://api.vectara.io',
      credential: { type: 'oauth', clientId: 'a', clientSecret: 'b', tokenUrl: 'https://t' }
    })
    expect(outcome.ok).toBe(false)
    if (!outcome.ok) {
      expect(outcome.failure.fieldErrors).toEqual({
        clientId: 'Enter the client id',
        baseUrl: 'Use https'
      })
      expect(outcome.failure.credentialRejected).toBe(false)
    }
  })

  it('adds, then reloads the list so the new account shows', async () => {
    const added = { ...staging, id: 'acc_3', name: 'Research' }
    let list = state
    const { accounts } = setup({
      'accounts.list': () => list,
      'accounts.add': () => {
        list = { ...state, accounts: [...state.accounts, added] }
        return added
      }
    })
    const outcome = await accounts.add({
      name: 'Research',
      baseUrl: 'https://api.vectara.io',
      credential: { type: 'api_key', apiKey: 'zut_good_key' }
    })
    expect(outcome).toEqual({ ok: true, account: added })
    expect(accounts.accounts.map((a) => a.name)).toContain('Research')
  })

  it('removes an account and reports how many secrets went with it', async () => {
    let list = state
    const { accounts } = setup({
      'accounts.list': () => list,
      'accounts.remove': () => {
        list = { accounts: [sandbox, production], currentId: 'acc_1' }
        return { removedSecrets: 3 }
      }
    })
    await accounts.load()
    expect(await accounts.remove('acc_2')).toBe(3)
    expect(accounts.accounts.map((a) => a.id)).toEqual(['acc_sandbox', 'acc_1'])
  })

  it('checks a stored credential and returns the refusal', async () => {
    const { accounts } = setup({
      'accounts.check': ({ id }) => {
        if (id === 'acc_2') throw new AppError('API_UNAUTHORIZED', 'Revoked')
        return { ok: true as const }
      }
    })
    expect(await accounts.check('acc_1')).toBeNull()
    expect(await accounts.check('acc_2')).toMatchObject({ code: 'API_UNAUTHORIZED' })
  })
})
