import {
  canReadCorpus,
  requireAccountWrite,
  visibleCorpora,
  type Principal
} from '../auth/principal'
import { conflict, forbidden, notFound } from '../http/errors'
import { Fields } from '../http/fields'
import { listMetadata, readPageRequest, toPage } from '../http/paging'
import { Params } from '../http/params'
import { json, noContent } from '../http/respond'
import type { Route, RouteContext } from '../http/router'
import {
  FILTER_ATTRIBUTE_TYPES,
  corpusId,
  type Corpus,
  type CorpusUsage,
  type CustomDimension,
  type FilterAttribute
} from '../store/corporaTable'
import { CORPUS_KEY_HINT, CORPUS_KEY_MAX_LENGTH, CORPUS_KEY_PATTERN } from './corpusKey'
import { compileUserRegex } from './safeRegex'

export const DEFAULT_ENCODER = 'boomerang-2023-q3'
export const MAX_METADATA_BYTES = 10 * 1024 * 1024
/** Filter attribute names are metadata paths: dot-separated identifiers, up to 64 characters. */
const ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/
/** Text a user-supplied regex is run against is capped, bounding its cost further. */
const FILTER_SUBJECT_LIMIT = 1000

export function corpusJson(corpus: Corpus, usage?: CorpusUsage): Record<string, unknown> {
  return {
    id: corpusId(corpus),
    key: corpus.key,
    name: corpus.name,
    description: corpus.description,
    enabled: corpus.enabled,
    chat_history_corpus: false,
    queries_are_answers: corpus.queriesAreAnswers,
    documents_are_questions: corpus.documentsAreQuestions,
    encoder_name: corpus.encoderName,
    save_history: corpus.saveHistory,
    filter_attributes: corpus.filterAttributes,
    custom_dimensions: corpus.customDimensions,
    ...(usage
      ? {
          limits: {
            used_docs: usage.docs,
            used_parts: usage.parts,
            used_characters: usage.characters,
            max_metadata_bytes: MAX_METADATA_BYTES
          }
        }
      : {}),
    created_at: new Date(corpus.createdAt).toISOString()
  }
}

/** Index keys may read their own corpora; Query keys may only query. */
function requireCorpusReader(principal: Principal): void {
  if (principal.kind === 'scoped' && principal.role === 'serving') {
    throw forbidden(
      'Permissions do not allow reading corpora with a Query API key; it may only query.'
    )
  }
}

function list(ctx: RouteContext) {
  requireCorpusReader(ctx.principal)
  const params = new Params(ctx.query)
  const page = readPageRequest(params, 100)
  const filterText = params.string('filter')
  const regex = filterText === undefined ? undefined : compileUserRegex(filterText)
  if (typeof regex === 'string') params.fail('filter', regex)
  const ids = params.all('corpus_id')
  ids.forEach((id) => {
    if (!/^crp_\d+$/.test(id)) params.fail('corpus_id', 'must look like crp_<digits>')
  })
  params.errors.throwIfAny()

  const visible = visibleCorpora(ctx.principal)
  const wantedIds = new Set(ids)
  const matches = (text: string): boolean =>
    (regex as RegExp).test(text.slice(0, FILTER_SUBJECT_LIMIT))
  const rows = ctx.services.store.corpora.listAfter(page.after ?? 0, page.limit + 1, (corpus) => {
    if (visible && !visible.includes(corpus.seq)) return false
    if (wantedIds.size && !wantedIds.has(corpusId(corpus))) return false
    return regex === undefined || matches(corpus.name) || matches(corpus.description)
  })
  const result = toPage(rows, page.limit, (corpus) => corpusJson(corpus))
  return json(200, { corpora: result.items, metadata: listMetadata(result) })
}

export function findCorpus(ctx: RouteContext, key: string): Corpus {
  const corpus = ctx.services.store.corpora.byKey(key)
  if (!corpus) throw notFound(key, `Corpus '${key}' not found.`)
  return corpus
}

function get(ctx: RouteContext) {
  requireCorpusReader(ctx.principal)
  const corpus = findCorpus(ctx, ctx.params.corpus_key)
  if (!canReadCorpus(ctx.principal, corpus.seq)) {
    throw forbidden(`Permissions do not allow reading corpus '${corpus.key}' with this API key.`)
  }
  return json(200, corpusJson(corpus, ctx.services.store.corpora.usage(corpus.seq)))
}

function create(ctx: RouteContext) {
  requireAccountWrite(ctx.principal, 'creating corpora')
  const fields = Fields.root(ctx.body)
  const key = fields.string('key', {
    required: true,
    nonEmpty: true,
    maxLength: CORPUS_KEY_MAX_LENGTH,
    pattern: CORPUS_KEY_PATTERN,
    patternHint: CORPUS_KEY_HINT
  })
  const name = fields.string('name', { maxLength: 255 })
  const description = fields.string('description', { maxLength: 2000 }) ?? ''
  const saveHistory = fields.boolean('save_history') ?? false
  const queriesAreAnswers = fields.boolean('queries_are_answers') ?? false
  const documentsAreQuestions = fields.boolean('documents_are_questions') ?? false
  fields.string('encoder_id', { pattern: /^enc_\d+$/, patternHint: 'must look like enc_<digits>' })
  const encoderName =
    fields.string('encoder_name', { nonEmpty: true, maxLength: 100 }) ?? DEFAULT_ENCODER
  const filterAttributes =
    fields.objects('filter_attributes', readFilterAttribute, { maxItems: 100 }) ?? []
  const customDimensions =
    fields.objects('custom_dimensions', readCustomDimension, { maxItems: 100 }) ?? []
  const seen = new Set<string>()
  filterAttributes.forEach((attribute, i) => {
    const id = `${attribute.level}:${attribute.name}`
    if (seen.has(id))
      fields.errors.add(
        `filter_attributes[${i}].name`,
        `duplicates another ${attribute.level} attribute`
      )
    seen.add(id)
  })
  fields.errors.throwIfAny()

  const { store, now } = ctx.services
  if (store.corpora.byKey(key!)) throw conflict(`A corpus with key '${key}' already exists.`)
  const corpus = store.corpora.insert({
    key: key!,
    name: name?.trim() ? name.trim() : key!,
    description,
    saveHistory,
    queriesAreAnswers,
    documentsAreQuestions,
    encoderName,
    filterAttributes,
    customDimensions,
    createdAt: now()
  })
  return json(201, corpusJson(corpus, store.corpora.usage(corpus.seq)))
}

function readFilterAttribute(attribute: Fields): FilterAttribute | undefined {
  const name = attribute.string('name', {
    required: true,
    maxLength: 64,
    pattern: ATTRIBUTE_NAME,
    patternHint: 'must be a metadata name: letters, digits and _, dot-separated for nested fields'
  })
  const level = attribute.oneOf('level', ['document', 'part'] as const, { required: true })
  const description = attribute.string('description', { maxLength: 1000 })
  const indexed = attribute.boolean('indexed') ?? true
  const type = attribute.oneOf('type', FILTER_ATTRIBUTE_TYPES, { required: true })
  if (!name || !level || !type) return undefined
  return { name, level, ...(description !== undefined ? { description } : {}), indexed, type }
}

function readCustomDimension(dimension: Fields): CustomDimension | undefined {
  const name = dimension.string('name', { required: true, nonEmpty: true, maxLength: 64 })
  const description = dimension.string('description', { maxLength: 1000 })
  const indexingDefault = dimension.number('indexing_default') ?? 0
  const queryingDefault = dimension.number('querying_default') ?? 0
  if (!name) return undefined
  return {
    name,
    ...(description !== undefined ? { description } : {}),
    indexing_default: indexingDefault,
    querying_default: queryingDefault
  }
}

function remove(ctx: RouteContext) {
  requireAccountWrite(ctx.principal, 'deleting corpora')
  const corpus = findCorpus(ctx, ctx.params.corpus_key)
  ctx.services.store.corpora.delete(corpus.seq)
  return noContent()
}

export const corpusRoutes: Route[] = [
  { method: 'GET', path: '/v2/corpora', auth: true, handle: list },
  { method: 'POST', path: '/v2/corpora', auth: true, body: ['json'], handle: create },
  { method: 'GET', path: '/v2/corpora/:corpus_key', auth: true, handle: get },
  { method: 'DELETE', path: '/v2/corpora/:corpus_key', auth: true, handle: remove }
]
