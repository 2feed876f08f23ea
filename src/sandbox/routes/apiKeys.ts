import { effectiveEnabled } from '../auth/authenticate'
import { requireAccount, requireAccountWrite } from '../auth/principal'
import { forbidden, notFound } from '../http/errors'
import { Fields, type FieldErrors } from '../http/fields'
import { listMetadata, readPageRequest, toPage } from '../http/paging'
import { Params } from '../http/params'
import { json, noContent } from '../http/respond'
import type { Route, RouteContext } from '../http/router'
import { newApiKeyId, newSecret, type KeyRole } from '../ids'
import { CORPUS_ROLES, type ApiKeyRecord, type CorpusRoleName } from '../store/apiKeysTable'
import type { CorporaTable } from '../store/corporaTable'
import { CORPUS_KEY_HINT, CORPUS_KEY_MAX_LENGTH, CORPUS_KEY_PATTERN } from './corpusKey'

const KEY_ROLES = ['serving', 'serving_and_indexing', 'personal'] as const
const API_ROLES = [
  'owner',
  'administrator',
  'billing_administrator',
  'corpus_administrator',
  'corpus_developer',
  'agent_administrator',
  'agent_viewer',
  'agent_developer',
  'agent_user',
  'pipeline_administrator',
  'pipeline_viewer',
  'viewer',
  'corpus_viewer'
] as const
const MAX_NAME_LENGTH = 256
/**
 * The legacy role each corpus grant implies: our inference, Vectara does not say
 * (docs/vectara-api.md#key-kinds-prefixes-and-roles).
 */
const LEGACY_CORPUS_ROLE: Record<Exclude<KeyRole, 'personal'>, CorpusRoleName> = {
  serving: 'viewer',
  serving_and_indexing: 'editor'
}

/** ApiKey as the API shows it: the legacy role and the matching corpus roles, both. */
export function apiKeyJson(key: ApiKeyRecord): Record<string, unknown> {
  return {
    id: key.id,
    name: key.name,
    secret_key: key.secret,
    enabled: key.enabled,
    api_key_role: key.role,
    api_roles: key.apiRoles,
    corpus_roles: key.grants.map((g) => ({ corpus_key: g.corpusKey, role: g.role }))
  }
}

const corpusKeyRule = {
  pattern: CORPUS_KEY_PATTERN,
  patternHint: CORPUS_KEY_HINT,
  maxLength: CORPUS_KEY_MAX_LENGTH
}

function list(ctx: RouteContext) {
  requireAccount(ctx.principal, 'listing API keys')
  const params = new Params(ctx.query)
  const page = readPageRequest(params, 100)
  const corpusKey = params.string('corpus_key', corpusKeyRule)
  const role = params.oneOf('api_key_role', KEY_ROLES)
  params.errors.throwIfAny()
  const { store } = ctx.services
  const corpus = corpusKey === undefined ? undefined : store.corpora.byKey(corpusKey)
  if (corpusKey !== undefined && !corpus) {
    return json(200, { api_keys: [], metadata: {} })
  }
  const rows = store.apiKeys.list({
    after: page.after ?? 0,
    limit: page.limit + 1,
    role,
    corpusSeq: corpus?.seq
  })
  const result = toPage(rows, page.limit, apiKeyJson)
  return json(200, { api_keys: result.items, metadata: listMetadata(result) })
}

function create(ctx: RouteContext) {
  requireAccountWrite(ctx.principal, 'creating API keys')
  const fields = Fields.root(ctx.body)
  const name = fields.string('name', { required: true, nonEmpty: true, maxLength: MAX_NAME_LENGTH })
  const legacyRole = fields.oneOf('api_key_role', KEY_ROLES)
  const corpusKeys =
    fields.array('corpus_keys', (value, path) => readCorpusKey(value, path, fields.errors)) ?? []
  const corpusRoles =
    fields.objects('corpus_roles', (grant) => {
      const key = grant.string('corpus_key', { required: true, ...corpusKeyRule })
      const role = grant.oneOf('role', CORPUS_ROLES, { required: true })
      return key && role ? { key, role, path: grant.path('corpus_key') } : undefined
    }) ?? []
  const apiRoles = fields.array('api_roles', (value, path) => {
    if (typeof value === 'string' && (API_ROLES as readonly string[]).includes(value)) return value
    fields.errors.add(path, `must be one of: ${API_ROLES.join(', ')}`)
    return undefined
  })
  const agentRoles = fields.array('agent_roles', (value) => value) ?? []
  if (agentRoles.length > 0)
    fields.fail('agent_roles', 'cannot be granted: the Sandbox has no agents')
  fields.errors.throwIfAny()

  const role = legacyRole ?? deriveRole(corpusRoles.map((g) => g.role))
  if (!role) fields.fail('api_key_role', 'is required (or give corpus_roles)')
  const grants = resolveGrants(role, corpusKeys, corpusRoles, ctx.services.store.corpora, fields)
  fields.errors.throwIfAny()

  const key = ctx.services.store.apiKeys.insert({
    id: newApiKeyId(),
    name: name!.trim(),
    secret: newSecret(role!),
    role: role!,
    apiRoles: apiRoles ?? [],
    enabled: true,
    createdAt: ctx.services.now(),
    grants
  })
  return json(201, apiKeyJson(key))
}

function readCorpusKey(value: unknown, path: string, errors: FieldErrors): string | undefined {
  if (
    typeof value === 'string' &&
    value.length <= CORPUS_KEY_MAX_LENGTH &&
    CORPUS_KEY_PATTERN.test(value)
  )
    return value
  errors.add(
    path,
    `must be a corpus key that ${CORPUS_KEY_HINT} (at most ${CORPUS_KEY_MAX_LENGTH})`
  )
  return undefined
}

/** Keys given only corpus roles: viewer everywhere is a Query key, anything more an Index key. */
function deriveRole(roles: CorpusRoleName[]): KeyRole | undefined {
  if (roles.length === 0) return undefined
  return roles.every((r) => r === 'viewer') ? 'serving' : 'serving_and_indexing'
}

function resolveGrants(
  role: KeyRole | undefined,
  corpusKeys: string[],
  corpusRoles: { key: string; role: CorpusRoleName; path: string }[],
  corpora: CorporaTable,
  fields: Fields
): { corpusSeq: number; role: CorpusRoleName }[] {
  if (!role) return []
  if (role === 'personal') {
    if (corpusKeys.length || corpusRoles.length) {
      fields.fail(
        'corpus_keys',
        'must be empty for a personal key: it reaches every corpus its owner can'
      )
    }
    return []
  }
  const wanted = new Map<string, { role: CorpusRoleName; path: string }>()
  corpusKeys.forEach((key, i) =>
    wanted.set(key, { role: LEGACY_CORPUS_ROLE[role], path: `corpus_keys[${i}]` })
  )
  for (const grant of corpusRoles) {
    if (role === 'serving' && grant.role !== 'viewer') {
      fields.errors.add(
        grant.path.replace(/corpus_key$/, 'role'),
        `'${grant.role}' conflicts with api_key_role 'serving' (query only)`
      )
    }
    wanted.set(grant.key, { role: grant.role, path: grant.path })
  }
  if (wanted.size === 0) {
    fields.fail('corpus_keys', `is required for a ${role} key: name at least one corpus`)
    return []
  }
  const grants: { corpusSeq: number; role: CorpusRoleName }[] = []
  for (const [key, grant] of wanted) {
    const corpus = corpora.byKey(key)
    if (!corpus) fields.errors.add(grant.path, `corpus '${key}' does not exist`)
    else grants.push({ corpusSeq: corpus.seq, role: grant.role })
  }
  return grants
}

function find(ctx: RouteContext): ApiKeyRecord {
  const key = ctx.services.store.apiKeys.liveById(ctx.params.api_key_id)
  if (!key) throw notFound(ctx.params.api_key_id, 'API key not found (it may have been deleted).')
  return key
}

function get(ctx: RouteContext) {
  requireAccount(ctx.principal, 'reading API keys')
  return json(200, apiKeyJson(find(ctx)))
}

function update(ctx: RouteContext) {
  requireAccountWrite(ctx.principal, 'updating API keys')
  const fields = Fields.root(ctx.body ?? {})
  const enabled = fields.boolean('enabled')
  fields.errors.throwIfAny()
  const { store, propagation, now } = ctx.services
  const key = find(ctx)
  if (enabled !== undefined && enabled !== key.enabled) {
    store.apiKeys.setEnabled(key.seq, enabled, effectiveEnabled(key, propagation), now())
  }
  return json(200, apiKeyJson(store.apiKeys.liveById(key.id)!))
}

function remove(ctx: RouteContext) {
  requireAccountWrite(ctx.principal, 'deleting API keys')
  const key = find(ctx)
  // Deleting the key that authenticates this very request would lock the caller out mid-call.
  if (ctx.principal.kind === 'account' && ctx.principal.keyId === key.id) {
    throw forbidden('Permissions do not allow an API key to delete itself. Use another credential.')
  }
  ctx.services.store.apiKeys.markDeleted(key.seq, ctx.services.now())
  return noContent()
}

export const apiKeyRoutes: Route[] = [
  { method: 'GET', path: '/v2/api_keys', auth: true, handle: list },
  { method: 'POST', path: '/v2/api_keys', auth: true, body: ['json'], handle: create },
  { method: 'GET', path: '/v2/api_keys/:api_key_id', auth: true, handle: get },
  { method: 'PATCH', path: '/v2/api_keys/:api_key_id', auth: true, body: ['json'], handle: update },
  { method: 'DELETE', path: '/v2/api_keys/:api_key_id', auth: true, handle: remove }
]
