import { Fields } from '../http/fields'
import { newApiKeyId, newClientId, newClientSecret, newSecret } from '../ids'
import type { Logger } from '../../main/log'
import type { SandboxStore } from '../store/openStore'
import type { AppClient } from '../store/oauthTable'
import { checkAttributeTypes, readDocument } from '../routes/documentParts'
import { DEFAULT_ENCODER } from '../routes/corpora'
import { seedCorpora } from './corpora'
import { grantFor, sampleKeys, scaleKeys } from './keys'

export interface SeedOptions {
  /** Demo corpora, documents and sample keys; the admin key and app client are always made. */
  demoData: boolean
  extraKeys: number
  personalKey?: string
  now: number
}

export interface SeedResult {
  personalKey: string
  oauthClient: AppClient
}

const SEEDED_AT = 'seeded_at'
const ADMIN_KEY_ID = 'admin_key_id'

/**
 * Seeds a new store once, in one transaction (10,000 extra keys commit in one go). A store that
 * was seeded before keeps its data; only the admin key is repaired so the Sandbox stays usable:
 * a given `personalKey` replaces its secret, and a deleted admin key is replaced.
 */
export function ensureSeeded(store: SandboxStore, options: SeedOptions, log: Logger): SeedResult {
  return store.db.transaction(() => {
    if (store.meta.get(SEEDED_AT) === undefined) seedFresh(store, options)
    const personalKey = ensureAdminKey(store, options, log)
    const oauthClient = store.oauth.firstClient()!
    return { personalKey, oauthClient }
  })()
}

function seedFresh(store: SandboxStore, options: SeedOptions): void {
  store.oauth.addClient({
    clientId: newClientId(),
    clientSecret: newClientSecret(),
    name: 'Key Manager app client'
  })
  const corpusSeqs = options.demoData ? seedDemoData(store, options.now) : []
  if (options.extraKeys > 0)
    store.apiKeys.insertAll(scaleKeys(options.extraKeys, corpusSeqs, options.now))
  store.meta.set(SEEDED_AT, new Date(options.now).toISOString())
}

function seedDemoData(store: SandboxStore, now: number): number[] {
  const seqs = new Map<string, number>()
  for (const corpus of seedCorpora) {
    const created = store.corpora.insert({
      key: corpus.key,
      name: corpus.name,
      description: corpus.description,
      saveHistory: corpus.saveHistory,
      queriesAreAnswers: false,
      documentsAreQuestions: false,
      encoderName: DEFAULT_ENCODER,
      filterAttributes: corpus.filterAttributes,
      customDimensions: [],
      createdAt: now
    })
    seqs.set(corpus.key, created.seq)
    store.documents.insertAll(
      corpus.documents.map((document) => {
        // Seed documents go through the same reader as API requests, so they index identically.
        const fields = Fields.root(structuredClone(document))
        const parsed = readDocument(fields)!
        checkAttributeTypes(parsed, corpus.filterAttributes, fields)
        fields.errors.throwIfAny()
        return { corpusSeq: created.seq, ...parsed, createdAt: now }
      })
    )
  }
  store.apiKeys.insertAll(
    sampleKeys.map((key) => ({
      id: newApiKeyId(),
      name: key.name,
      secret: newSecret(key.role),
      role: key.role,
      apiRoles: [],
      enabled: key.enabled,
      createdAt: now,
      grants: key.corpora.map((corpusKey) => ({
        corpusSeq: seqs.get(corpusKey)!,
        role: grantFor(key.role)
      }))
    }))
  )
  return [...seqs.values()]
}

/**
 * The embedding app rotated the key it signs in with: from now on the admin key is the live
 * Personal key with this secret (kept in the store, so a restart keeps it and does not make a
 * new admin key once the old one is deleted). Throws when no live Personal key has it.
 */
export function adoptAdminKey(store: SandboxStore, secret: string): void {
  const key = store.apiKeys.bySecret(secret)
  if (!key || key.deletedAt !== null || key.role !== 'personal') {
    throw new Error('No live Personal key of this Sandbox has that secret.')
  }
  store.meta.set(ADMIN_KEY_ID, key.id)
}

function ensureAdminKey(store: SandboxStore, options: SeedOptions, log: Logger): string {
  const id = store.meta.get(ADMIN_KEY_ID)
  const existing = id === undefined ? undefined : store.apiKeys.liveById(id)
  if (!existing) {
    const key = store.apiKeys.insert({
      id: newApiKeyId(),
      name: 'Sandbox admin (personal)',
      secret: options.personalKey ?? newSecret('personal'),
      role: 'personal',
      apiRoles: [],
      enabled: true,
      createdAt: options.now,
      grants: []
    })
    store.meta.set(ADMIN_KEY_ID, key.id)
    return key.secret
  }
  if (options.personalKey && options.personalKey !== existing.secret) {
    store.apiKeys.setSecret(existing.seq, options.personalKey)
  }
  if (!existing.enabled) {
    log.warn(
      `The Sandbox admin key ${existing.id} is disabled; requests made with it will be rejected.`
    )
  }
  return options.personalKey ?? existing.secret
}
