import type { AccountFacts } from '../facts'
import type { FindingDraft } from '../finding'
import { disabledLongRule } from './disabledLong'
import { expiryRule } from './expiry'
import { foundInFilesRule } from './foundInFiles'
import { indexForQueriesRule } from './indexForQueries'
import { personalForQueriesRule } from './personalForQueries'
import { rotationWaitingRule } from './rotationWaiting'
import { staleRule } from './stale'
import { uncoveredCorpusRule } from './uncoveredCorpus'

/** A rule: pure, over one account's facts and the time; it says what it found, nothing else. */
export type Rule = (facts: AccountFacts, now: number) => FindingDraft[]

export const RULES: readonly Rule[] = [
  staleRule,
  personalForQueriesRule,
  indexForQueriesRule,
  disabledLongRule,
  foundInFilesRule,
  expiryRule,
  rotationWaitingRule,
  uncoveredCorpusRule
]

export function runRules(facts: AccountFacts, now: number): FindingDraft[] {
  return RULES.flatMap((rule) => rule(facts, now))
}
