import { existsSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { call, start, tempDir, type Body } from './helpers'

const dirs: { remove(): void }[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) dir.remove()
})

describe('persisted mode (dataDir)', () => {
  it('restarts with the same keys, corpora, documents and history', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const first = await start({ dataDir: dir.path })
    const key = (
      await call(first, 'POST', '/v2/api_keys', {
        body: { name: 'kept', api_key_role: 'serving_and_indexing', corpus_keys: ['product-faq'] }
      })
    ).body
    await call(first, 'POST', '/v2/corpora', {
      body: {
        key: 'kept-corpus',
        filter_attributes: [{ name: 'n', level: 'document', type: 'integer' }]
      }
    })
    await call(first, 'POST', '/v2/corpora/kept-corpus/documents', {
      body: {
        id: 'kept-doc',
        type: 'core',
        metadata: { n: 1 },
        document_parts: [{ text: 'Persistent quartz lantern notes.' }]
      }
    })
    await call(first, 'POST', '/v2/query', {
      body: {
        query: 'quartz',
        search: { corpora: [{ corpus_key: 'kept-corpus' }] },
        save_history: true
      }
    })
    await call(first, 'PATCH', `/v2/api_keys/${key.id}`, { body: { enabled: false } })
    const corporaBefore = (await call(first, 'GET', '/v2/corpora?limit=100')).body.corpora.length
    const oauth = first.oauthClient
    await first.close()

    const second = await start({ dataDir: dir.path })
    try {
      expect(second.personalKey).toBe(first.personalKey)
      expect(second.oauthClient).toEqual(oauth)
      const again = await call(second, 'GET', `/v2/api_keys/${key.id}`)
      expect(again.body).toMatchObject({ secret_key: key.secret_key, enabled: false, name: 'kept' })
      expect((await call(second, 'GET', '/v2/corpora?limit=100')).body.corpora).toHaveLength(
        corporaBefore
      )
      const hits = (
        await call(second, 'POST', '/v2/query', {
          body: {
            query: 'quartz lantern',
            search: { corpora: [{ corpus_key: 'kept-corpus', metadata_filter: 'doc.n = 1' }] }
          }
        })
      ).body.search_results as Body[]
      expect(hits[0].document_id).toBe('kept-doc')
      expect(
        (await call(second, 'GET', '/v2/queries?corpus_key=kept-corpus')).body.queries[0].query
      ).toBe('quartz')
      const token = await call(second, 'POST', '/oauth/token', {
        key: null,
        body: {
          grant_type: 'client_credentials',
          client_id: oauth.clientId,
          client_secret: oauth.clientSecret
        }
      })
      expect(token.status).toBe(200)
    } finally {
      await second.close()
    }
  })

  it('a given personal key replaces the stored admin secret on restart', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const first = await start({ dataDir: dir.path })
    await first.close()
    const chosen = 'zut_ChosenByTheUser_0123456789'
    const second = await start({ dataDir: dir.path, personalKey: chosen })
    try {
      expect(second.personalKey).toBe(chosen)
      expect((await call(second, 'GET', '/v2/api_keys')).status).toBe(200)
      expect((await call(second, 'GET', '/v2/api_keys', { key: first.personalKey })).status).toBe(
        401
      )
    } finally {
      await second.close()
    }
  })

  it('replaces a deleted admin key so the Sandbox stays usable', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const first = await start({ dataDir: dir.path })
    const admin = (await call(first, 'GET', '/v2/api_keys?api_key_role=personal')).body.api_keys[0]
    // A key may not delete itself, so a second Personal key does it.
    const other = (
      await call(first, 'POST', '/v2/api_keys', {
        body: { name: 'other admin', api_key_role: 'personal' }
      })
    ).body
    expect(
      (await call(first, 'DELETE', `/v2/api_keys/${admin.id}`, { key: other.secret_key })).status
    ).toBe(204)
    await first.close()
    const second = await start({ dataDir: dir.path })
    try {
      expect(second.personalKey).not.toBe(first.personalKey)
      expect((await call(second, 'GET', '/v2/corpora')).status).toBe(200)
    } finally {
      await second.close()
    }
  })

  it('adopts a rotated admin key: it signs in now and after a restart, with no new admin key', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const first = await start({ dataDir: dir.path })
    const oldSecret = first.personalKey
    const admin = (await call(first, 'GET', '/v2/api_keys?api_key_role=personal')).body.api_keys[0]
    const rotated = (
      await call(first, 'POST', '/v2/api_keys', {
        body: { name: 'admin (rotated)', api_key_role: 'personal' }
      })
    ).body
    const query = (
      await call(first, 'POST', '/v2/api_keys', {
        body: { name: 'a query key', api_key_role: 'serving', corpus_keys: ['product-faq'] }
      })
    ).body
    expect(() => first.adoptPersonalKey(query.secret_key)).toThrow(/No live Personal key/)
    expect(() => first.adoptPersonalKey('zut_notAKeyOfThisSandbox1234')).toThrow()
    first.adoptPersonalKey(rotated.secret_key)
    expect(first.personalKey).toBe(rotated.secret_key)
    // The embedding app deletes the old admin key with the new one.
    expect(
      (await call(first, 'DELETE', `/v2/api_keys/${admin.id}`, { key: rotated.secret_key })).status
    ).toBe(204)
    await first.close()

    const second = await start({ dataDir: dir.path })
    try {
      expect(second.personalKey).toBe(rotated.secret_key)
      expect(second.personalKey).not.toBe(oldSecret)
      const personal = (await call(second, 'GET', '/v2/api_keys?api_key_role=personal')).body
        .api_keys as { id: string }[]
      expect(personal.map((k) => k.id)).toEqual([rotated.id])
    } finally {
      await second.close()
    }
  })

  it('close() releases the database and every socket; calling it twice is safe', async () => {
    const dir = tempDir()
    dirs.push(dir)
    const sandbox = await start({ dataDir: dir.path })
    const keepAlive = await fetch(`${sandbox.url}/v2/corpora`, {
      headers: { 'x-api-key': sandbox.personalKey }
    })
    await keepAlive.text()
    await Promise.all([sandbox.close(), sandbox.close()])
    await expect(fetch(`${sandbox.url}/v2/corpora`)).rejects.toThrow()
    const path = join(dir.path, 'sandbox.db')
    expect(existsSync(path)).toBe(true)
    // Closed cleanly: another connection can take an exclusive lock at once.
    const db = new BetterSqlite3(path, { timeout: 0 })
    db.exec('BEGIN EXCLUSIVE; COMMIT;')
    expect(db.prepare('SELECT count(*) AS n FROM corpora').get()).toEqual({ n: 4 })
    db.close()
  })

  it('in-memory mode starts fresh every time', async () => {
    const a = await start()
    await call(a, 'POST', '/v2/corpora', { body: { key: 'only-in-a' } })
    await a.close()
    const b = await start()
    try {
      expect((await call(b, 'GET', '/v2/corpora/only-in-a')).status).toBe(404)
      expect(b.personalKey).not.toBe(a.personalKey)
    } finally {
      await b.close()
    }
  })
})
