import type { AccountFacts } from '../facts'
import { keyFinding, type FindingDraft } from '../finding'

/**
 * An Index key the app has only ever queried with: its write access is unused, so a Query key
 * on the same corpora does the job with less to lose: rotating to one replaces it outright.
 */
export function indexForQueriesRule(facts: AccountFacts): FindingDraft[] {
  const found: FindingDraft[] = []
  for (const key of facts.keys) {
    if (key.kind !== 'index' || key.lastUsedAt === null || key.otherUse) continue
    const corpora = key.queriedCorpora.length > 0 ? key.queriedCorpora : key.corpora
    found.push(
      keyFinding(key, 'indexForQueries', {
        severity: 'medium',
        title: 'Index key used only for queries',
        why: 'An Index key can also add and delete documents; a Query key runs these queries and cannot change your data.',
        // Rotation replaces it with a Query key (files, disable, delete, all guided); creating
        // a Query key beside it is the lighter way when the user moves things by hand.
        fixes: [
          { action: 'rotate', newKind: 'query' },
          { action: 'createQueryKey', corpusKeys: [...corpora] }
        ],
        facts: { corpora }
      })
    )
  }
  return found
}
