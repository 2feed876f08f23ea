import type { SearchHit } from '../search/engine'
import { contentWords, splitSentences, words } from '../search/text'
import { citationMarker, type CitationOptions } from './citations'
import { isLanguage, type Language } from './languages'

export interface GenerationPlan {
  maxUsedSearchResults: number
  citations: CitationOptions
  responseLanguage: Language
  maxResponseCharacters?: number
  factualConsistency: boolean
}

export interface Generated {
  summary: string
  responseLanguage: Language
  factualConsistencyScore?: number
  /** What a real generator would have been sent, for the history's generation span. */
  prompt: string
}

export const NO_ANSWER =
  'None of the searched documents answers this question, so there is nothing to summarise. Try rephrasing it or searching other corpora.'

/**
 * An extractive summary: from each of the top results, the sentence that shares the most words
 * with the question, followed by its citation. Deterministic, so tests and demos are stable,
 * and every claim in it is literally present in a cited source.
 */
export function summarise(query: string, hits: SearchHit[], plan: GenerationPlan): Generated {
  const used = hits.slice(0, plan.maxUsedSearchResults)
  const queryWords = new Set(contentWords(query).map(stem))
  const responseLanguage = pickLanguage(plan.responseLanguage, used)
  const prompt = renderPrompt(query, used)
  if (used.length === 0) {
    return {
      summary: NO_ANSWER,
      responseLanguage,
      prompt,
      ...(plan.factualConsistency ? { factualConsistencyScore: 0 } : {})
    }
  }

  const sentences: string[] = []
  const chosen: string[] = []
  let length = 0
  used.forEach((hit, i) => {
    const sentence = bestSentence(hit.text, queryWords)
    if (!sentence || chosen.some((c) => similar(c, sentence))) return
    const marker = citationMarker(
      {
        index: i + 1,
        documentId: hit.documentId,
        documentMetadata: hit.documentMetadata,
        partMetadata: hit.partMetadata
      },
      plan.citations
    )
    const cited = attachCitation(sentence, marker)
    if (
      plan.maxResponseCharacters !== undefined &&
      sentences.length > 0 &&
      length + cited.length > plan.maxResponseCharacters
    ) {
      return
    }
    chosen.push(sentence)
    sentences.push(cited)
    length += cited.length + 1
  })
  const summary = sentences.join(' ')
  return {
    summary,
    responseLanguage,
    prompt,
    ...(plan.factualConsistency
      ? { factualConsistencyScore: factualConsistency(chosen.join(' '), used, queryWords) }
      : {})
  }
}

/** Splits a summary into chunks of a few words that concatenate back to it exactly. */
export function chunkSummary(summary: string, wordsPerChunk = 4): string[] {
  const pieces = summary.split(/(?<=\s)/)
  const chunks: string[] = []
  for (let i = 0; i < pieces.length; i += wordsPerChunk) {
    chunks.push(pieces.slice(i, i + wordsPerChunk).join(''))
  }
  return chunks.filter((c) => c !== '')
}

function bestSentence(text: string, queryWords: Set<string>): string | undefined {
  let best: string | undefined
  let bestOverlap = -1
  for (const sentence of splitSentences(text)) {
    const overlap = new Set(
      words(sentence)
        .map(stem)
        .filter((w) => queryWords.has(w))
    ).size
    if (overlap > bestOverlap) {
      best = sentence
      bestOverlap = overlap
    }
  }
  return best
}

/** Puts the marker before the sentence's closing punctuation: "… leave [1]." */
function attachCitation(sentence: string, marker: string): string {
  const match = /^(.*?)([.!?。！？]*)$/su.exec(sentence)!
  return `${match[1]}${marker}${match[2] || '.'}`
}

/**
 * A stand-in for Vectara's HHEM score: how much of the summary the sources support (all of it,
 * for an extractive summary) scaled by how much of the question the summary covers.
 * Deterministic and within 0..1.
 */
function factualConsistency(summary: string, used: SearchHit[], queryWords: Set<string>): number {
  const sourceWords = new Set(used.flatMap((hit) => words(hit.text)))
  const summaryWords = words(summary)
  const supported =
    summaryWords.filter((w) => sourceWords.has(w)).length / Math.max(1, summaryWords.length)
  const summaryStems = new Set(summaryWords.map(stem))
  const covered =
    [...queryWords].filter((w) => summaryStems.has(w)).length / Math.max(1, queryWords.size)
  return Math.round(supported * (0.7 + 0.28 * covered) * 1e4) / 1e4
}

function similar(a: string, b: string): boolean {
  const setA = new Set(words(a))
  const setB = new Set(words(b))
  let shared = 0
  for (const w of setA) if (setB.has(w)) shared++
  return shared / Math.max(1, setA.size + setB.size - shared) > 0.8
}

/** A crude stem, enough for "policies" to meet "policy" when picking sentences. */
const stem = (word: string): string => word.slice(0, 5)

function pickLanguage(requested: Language, used: SearchHit[]): Language {
  if (requested !== 'auto') return requested
  const lang = used[0]?.partMetadata.lang
  return isLanguage(lang) && lang !== 'auto' ? lang : 'eng'
}

function renderPrompt(query: string, used: SearchHit[]): string {
  const sources = used.map((hit, i) => `[${i + 1}] ${hit.text}`).join('\n')
  return `Answer the question "${query}" using only these search results, citing them by number.\n${sources}`
}
