import { splitSentences } from './text'

export interface ContextConfig {
  sentencesBefore?: number
  sentencesAfter?: number
  charactersBefore?: number
  charactersAfter?: number
  startTag: string
  endTag: string
}

/** How far a context window may reach in parts; each part holds at least one sentence. */
export const MAX_CONTEXT_PARTS = 64

/** How many neighbouring parts to load on each side of a hit for this configuration. */
export function contextReach(config: ContextConfig): { before: number; after: number } {
  const reach = (sentences?: number, characters?: number): number =>
    sentences !== undefined
      ? Math.min(sentences, MAX_CONTEXT_PARTS)
      : characters
        ? MAX_CONTEXT_PARTS
        : 0
  return {
    before: reach(config.sentencesBefore, config.charactersBefore),
    after: reach(config.sentencesAfter, config.charactersAfter)
  }
}

/**
 * The result text: the matched part wrapped in the tags, with surrounding sentences of the same
 * document. Sentence counts win over character counts (the spec's rule); a character count is
 * rounded out to whole sentences, as Vectara does, so no word is cut in half.
 */
export function withContext(
  part: string,
  beforeParts: string[],
  afterParts: string[],
  config: ContextConfig
): string {
  const before = beforeParts.flatMap(splitSentences)
  const after = afterParts.flatMap(splitSentences)
  const taken = {
    before:
      config.sentencesBefore !== undefined
        ? takeLast(before, config.sentencesBefore)
        : takeLastChars(before, config.charactersBefore ?? 0),
    after:
      config.sentencesAfter !== undefined
        ? after.slice(0, config.sentencesAfter)
        : takeFirstChars(after, config.charactersAfter ?? 0)
  }
  return [...taken.before, config.startTag + part + config.endTag, ...taken.after].join(' ')
}

const takeLast = (sentences: string[], n: number): string[] => (n > 0 ? sentences.slice(-n) : [])

function takeLastChars(sentences: string[], chars: number): string[] {
  const out: string[] = []
  let total = 0
  for (let i = sentences.length - 1; i >= 0 && total < chars; i--) {
    out.unshift(sentences[i])
    total += sentences[i].length + 1
  }
  return out
}

function takeFirstChars(sentences: string[], chars: number): string[] {
  const out: string[] = []
  let total = 0
  for (let i = 0; i < sentences.length && total < chars; i++) {
    out.push(sentences[i])
    total += sentences[i].length + 1
  }
  return out
}
