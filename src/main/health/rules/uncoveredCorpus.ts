import type { AccountFacts } from '../facts'
import { findingId, type FindingDraft } from '../finding'

/**
 * A corpus no enabled Query key reaches: a website or app can only query it with a key that
 * can also change data. Only corpora the app has listed count (the corpus cache).
 */
export function uncoveredCorpusRule(facts: AccountFacts): FindingDraft[] {
  const reached = new Set<string>()
  for (const key of facts.keys) {
    if (key.kind !== 'query' || !key.enabled) continue
    for (const corpus of key.corpora) reached.add(corpus)
  }
  const found: FindingDraft[] = []
  for (const corpus of facts.corpora) {
    if (reached.has(corpus.key)) continue
    found.push({
      id: findingId('uncoveredCorpus', `corpus:${corpus.key}`),
      rule: 'uncoveredCorpus',
      severity: 'low',
      keyId: null,
      keyName: null,
      keyKind: null,
      keyEnabled: null,
      corpusKey: corpus.key,
      corpusName: corpus.name,
      title: 'No Query key reaches this corpus',
      why: 'A website or app can only query it with an Index or Personal key, which can also change data; a Query key is the safe way.',
      fixes: [{ action: 'createQueryKey', corpusKeys: [corpus.key] }],
      facts: { corpus: corpus.key }
    })
  }
  return found
}
