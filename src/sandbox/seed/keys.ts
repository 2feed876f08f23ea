import { newApiKeyId, newSecret, type KeyRole } from '../ids'
import type { CorpusRoleName, NewApiKey } from '../store/apiKeysTable'

export interface SeedKey {
  name: string
  role: Exclude<KeyRole, 'personal'>
  corpora: string[]
  enabled: boolean
}

/** One of each kind the app has to show, including a disabled one. */
export const sampleKeys: SeedKey[] = [
  { name: 'website-search', role: 'serving', corpora: ['product-faq'], enabled: true },
  { name: 'handbook-assistant', role: 'serving', corpora: ['employee-handbook'], enabled: true },
  {
    name: 'release-notes-indexer',
    role: 'serving_and_indexing',
    corpora: ['release-notes', 'product-faq'],
    enabled: true
  },
  {
    name: 'support-console',
    role: 'serving',
    corpora: ['support-runbooks', 'product-faq'],
    enabled: true
  },
  {
    name: 'legacy-intranet-search',
    role: 'serving',
    corpora: ['employee-handbook'],
    enabled: false
  }
]

export const grantFor = (role: Exclude<KeyRole, 'personal'>): CorpusRoleName =>
  role === 'serving' ? 'viewer' : 'editor'

const TEAMS = [
  'web',
  'mobile',
  'support',
  'data',
  'partner',
  'kiosk',
  'intranet',
  'qa',
  'retail',
  'ops'
]
const PURPOSES = [
  'search',
  'chat',
  'indexer',
  'sync',
  'widget',
  'bot',
  'import',
  'export',
  'reports'
]
const STAGES = ['prod', 'staging', 'dev', 'test']

/**
 * `count` extra keys with varied names and kinds for scale tests: every fourth an Index key,
 * every tenth disabled, each granted one or two of the given corpora in turn.
 */
export function scaleKeys(count: number, corpora: number[], createdAt: number): NewApiKey[] {
  const keys: NewApiKey[] = []
  for (let i = 0; i < count; i++) {
    const role: Exclude<KeyRole, 'personal'> = i % 4 === 3 ? 'serving_and_indexing' : 'serving'
    const name = `${TEAMS[i % TEAMS.length]}-${PURPOSES[(i * 7) % PURPOSES.length]}-${STAGES[(i * 3) % STAGES.length]}-${i + 1}`
    const picked = corpora.length
      ? [corpora[i % corpora.length], corpora[(i + 1) % corpora.length]]
      : []
    keys.push({
      id: newApiKeyId(),
      name,
      secret: newSecret(role),
      role,
      apiRoles: [],
      enabled: i % 10 !== 9,
      createdAt,
      grants: [...new Set(picked.slice(0, i % 3 === 0 ? 2 : 1))].map((corpusSeq) => ({
        corpusSeq,
        role: grantFor(role)
      }))
    })
  }
  return keys
}
