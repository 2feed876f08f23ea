import { words } from './text'

export type RerankStage =
  | { type: 'none'; limit?: number }
  | { type: 'customer_reranker'; limit?: number; cutoff?: number }
  | { type: 'mmr'; diversityBias: number; limit?: number; cutoff?: number }

export interface Rankable {
  score: number
  text: string
}

/** Candidates a stage wants from search so it has room to reorder (MMR) before cutting. */
export function candidateCount(stages: RerankStage[], wanted: number): number {
  const limits = stages.map((s) => s.limit ?? 0)
  const diversifies = stages.some((s) => s.type === 'mmr')
  return Math.max(wanted, ...limits, diversifies ? Math.min(wanted * 3, 500) : 0)
}

/**
 * Applies rerank stages in order. `customer_reranker` keeps the search order (the Sandbox has no
 * neural reranker) but honours its cutoff and limit; `mmr` reorders by Maximal Marginal Relevance.
 */
export function rerank<T extends Rankable>(results: T[], stages: RerankStage[]): T[] {
  let current = results
  for (const stage of stages) {
    if (stage.type === 'mmr') current = mmr(current, stage.diversityBias)
    if ('cutoff' in stage && stage.cutoff !== undefined) {
      const cutoff = stage.cutoff
      current = current.filter((r) => r.score >= cutoff)
    }
    if (stage.limit !== undefined) current = current.slice(0, stage.limit)
  }
  return current
}

/**
 * Greedy MMR: each pick maximises (1 - bias) * relevance - bias * (similarity to the closest
 * pick so far), with word-set Jaccard similarity. Bias 0 keeps the relevance order; higher
 * values push near-duplicates down. Each candidate's closest-pick similarity is updated once per
 * pick, so the cost is O(n²) rather than O(n³).
 */
export function mmr<T extends Rankable>(results: T[], diversityBias: number): T[] {
  if (diversityBias <= 0 || results.length < 3) return results
  const sets = results.map((r) => new Set(words(r.text)))
  const closest = results.map(() => 0)
  const remaining = new Set(results.map((_, i) => i))
  const order: number[] = []
  while (remaining.size > 0) {
    let best = -1
    let bestValue = -Infinity
    for (const i of remaining) {
      const value = (1 - diversityBias) * results[i].score - diversityBias * closest[i]
      if (value > bestValue) {
        bestValue = value
        best = i
      }
    }
    remaining.delete(best)
    order.push(best)
    for (const i of remaining) closest[i] = Math.max(closest[i], jaccard(sets[i], sets[best]))
  }
  return order.map((i) => results[i])
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1
  let shared = 0
  for (const word of a) if (b.has(word)) shared++
  return shared / (a.size + b.size - shared)
}
