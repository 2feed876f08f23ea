/**
 * A canned `window.api` for looking at the UI without main (see mockPreview.ts). The function
 * is serialized with toString() into a classic script, so it must not close over anything.
 * Scenario from the page's query string: ?scenario=normal|empty|offline|rejected|onetime&count=N
 */
export function installMockApi(): void {
  type Listener = (payload: unknown) => void
  type Row = {
    id: string
    name: string
    kind: 'personal' | 'query' | 'index'
    maskedSecret: string | null
    secretStored: boolean
    enabled: boolean
    corpora: string[]
    firstSeenAt: number
    lastUsedAt: number | null
    propagation?: {
      action: 'disable' | 'enable'
      startedAt: number
      mode: 'probing' | 'countdown'
      expectedBy: number
      state: 'pending' | 'confirmed' | 'assumed' | 'timeout'
      confirmedAt?: number
    }
  }

  const params = new URLSearchParams(location.search)
  const scenario = params.get('scenario') ?? 'normal'
  const perKind = Number(params.get('count') ?? 40)
  const now = Date.now()
  const minute = 60_000
  const day = 24 * 60 * minute
  let seed = 7
  const rand = (): number => {
    seed = (seed * 16807) % 2147483647
    return seed / 2147483647
  }
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]!
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'
  const token = (n: number): string =>
    Array.from({ length: n }, () => alphabet[Math.floor(rand() * alphabet.length)]).join('')

  const corpora = [
    { key: 'employee-handbook', name: 'Employee handbook' },
    { key: 'product-docs', name: 'Product documentation' },
    { key: 'support-tickets', name: 'Support tickets' },
    { key: 'release-notes', name: 'Release notes' },
    { key: 'legal-contracts', name: 'Legal contracts', description: 'Restricted' },
    { key: 'marketing-site', name: 'Marketing site' },
    { key: 'research-papers', name: 'Research papers' },
    { key: 'sales-playbooks', name: 'Sales playbooks' }
  ]
  type MockAccount = {
    id: string
    name: string
    baseUrl: string
    authKind: 'api_key' | 'oauth' | 'sandbox'
    oauthClientId?: string
    oauthTokenUrl?: string
    builtin: boolean
    createdAt: number
  }
  const accounts: MockAccount[] = [
    {
      id: 'acc_sandbox',
      name: 'Sandbox',
      baseUrl: 'http://127.0.0.1:41231',
      authKind: 'sandbox',
      builtin: true,
      createdAt: now - 90 * day
    },
    {
      id: 'acc_prod',
      name: 'Acme Production',
      baseUrl: 'https://api.vectara.io',
      authKind: 'api_key',
      builtin: false,
      createdAt: now - 60 * day
    },
    {
      id: 'acc_staging',
      name: 'Acme Staging (EU)',
      baseUrl: 'https://api.vectara.io',
      authKind: 'oauth',
      oauthClientId: '4f1c2a7e-9b1d-4c55-8a1e-2d6c0e9b7a31',
      oauthTokenUrl: 'https://auth.vectara.io/oauth2/token',
      builtin: false,
      createdAt: now - 20 * day
    }
  ]
  let currentId: string | null = scenario === 'noaccount' ? null : 'acc_prod'

  const names = {
    personal: ['ofer-admin', 'ci-automation', 'maria-laptop', 'ops-admin', 'billing-audit'],
    query: ['website-search', 'docs-widget', 'help-center', 'mobile-app', 'partner-portal'],
    index: ['ingest-worker', 'crawler', 'nightly-sync', 'upload-service', 'etl-pipeline']
  }
  const prefix = { personal: 'zut_', query: 'zqt_', index: 'zwt_' }

  function makeRows(accountId: string): Row[] {
    if (scenario === 'empty') return []
    const out: Row[] = []
    for (const kind of ['personal', 'query', 'index'] as const) {
      const count = kind === 'personal' ? Math.ceil(perKind / 4) : perKind
      for (let i = 0; i < count; i++) {
        const stored = rand() > 0.3
        const r = rand()
        const row: Row = {
          id: `aky_${accountId.slice(4, 7)}${token(7).toLowerCase()}`,
          name: `${pick(names[kind])}${i < 5 ? '' : `-${i}`}`,
          kind,
          maskedSecret: stored || rand() > 0.5 ? `${prefix[kind]}…${token(4)}` : null,
          secretStored: stored,
          enabled: rand() > 0.18,
          corpora:
            kind === 'personal'
              ? []
              : corpora
                  .filter(() => rand() > 0.72)
                  .map((c) => c.key)
                  .slice(0, 1 + Math.floor(rand() * 4)),
          firstSeenAt: now - Math.floor(rand() * 200) * day - Math.floor(rand() * day),
          lastUsedAt:
            r < 0.2
              ? null
              : r < 0.35
                ? now - (31 + Math.floor(rand() * 90)) * day
                : now - Math.floor(rand() * 20 * day)
        }
        if (kind !== 'personal' && !row.corpora.length) row.corpora = [corpora[1]!.key]
        out.push(row)
      }
    }
    if (out.length > 6) {
      const p = (i: number, extra: Partial<NonNullable<Row['propagation']>>): void => {
        const row = out[i]!
        row.enabled = extra.action !== 'disable'
        row.propagation = {
          action: 'disable',
          startedAt: now - 15_000,
          mode: 'countdown',
          expectedBy: now + 45_000,
          state: 'pending',
          ...extra
        }
      }
      // Names that sort first, so the default view shows every propagation state.
      const named = (i: number, name: string): void => void (out[i]!.name = name)
      p(perKind + 1, { action: 'disable', mode: 'countdown' })
      named(perKind + 1, 'analytics-dashboard')
      p(perKind + 2, { action: 'enable', mode: 'probing', expectedBy: now + 110_000 })
      named(perKind + 2, 'app-store-preview')
      p(perKind + 3, {
        action: 'disable',
        mode: 'probing',
        state: 'confirmed',
        confirmedAt: now - 4 * minute
      })
      named(perKind + 3, 'archive-search')
      p(perKind + 4, {
        action: 'disable',
        mode: 'countdown',
        state: 'assumed',
        expectedBy: now - minute
      })
      named(perKind + 4, 'atlas-demo')
      p(perKind + 5, {
        action: 'enable',
        mode: 'probing',
        state: 'timeout',
        expectedBy: now - 2 * minute
      })
      named(perKind + 5, 'audit-portal')
      named(perKind, 'acme-website-search-legacy-2019-do-not-use-anymore-please')
    }
    return out
  }

  const data = new Map<string, { rows: Row[]; syncedAt: number | null }>()
  function listOf(accountId: string): { rows: Row[]; syncedAt: number | null } {
    let entry = data.get(accountId)
    if (!entry) {
      entry = { rows: makeRows(accountId), syncedAt: now - 12 * minute }
      data.set(accountId, entry)
    }
    return entry
  }

  const listeners = new Map<string, Set<Listener>>()
  const emit = (name: string, payload: unknown): void => {
    for (const l of listeners.get(name) ?? []) l(payload)
  }
  const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
  const fail = (code: string, message: string, extra: object = {}) => ({
    ok: false,
    error: { code, message, ...extra }
  })
  const ok = (value: unknown) => ({ ok: true, value })
  const state = () => ({ accounts, currentId })
  const keyList = (accountId: string) => {
    const entry = listOf(accountId)
    return { accountId, keys: entry.rows, syncedAt: entry.syncedAt }
  }
  type Input = Record<string, unknown> & { accountId: string; keyId: string }

  const handlers: Record<string, (input: Input) => Promise<unknown>> = {
    'app.status': async () =>
      ok({
        appVersion: '0.1.0',
        platform: 'linux',
        runtime: 'harness',
        keychain: { available: true, backend: 'Secret Service' },
        database: { path: '/home/me/.config/vkm/vkm.db', schemaVersion: 3 }
      }),
    'accounts.list': async () => ok(state()),
    'accounts.switch': async (input) => {
      await sleep(250)
      currentId = input.id as string
      emit('accounts.changed', state())
      return ok(state())
    },
    'accounts.check': async (input) => {
      await sleep(700)
      return input.id === 'acc_staging'
        ? fail('API_UNAUTHORIZED', 'Vectara answered 401 Unauthorized.', { status: 401 })
        : ok({ ok: true })
    },
    'accounts.add': async (input) => {
      await sleep(1200)
      const credential = input.credential as { apiKey?: string }
      if (credential.apiKey && !credential.apiKey.startsWith('zut_'))
        return fail('API_UNAUTHORIZED', 'Vectara answered 401 Unauthorized.', { status: 401 })
      const account: MockAccount = {
        id: `acc_${token(6)}`,
        name: input.name as string,
        baseUrl: input.baseUrl as string,
        authKind: credential.apiKey ? ('api_key' as const) : ('oauth' as const),
        builtin: false,
        createdAt: Date.now()
      }
      accounts.push(account)
      return ok(account)
    },
    'accounts.update': async (input) => {
      await sleep(800)
      const account = accounts.find((a) => a.id === input.id)!
      if (input.name) account.name = input.name as string
      return ok(account)
    },
    'accounts.remove': async (input) => {
      await sleep(400)
      accounts.splice(
        accounts.findIndex((a) => a.id === input.id),
        1
      )
      if (currentId === input.id) currentId = 'acc_sandbox'
      return ok({ removedSecrets: 3 })
    },
    'keys.list': async (input) =>
      // A first visit: nothing cached yet, so the view shows its loading skeleton.
      scenario === 'slow'
        ? ok({ accountId: input.accountId, keys: [], syncedAt: null })
        : ok(keyList(input.accountId)),
    'keys.refresh': async (input) => {
      await sleep(scenario === 'slow' ? 60_000 : 700)
      if (scenario === 'offline')
        return fail('NETWORK_ERROR', 'getaddrinfo ENOTFOUND api.vectara.io')
      if (scenario === 'rejected')
        return fail('API_UNAUTHORIZED', 'Vectara answered 401 Unauthorized.', { status: 401 })
      listOf(input.accountId).syncedAt = Date.now()
      return ok(keyList(input.accountId))
    },
    'keys.setEnabled': async (input) => {
      await sleep(600)
      const entry = listOf(input.accountId)
      const row = entry.rows.find((r) => r.id === input.keyId)!
      if (row.name.startsWith('billing'))
        return fail('API_FORBIDDEN', 'Vectara answered 403 Forbidden: not allowed.', {
          status: 403
        })
      const enabled = input.enabled as boolean
      const t = Date.now()
      const next: Row = {
        ...row,
        enabled,
        propagation: {
          action: enabled ? 'enable' : 'disable',
          startedAt: t,
          mode: row.secretStored ? 'probing' : 'countdown',
          expectedBy: t + (enabled ? 120_000 : 60_000),
          state: 'pending'
        }
      }
      entry.rows = entry.rows.map((r) => (r.id === row.id ? next : r))
      if (row.secretStored) {
        setTimeout(() => {
          emit('propagation.update', {
            accountId: input.accountId,
            keyId: row.id,
            propagation: { ...next.propagation, state: 'confirmed', confirmedAt: Date.now() }
          })
        }, 8000)
      }
      return ok(next)
    },
    'keys.delete': async (input) => {
      await sleep(500)
      const entry = listOf(input.accountId)
      const row = entry.rows.find((r) => r.id === input.keyId)!
      if (row.kind === 'personal')
        return fail(
          'API_FORBIDDEN',
          'Vectara answered 403 Forbidden: the credential may not delete Personal keys.',
          { status: 403 }
        )
      entry.rows = entry.rows.filter((r) => r.id !== input.keyId)
      return ok({ keyId: input.keyId })
    },
    'keys.copySecret': async (input) => {
      const row = listOf(input.accountId).rows.find((r) => r.id === input.keyId)!
      return row.secretStored
        ? ok({ clearsAfterMs: 30_000 })
        : fail('SECRET_UNKNOWN', 'The app does not hold this secret.')
    },
    'keys.revealSecret': async (input) => {
      const row = listOf(input.accountId).rows.find((r) => r.id === input.keyId)!
      return row.secretStored
        ? ok({ secret: `${prefix[row.kind]}${token(38)}`, hideAfterMs: 30_000 })
        : fail('SECRET_UNKNOWN', 'The app does not hold this secret.')
    },
    'keys.storeSecret': async (input) => {
      await sleep(300)
      const entry = listOf(input.accountId)
      const secret = input.secret as string
      let stored: Row | undefined
      entry.rows = entry.rows.map((r) =>
        r.id === input.keyId
          ? (stored = {
              ...r,
              secretStored: true,
              maskedSecret: `${secret.slice(0, 4)}…${secret.slice(-4)}`
            })
          : r
      )
      return ok(stored)
    },
    'keys.create': async (input) => {
      await sleep(900)
      const access = input.access as string
      const kind = access === 'serving' ? 'query' : 'index'
      const secret = `${prefix[kind]}${token(38)}`
      const row: Row = {
        id: `aky_${token(8).toLowerCase()}`,
        name: input.name as string,
        kind,
        maskedSecret: `${secret.slice(0, 4)}…${secret.slice(-4)}`,
        secretStored: scenario !== 'onetime',
        enabled: true,
        corpora: input.corpusKeys as string[],
        firstSeenAt: Date.now(),
        lastUsedAt: null
      }
      const entry = listOf(input.accountId)
      entry.rows = [...entry.rows, row]
      return ok(
        scenario === 'onetime'
          ? {
              key: row,
              secretStored: false,
              oneTimeSecret: secret,
              keychainProblem: 'The Secret Service did not answer within 5 s.'
            }
          : { key: row, secretStored: true }
      )
    },
    'corpora.list': async () => {
      await sleep(300)
      return ok({ corpora })
    }
  }

  const api = Object.freeze({
    invoke: async (name: string, input: Input) => {
      const handler = handlers[name]
      if (!handler) return fail('UNKNOWN_CALL', `Unknown call: ${name}`)
      return handler(input === undefined ? input : JSON.parse(JSON.stringify(input)))
    },
    on: (name: string, listener: Listener) => {
      const set = listeners.get(name) ?? new Set<Listener>()
      set.add(listener)
      listeners.set(name, set)
      return () => set.delete(listener)
    }
  })
  Object.defineProperty(window, 'api', { value: api })
}
