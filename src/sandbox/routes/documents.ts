import { canIndex, canReadCorpus } from '../auth/principal'
import { badRequest, conflict, forbidden, notFound } from '../http/errors'
import { Fields } from '../http/fields'
import { listMetadata, readPageRequest, toPage } from '../http/paging'
import { Params } from '../http/params'
import { json, noContent } from '../http/respond'
import type { Route, RouteContext } from '../http/router'
import { compileFilter, FilterError } from '../filter/compile'
import { parseFilter } from '../filter/parser'
import type { Corpus } from '../store/corporaTable'
import type { StoredDocument, StoredPart } from '../store/documentsTable'
import { findCorpus } from './corpora'
import { checkAttributeTypes, readDocument } from './documentParts'

function corpusFor(ctx: RouteContext, access: 'read' | 'write'): Corpus {
  const corpus = findCorpus(ctx, ctx.params.corpus_key)
  const allowed =
    access === 'write'
      ? canIndex(ctx.principal, corpus.seq)
      : canReadCorpus(ctx.principal, corpus.seq)
  if (!allowed) {
    throw forbidden(
      access === 'write'
        ? `Permissions do not allow indexing into corpus '${corpus.key}'. Use an Index or Personal API key granted on it.`
        : `Permissions do not allow reading documents of corpus '${corpus.key}' with this API key.`
    )
  }
  return corpus
}

function documentJson(
  doc: Pick<StoredDocument, 'id' | 'metadata' | 'tables'>,
  parts?: StoredPart[]
): Record<string, unknown> {
  return {
    id: doc.id,
    metadata: doc.metadata,
    ...(doc.tables ? { tables: doc.tables } : {}),
    ...(parts
      ? {
          parts: parts.map((p) => ({
            text: p.text,
            metadata: p.metadata,
            ...(p.context !== undefined ? { context: p.context } : {}),
            ...(p.customDimensions ? { custom_dimensions: p.customDimensions } : {}),
            ...(p.tableId !== undefined ? { table_id: p.tableId } : {}),
            ...(p.imageId !== undefined ? { image_id: p.imageId } : {})
          }))
        }
      : {})
  }
}

function create(ctx: RouteContext) {
  const params = new Params(ctx.query)
  params.oneOf('wait_for', ['searchable', 'indexed'] as const)
  params.errors.throwIfAny()
  const corpus = corpusFor(ctx, 'write')
  const fields = Fields.root(ctx.body)
  const doc = readDocument(fields)
  fields.errors.throwIfAny()
  checkAttributeTypes(doc!, corpus.filterAttributes, fields)
  fields.errors.throwIfAny()

  const { store, now } = ctx.services
  if (store.documents.byId(corpus.seq, doc!.id)) {
    throw conflict(`A document with id '${doc!.id}' already exists in corpus '${corpus.key}'.`)
  }
  store.documents.insert({ corpusSeq: corpus.seq, ...doc!, createdAt: now() })
  const metadataBytes = Buffer.byteLength(JSON.stringify(doc!.metadata))
  const textBytes = doc!.parts.reduce(
    (sum, p) => sum + Buffer.byteLength(p.text) + Buffer.byteLength(JSON.stringify(p.metadata)),
    0
  )
  return json(201, {
    ...documentJson(doc!),
    storage_usage: { bytes_used: textBytes + metadataBytes, metadata_bytes_used: metadataBytes }
  })
}

function list(ctx: RouteContext) {
  const params = new Params(ctx.query)
  const page = readPageRequest(params, 1000)
  const filterText = params.string('metadata_filter', { maxLength: 8000 })
  params.errors.throwIfAny()
  const corpus = corpusFor(ctx, 'read')
  const { documents } = ctx.services.store
  let rows: StoredDocument[]
  if (filterText?.trim()) {
    let filter
    try {
      filter = compileFilter(parseFilter(filterText), corpus.filterAttributes, ['doc'])
    } catch (error) {
      if (!(error instanceof FilterError)) throw error
      throw badRequest(`Invalid metadata filter: ${error.message}`, {
        metadata_filter: error.message
      })
    }
    rows = documents.listFilteredAfter(corpus.seq, page.after ?? 0, page.limit, filter)
  } else {
    rows = documents.listAfter(corpus.seq, page.after ?? 0, page.limit)
  }
  const result = toPage(rows, page.limit, (doc) => documentJson(doc))
  return json(200, { documents: result.items, metadata: listMetadata(result) })
}

function findDocument(ctx: RouteContext, corpus: Corpus): StoredDocument {
  const doc = ctx.services.store.documents.byId(corpus.seq, ctx.params.document_id)
  if (!doc)
    throw notFound(
      ctx.params.document_id,
      `Document '${ctx.params.document_id}' not found in corpus '${corpus.key}'.`
    )
  return doc
}

function get(ctx: RouteContext) {
  const corpus = corpusFor(ctx, 'read')
  const doc = findDocument(ctx, corpus)
  return json(200, documentJson(doc, ctx.services.store.documents.parts(doc.seq)))
}

function remove(ctx: RouteContext) {
  const corpus = corpusFor(ctx, 'write')
  const doc = findDocument(ctx, corpus)
  ctx.services.store.documents.delete(corpus.seq, doc.id)
  return noContent()
}

export const documentRoutes: Route[] = [
  { method: 'GET', path: '/v2/corpora/:corpus_key/documents', auth: true, handle: list },
  {
    method: 'POST',
    path: '/v2/corpora/:corpus_key/documents',
    auth: true,
    body: ['json'],
    handle: create
  },
  {
    method: 'GET',
    path: '/v2/corpora/:corpus_key/documents/:document_id',
    auth: true,
    handle: get
  },
  {
    method: 'DELETE',
    path: '/v2/corpora/:corpus_key/documents/:document_id',
    auth: true,
    handle: remove
  }
]
