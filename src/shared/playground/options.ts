import { z } from 'zod'
import { LANGUAGES } from '../vectara'

/** The spec's `Language` enum (generation.response_language); `auto` answers in the query's language. */
export const responseLanguages = LANGUAGES
export type ResponseLanguage = (typeof responseLanguages)[number]

export const citationStyles = ['numeric', 'none', 'markdown', 'html'] as const
export type CitationStyle = (typeof citationStyles)[number]

/**
 * What the playground form edits. A flat, renderer-friendly shape: `buildQueryRequest` turns it
 * into Vectara's QueryRequest, the same way in main (to send) and in the renderer (cURL, JSON).
 */
export const PlaygroundOptionsSchema = z.object({
  limit: z.number().int().min(1).max(100),
  offset: z.number().int().min(0).max(10_000),
  /** Hybrid search weight: 0 is purely semantic, 1 purely keyword. Vectara suggests 0.005–0.025. */
  lexicalInterpolation: z.number().min(0).max(1),
  metadataFilter: z.string().max(8000),
  sentencesBefore: z.number().int().min(0).max(20),
  sentencesAfter: z.number().int().min(0).max(20),
  reranker: z.enum(['none', 'mmr']),
  /** MMR: 0 keeps relevance order, 1 favours variety. */
  diversityBias: z.number().min(0).max(1),
  generation: z.boolean(),
  generationPreset: z.string().trim().max(200),
  maxUsedResults: z.number().int().min(0).max(100),
  responseLanguage: z.enum(responseLanguages),
  citationStyle: z.enum(citationStyles),
  factualConsistency: z.boolean(),
  stream: z.boolean(),
  /** Ask Vectara to keep this query in its query history (`save_history: true`). */
  saveHistory: z.boolean()
})
export type PlaygroundOptions = z.infer<typeof PlaygroundOptionsSchema>

export const DEFAULT_GENERATION_PRESET = 'mockingbird-2.0'

export const defaultPlaygroundOptions: Readonly<PlaygroundOptions> = Object.freeze({
  limit: 10,
  offset: 0,
  lexicalInterpolation: 0.005,
  metadataFilter: '',
  sentencesBefore: 2,
  sentencesAfter: 2,
  reranker: 'none',
  diversityBias: 0.3,
  generation: true,
  generationPreset: DEFAULT_GENERATION_PRESET,
  maxUsedResults: 5,
  responseLanguage: 'auto',
  citationStyle: 'numeric',
  factualConsistency: true,
  stream: true,
  saveHistory: false
})

/**
 * Options read back from history may come from an older app: every known field that still
 * parses is kept, the rest fall back to today's defaults.
 */
export function optionsWithDefaults(stored: unknown): PlaygroundOptions {
  const out: Record<string, unknown> = { ...defaultPlaygroundOptions }
  if (stored && typeof stored === 'object') {
    const shape = PlaygroundOptionsSchema.shape
    for (const [name, schema] of Object.entries(shape)) {
      const value = (stored as Record<string, unknown>)[name]
      if (value !== undefined && schema.safeParse(value).success) out[name] = value
    }
  }
  return out as PlaygroundOptions
}
