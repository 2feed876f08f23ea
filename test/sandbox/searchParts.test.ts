import { describe, expect, it } from 'vitest'
import { buildMatchExpression } from '../../src/sandbox/search/ftsQuery'
import { withContext } from '../../src/sandbox/search/context'
import { mmr, rerank } from '../../src/sandbox/search/rerank'
import { chunkText } from '../../src/sandbox/routes/documentParts'
import { chunkSummary } from '../../src/sandbox/generation/summary'
import { compileUserRegex } from '../../src/sandbox/routes/safeRegex'

describe('buildMatchExpression', () => {
  it('ORs quoted terms, drops stopwords and repeats', () => {
    expect(buildMatchExpression('What is the battery life of the battery?')).toBe(
      '"battery" OR "life"'
    )
  })

  it('keeps stopwords when a query has nothing else', () => {
    expect(buildMatchExpression('what is it')).toBe('"what" OR "is" OR "it"')
  })

  it('leaves nothing of FTS5 syntax in the expression', () => {
    const expression = buildMatchExpression('title:x* NEAR(a b) "quoted" ^start -not {col} AND OR')!
    expect(expression).toBe('"title" OR "x" OR "near" OR "b" OR "quoted" OR "start" OR "col"')
  })

  it('returns undefined for text without words and caps the number of terms', () => {
    expect(buildMatchExpression('?!* —')).toBeUndefined()
    const many = Array.from({ length: 100 }, (_, i) => `w${i}`).join(' ')
    expect(buildMatchExpression(many)!.split(' OR ')).toHaveLength(32)
  })
})

describe('withContext', () => {
  const config = { startTag: '<', endTag: '>' }
  it('takes whole sentences from neighbouring parts', () => {
    expect(
      withContext('Hit.', ['A one. A two.'], ['B one. B two.'], {
        ...config,
        sentencesBefore: 1,
        sentencesAfter: 1
      })
    ).toBe('A two. <Hit.> B one.')
  })

  it('rounds character counts out to whole sentences', () => {
    expect(
      withContext('Hit.', ['Long sentence here. Short.'], [], { ...config, charactersBefore: 5 })
    ).toBe('Short. <Hit.>')
    expect(
      withContext('Hit.', ['Long sentence here. Short.'], [], { ...config, charactersBefore: 8 })
    ).toBe('Long sentence here. Short. <Hit.>')
  })
})

describe('rerank', () => {
  const items = [
    { text: 'red apple pie', score: 0.9 },
    { text: 'red apple pie recipe', score: 0.85 },
    { text: 'green pear tart', score: 0.6 }
  ]

  it('MMR keeps the best first and lifts the distinct item over a near-duplicate', () => {
    expect(mmr(items, 0.7).map((i) => i.text)).toEqual([
      'red apple pie',
      'green pear tart',
      'red apple pie recipe'
    ])
    expect(mmr(items, 0)).toEqual(items)
  })

  it('applies cutoff before limit in each stage', () => {
    expect(rerank(items, [{ type: 'customer_reranker', cutoff: 0.7, limit: 5 }])).toHaveLength(2)
    expect(rerank(items, [{ type: 'none', limit: 1 }])).toHaveLength(1)
  })
})

describe('chunking', () => {
  it('makes one part per sentence by default', () => {
    expect(chunkText('One. Two! Three? Four')).toEqual(['One.', 'Two!', 'Three?', 'Four'])
  })

  it('splits a summary into chunks that join back exactly', () => {
    const summary = 'Parents receive 20 weeks of leave [1]. Annual leave is 27 days [2].'
    const chunks = chunkSummary(summary, 3)
    expect(chunks.join('')).toBe(summary)
    expect(chunks.length).toBe(5)
  })
})

describe('compileUserRegex', () => {
  it.each(['handbook', '^Trail', 'a|b', '(faq|notes)$', '[a-z]+ notes', 'x{2,3}', '(ab)?c+'])(
    'allows %j',
    (pattern) => {
      expect(compileUserRegex(pattern)).toBeInstanceOf(RegExp)
    }
  )

  it.each([
    '(a+)+$',
    '(a*)*',
    '(a|aa)+',
    '((a+))+',
    '(.*a){2,}',
    '(a)\\1',
    '(?<x>a)\\k<x>',
    '(',
    'a'.repeat(300)
  ])('refuses %j', (pattern) => {
    expect(typeof compileUserRegex(pattern)).toBe('string')
  })
})
