import type { Database, Statement } from 'better-sqlite3'
import type { JsonObject } from '../http/fields'
import type { Corpus } from '../store/corporaTable'
import type { DocumentsTable } from '../store/documentsTable'
import type { SqlFilter } from '../filter/compile'
import { buildMatchExpression } from './ftsQuery'
import { contextReach, withContext, type ContextConfig } from './context'
import { candidateCount, rerank, type RerankStage } from './rerank'

export interface CorpusQuery {
  corpus: Corpus
  query: string
  filter?: SqlFilter
  /** Position of this corpus in the request's `search.corpora`. */
  requestIndex: number
}

export interface SearchPlan {
  corpora: CorpusQuery[]
  offset: number
  limit: number
  context: ContextConfig
  rerankers: RerankStage[]
}

export interface SearchHit {
  partId: number
  docSeq: number
  ordinal: number
  documentId: string
  /** The part's own text, without context or tags. */
  text: string
  partMetadata: JsonObject
  documentMetadata: JsonObject
  score: number
  corpusKey: string
  requestCorporaIndex: number
}

/** IndividualSearchResult as the API returns it. */
export interface SearchResultJson {
  text: string
  score: number
  part_metadata: JsonObject
  document_metadata: JsonObject
  document_id: string
  request_corpora_index: number
  corpus_key: string
}

export interface SearchOutcome {
  results: SearchResultJson[]
  /** The hits behind `results`, in the same order. */
  hits: SearchHit[]
  /** Every candidate before reranking, for the query history's search span. */
  candidates: SearchHit[]
  retrievalMs: number
  rerankMs: number
}

interface HitRow {
  part_id: number
  doc_seq: number
  ordinal: number
  text: string
  part_metadata: string
  document_id: string
  document_metadata: string
  rank: number
}

/**
 * BM25 (FTS5's bm25() is negative, lower is better) is unbounded; s / (s + K) maps it into 0..1,
 * keeps the order, and gives a strong match roughly 0.6-0.9, a range similar to Vectara's scores.
 */
const SCORE_HALF_POINT = 4
const toScore = (rank: number): number => {
  const s = Math.max(0, -rank)
  return Math.round((s / (s + SCORE_HALF_POINT)) * 1e6) / 1e6
}

const MAX_CACHED_STATEMENTS = 200

export class SearchEngine {
  private readonly statements = new Map<string, Statement<unknown[], HitRow>>()

  constructor(
    private readonly db: Database,
    private readonly documents: DocumentsTable
  ) {}

  search(plan: SearchPlan): SearchOutcome {
    const started = performance.now()
    const wanted = plan.offset + plan.limit
    const perCorpus = candidateCount(plan.rerankers, wanted)
    const candidates = plan.corpora
      .flatMap((corpusQuery) => this.searchCorpus(corpusQuery, perCorpus))
      .sort(
        (a, b) =>
          b.score - a.score || a.requestCorporaIndex - b.requestCorporaIndex || a.partId - b.partId
      )
    const retrieved = performance.now()
    const ranked = rerank(candidates, plan.rerankers)
    const hits = ranked.slice(plan.offset, wanted)
    const reranked = performance.now()
    const results = hits.map((hit) => this.toResult(hit, plan.context))
    return {
      results,
      hits,
      candidates,
      retrievalMs: retrieved - started,
      rerankMs: reranked - retrieved
    }
  }

  private searchCorpus(query: CorpusQuery, count: number): SearchHit[] {
    const match = buildMatchExpression(query.query)
    if (!match || count <= 0) return []
    const rows = this.statement(query.filter?.sql).all(
      match,
      query.corpus.seq,
      ...(query.filter?.params ?? []),
      count
    )
    return rows.map((row) => ({
      partId: row.part_id,
      docSeq: row.doc_seq,
      ordinal: row.ordinal,
      documentId: row.document_id,
      text: row.text,
      partMetadata: JSON.parse(row.part_metadata) as JsonObject,
      documentMetadata: JSON.parse(row.document_metadata) as JsonObject,
      score: toScore(row.rank),
      corpusKey: query.corpus.key,
      requestCorporaIndex: query.requestIndex
    }))
  }

  /** One prepared statement per distinct filter shape; values are always bound parameters. */
  private statement(filterSql: string | undefined): Statement<unknown[], HitRow> {
    const key = filterSql ?? ''
    let statement = this.statements.get(key)
    if (!statement) {
      statement = this.db.prepare<unknown[], HitRow>(`
        SELECT p.id AS part_id, p.doc_seq, p.ordinal, p.text, p.metadata AS part_metadata,
               d.id AS document_id, d.metadata AS document_metadata, bm25(parts_fts) AS rank
        FROM parts_fts
        JOIN parts p ON p.id = parts_fts.rowid
        JOIN documents d ON d.seq = p.doc_seq
        WHERE parts_fts MATCH ? AND p.corpus_seq = ?${filterSql ? ` AND ${filterSql}` : ''}
        ORDER BY rank, p.id
        LIMIT ?`)
      if (this.statements.size >= MAX_CACHED_STATEMENTS) this.statements.clear()
      this.statements.set(key, statement)
    }
    return statement
  }

  private toResult(hit: SearchHit, context: ContextConfig): SearchResultJson {
    const reach = contextReach(context)
    let text = context.startTag + hit.text + context.endTag
    if (reach.before > 0 || reach.after > 0) {
      const neighbours = this.documents.partsBetween(
        hit.docSeq,
        hit.ordinal - reach.before,
        hit.ordinal + reach.after
      )
      text = withContext(
        hit.text,
        neighbours.filter((p) => p.ordinal < hit.ordinal).map((p) => p.text),
        neighbours.filter((p) => p.ordinal > hit.ordinal).map((p) => p.text),
        context
      )
    }
    return {
      text,
      score: hit.score,
      part_metadata: hit.partMetadata,
      document_metadata: hit.documentMetadata,
      document_id: hit.documentId,
      request_corpora_index: hit.requestCorporaIndex,
      corpus_key: hit.corpusKey
    }
  }
}
