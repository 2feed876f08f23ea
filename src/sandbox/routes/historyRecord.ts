import type { SearchOutcome } from '../search/engine'
import type { Generated } from '../generation/summary'
import type { Corpus } from '../store/corporaTable'
import type { QueryHistoryEntry } from '../store/queryHistoryTable'
import { newQueryHistoryId } from '../ids'
import type { ParsedQuery } from './queryRequest'

/** Spans recorded per stage, in the spec's QueryHistorySpan shapes. */
export interface StageTimes {
  startedAt: number
  searchMs: number
  rerankMs: number
  generationMs: number
  totalMs: number
}

const MAX_RECORDED_RESULTS = 100

/** Saving is on when the request says so, or when it is silent and a searched corpus says so. */
export function shouldSaveHistory(parsed: ParsedQuery, corpora: Corpus[]): boolean {
  return parsed.saveHistory ?? corpora.some((c) => c.saveHistory)
}

export function historyEntry(
  parsed: ParsedQuery,
  corpora: Corpus[],
  outcome: SearchOutcome,
  generated: Generated | undefined,
  times: StageTimes
): QueryHistoryEntry {
  const iso = (offsetMs: number): string => new Date(times.startedAt + offsetMs).toISOString()
  const ms = (value: number): number => Math.max(0, Math.round(value))
  const plain = (hits: SearchOutcome['candidates']) =>
    hits.slice(0, MAX_RECORDED_RESULTS).map((hit) => ({
      text: hit.text,
      score: hit.score,
      part_metadata: hit.partMetadata,
      document_metadata: hit.documentMetadata,
      document_id: hit.documentId,
      request_corpora_index: hit.requestCorporaIndex,
      corpus_key: hit.corpusKey
    }))
  const spans: unknown[] = [
    {
      type: 'search',
      latency_millis: ms(times.searchMs),
      started_at: iso(0),
      search_results: plain(outcome.candidates)
    }
  ]
  if (parsed.rerankers.some((stage) => stage.type !== 'none')) {
    const original = new Map(outcome.candidates.map((hit) => [hit.partId, hit.score]))
    spans.push({
      type: 'rerank',
      latency_millis: ms(times.rerankMs),
      started_at: iso(times.searchMs),
      reranked_search_results: outcome.hits.map((hit) => ({
        text: hit.text,
        score: hit.score,
        original_score: original.get(hit.partId) ?? hit.score
      }))
    })
  }
  if (generated) {
    const generationStart = times.searchMs + times.rerankMs
    spans.push({
      type: 'generation',
      latency_millis: ms(times.generationMs),
      started_at: iso(generationStart),
      prompt: generated.prompt,
      generation: generated.summary
    })
    if (generated.factualConsistencyScore !== undefined) {
      spans.push({
        type: 'fcs',
        latency_millis: 0,
        started_at: iso(generationStart + times.generationMs),
        score: generated.factualConsistencyScore
      })
    }
  }
  return {
    id: newQueryHistoryId(),
    queryText: parsed.query,
    corpora: corpora.map((c) => ({ seq: c.seq, key: c.key })),
    startedAt: times.startedAt,
    latencyMillis: ms(times.totalMs),
    generation: generated?.summary,
    factualConsistencyScore: generated?.factualConsistencyScore,
    request: parsed.asQueryRequest,
    spans
  }
}
