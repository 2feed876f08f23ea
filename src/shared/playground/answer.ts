import type { PlaygroundAnswer } from '../contract/playground'
import type { QueryFullResponse, QueryStreamEvent } from '../vectara'

export function emptyAnswer(): PlaygroundAnswer {
  return { searchResults: [], warnings: [], streamErrors: [] }
}

/**
 * Folds streamed events into the same shape a non-streamed answer has. Main uses it for the
 * final result and history; the renderer uses it to show the answer growing as events arrive.
 */
export function addStreamEvent(answer: PlaygroundAnswer, event: QueryStreamEvent): void {
  switch (event.type) {
    case 'search_results':
      answer.searchResults.push(...(event.search_results ?? []))
      if (event.rewritten_queries?.length) answer.rewrittenQueries = event.rewritten_queries
      break
    case 'generation_chunk':
      answer.summary = (answer.summary ?? '') + (event.generation_chunk ?? '')
      break
    case 'generation_info':
      if (event.rendered_prompt) answer.renderedPrompt = event.rendered_prompt
      break
    case 'factual_consistency_score':
      answer.factualConsistencyScore = event.factual_consistency_score
      break
    case 'error':
      answer.streamErrors.push(...(event.messages ?? ['The stream reported an error.']))
      break
    default:
      break
  }
}

export function answerFromFull(response: QueryFullResponse): PlaygroundAnswer {
  return {
    searchResults: response.search_results ?? [],
    ...(response.summary !== undefined ? { summary: response.summary } : {}),
    ...(response.response_language ? { responseLanguage: response.response_language } : {}),
    ...(response.factual_consistency_score !== undefined
      ? { factualConsistencyScore: response.factual_consistency_score }
      : {}),
    warnings: response.warnings ?? [],
    ...(response.rendered_prompt ? { renderedPrompt: response.rendered_prompt } : {}),
    ...(response.rewritten_queries?.length ? { rewrittenQueries: response.rewritten_queries } : {}),
    streamErrors: []
  }
}
