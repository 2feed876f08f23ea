import { describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox'
import { silentLogger } from '../../src/main/log'
import { call, start, type Body } from './helpers'

describe('seed', () => {
  it('seeds four demo corpora, over thirty documents and a key of each kind', async () => {
    const sandbox = await start()
    try {
      const corpora = (await call(sandbox, 'GET', '/v2/corpora')).body.corpora as Body[]
      expect(corpora.map((c) => c.key)).toEqual([
        'employee-handbook',
        'product-faq',
        'release-notes',
        'support-runbooks'
      ])
      let docs = 0
      for (const corpus of corpora) {
        const detail = (await call(sandbox, 'GET', `/v2/corpora/${corpus.key}`)).body
        expect(detail.filter_attributes.length).toBeGreaterThanOrEqual(3)
        docs += detail.limits.used_docs
      }
      expect(docs).toBeGreaterThanOrEqual(30)

      const keys = (await call(sandbox, 'GET', '/v2/api_keys?limit=100')).body.api_keys as Body[]
      const count = (predicate: (k: Body) => boolean) => keys.filter(predicate).length
      expect(count((k) => k.api_key_role === 'personal')).toBe(1)
      expect(count((k) => k.api_key_role === 'serving' && k.enabled)).toBeGreaterThanOrEqual(2)
      expect(
        new Set(
          keys.filter((k) => k.api_key_role === 'serving').map((k) => k.corpus_roles[0].corpus_key)
        ).size
      ).toBeGreaterThanOrEqual(2)
      expect(count((k) => k.api_key_role === 'serving_and_indexing')).toBeGreaterThanOrEqual(1)
      expect(count((k) => k.api_key_role === 'serving' && !k.enabled)).toBeGreaterThanOrEqual(1)
      expect(sandbox.oauthClient.clientId).toMatch(/^app_/)
    } finally {
      await sandbox.close()
    }
  })

  it('seed: false starts with only the admin key and app client', async () => {
    const sandbox = await start({ seed: false })
    try {
      expect((await call(sandbox, 'GET', '/v2/corpora')).body.corpora).toEqual([])
      const keys = (await call(sandbox, 'GET', '/v2/api_keys')).body.api_keys as Body[]
      expect(keys.map((k) => k.api_key_role)).toEqual(['personal'])
    } finally {
      await sandbox.close()
    }
  })

  it('uses the given personal key', async () => {
    const sandbox = await start({ personalKey: 'zut_GivenKey_abcdefghij' })
    try {
      expect(sandbox.personalKey).toBe('zut_GivenKey_abcdefghij')
      expect((await call(sandbox, 'GET', '/v2/api_keys')).status).toBe(200)
    } finally {
      await sandbox.close()
    }
  })

  // How fast: `npm run bench -- sandbox` (seed_10k_keys_ms).
  it('seeds 10,000 extra keys with varied names and kinds', async () => {
    const sandbox = await start({ seedKeys: 10_000 })
    try {
      const page = (await call(sandbox, 'GET', '/v2/api_keys?limit=100')).body
      expect(page.metadata.page_key).toBeDefined()
      const names = new Set((page.api_keys as Body[]).map((k) => k.name))
      expect(names.size).toBe(100)
      const index = await call(
        sandbox,
        'GET',
        '/v2/api_keys?api_key_role=serving_and_indexing&limit=100'
      )
      expect(index.body.api_keys.length).toBe(100)
      let total = 0
      let pageKey: string | undefined
      do {
        const response = await call(
          sandbox,
          'GET',
          `/v2/api_keys?limit=100${pageKey ? `&page_key=${pageKey}` : ''}`
        )
        total += response.body.api_keys.length
        pageKey = response.body.metadata.page_key
      } while (pageKey)
      expect(total).toBe(10_000 + 6)
    } finally {
      await sandbox.close()
    }
  })

  it.each([
    [{ port: 70000 }, /port/],
    [{ port: 1.5 }, /port/],
    [{ propagationMs: -5 }, /propagationMs/],
    [{ seedKeys: -1 }, /seedKeys/],
    [{ personalKey: 'zqt_notapersonalkey123' }, /personalKey must look like zut_/]
  ])('rejects invalid options %j with a message naming the option', async (options, message) => {
    await expect(startSandbox({ logger: silentLogger, ...options })).rejects.toThrow(message)
  })

  it('never echoes a malformed personal key in its error', async () => {
    await expect(startSandbox({ personalKey: 'zut_has spaces secret-ish' })).rejects.toThrow(
      /^(?!.*secret-ish)/
    )
  })

  it('reports a port already in use', async () => {
    const first = await start()
    try {
      await expect(start({ port: first.port })).rejects.toThrow(/EADDRINUSE/)
    } finally {
      await first.close()
    }
  })
})
