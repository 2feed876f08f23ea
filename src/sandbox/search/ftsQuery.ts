import { contentWords } from './text'

/** Bounds the cost of one query; a question never needs more distinct words than this. */
const MAX_TERMS = 32

/**
 * Builds an FTS5 MATCH expression from free text. Every term is a double-quoted FTS string
 * (quotes doubled inside), so no input can reach FTS5's query syntax (column filters, NEAR,
 * `*`, `^`, parentheses) or raise a syntax error. Terms are ORed: a semantic engine always
 * returns the nearest parts, and FTS5's default AND would answer many questions with nothing;
 * BM25 still ranks parts that match more terms higher.
 *
 * Returns undefined when the text has no searchable word at all.
 */
export function buildMatchExpression(text: string): string | undefined {
  const terms = [...new Set(contentWords(text))].slice(0, MAX_TERMS)
  if (terms.length === 0) return undefined
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' OR ')
}
