/** Sentence ends followed by space: good enough for context windows and chunking. */
const SENTENCE_BREAK = /(?<=[.!?。！？])\s+/u
const WORD = /[\p{L}\p{N}]+/gu

export function splitSentences(text: string): string[] {
  return text
    .split(SENTENCE_BREAK)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

/** Lower-cased words, the unit of term matching outside FTS (MMR, summaries, FCS). */
export function words(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []) as string[]
}

/**
 * Common English words that match nearly every part. With OR semantics they would make every
 * part a candidate and drown the words that carry the question.
 */
export const STOPWORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into ' +
    'is it its me my no not of on or our should so than that the their them then there these they ' +
    'this to was we were what when where which who why will with would you your'
  ).split(' ')
)

export function contentWords(text: string): string[] {
  const all = words(text)
  const content = all.filter((w) => !STOPWORDS.has(w))
  return content.length > 0 ? content : all
}
