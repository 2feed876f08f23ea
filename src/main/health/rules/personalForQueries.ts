import type { AccountFacts } from '../facts'
import { corporaText, keyFinding, type FindingDraft } from '../finding'

/**
 * A Personal key the app has sent plain queries with: a password-grade credential doing a job
 * a Query key does. The fix prefills the corpora it queried.
 */
export function personalForQueriesRule(facts: AccountFacts): FindingDraft[] {
  const found: FindingDraft[] = []
  for (const key of facts.keys) {
    if (key.kind !== 'personal' || key.lastUsedAt === null) continue
    const corpora = key.queriedCorpora
    const target =
      corpora.length > 0 ? `a Query key on ${corporaText(corpora)}` : 'a Query key on those corpora'
    found.push(
      keyFinding(key, 'personalForQueries', {
        severity: 'high',
        title: 'Personal key used for queries',
        why: `A Personal key can do everything you can, including delete keys and corpora; ${target} runs the same queries and nothing else.`,
        fixes: [{ action: 'createQueryKey', corpusKeys: [...corpora] }],
        facts: { queriedCorpora: corpora }
      })
    )
  }
  return found
}
