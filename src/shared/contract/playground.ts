import { z } from 'zod'
import { QueryStreamEventSchema } from '../vectara'
import { ErrorCodeSchema } from '../errors'
import { PlaygroundOptionsSchema } from '../playground/options'
import { KeyKindSchema } from './keys'
import { defineCall } from './define'

const accountId = z.string().min(1)
const corpusKey = z
  .string()
  .min(1)
  .max(50)
  .regex(/^[a-zA-Z0-9_=-]+$/)

/**
 * Which key authenticates a run. A stored key is named by id (main reads its secret from the
 * keychain); a pasted key's secret crosses the bridge with the run, is used by main for that one
 * request and dropped: it is never stored, logged or recorded.
 */
export const PlaygroundCredentialSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('stored'), keyId: z.string().min(1) }),
  z.object({
    type: z.literal('pasted'),
    secret: z.string().trim().min(8, 'That is too short to be a key').max(500)
  })
])
export type PlaygroundCredential = z.infer<typeof PlaygroundCredentialSchema>

export const PlaygroundRunInputSchema = z.object({
  /** Chosen by the renderer so it can match `playground.stream` events and cancel. */
  runId: z.string().min(8).max(64),
  accountId,
  credential: PlaygroundCredentialSchema,
  corpusKeys: z.array(corpusKey).min(1, 'Choose at least one corpus').max(100),
  query: z.string().trim().min(1, 'Type a query').max(5000, 'Use at most 5,000 characters'),
  options: PlaygroundOptionsSchema
})
export type PlaygroundRunInput = z.infer<typeof PlaygroundRunInputSchema>

const record = z.record(z.string(), z.unknown())

/**
 * A search result as main hands it over: already parsed leniently from Vectara's answer (nulls
 * dropped, unknown fields stripped), so the contract checks plain optional fields.
 */
export const PlaygroundSearchResultSchema = z.object({
  text: z.string().optional(),
  score: z.number().optional(),
  part_metadata: record.optional(),
  document_metadata: record.optional(),
  document_id: z.string().optional(),
  table: record.optional(),
  image: record.optional(),
  request_corpora_index: z.number().optional(),
  corpus_key: z.string().optional()
})

const RewrittenQuerySchema = z.object({
  corpus_key: z.string().optional(),
  filter_extraction: z
    .object({ query: z.string().optional(), metadata_filter: z.string().optional() })
    .optional()
})

export const PlaygroundAnswerSchema = z.object({
  searchResults: z.array(PlaygroundSearchResultSchema),
  summary: z.string().optional(),
  responseLanguage: z.string().optional(),
  factualConsistencyScore: z.number().optional(),
  warnings: z.array(z.string()),
  renderedPrompt: z.string().optional(),
  rewrittenQueries: z.array(RewrittenQuerySchema).optional(),
  /** Messages of `error` events inside an otherwise successful stream. */
  streamErrors: z.array(z.string())
})
export type PlaygroundAnswer = z.infer<typeof PlaygroundAnswerSchema>

/** A failed run, explained in plain words next to what the server said. */
export const PlaygroundErrorSchema = z.object({
  code: ErrorCodeSchema,
  title: z.string(),
  explanation: z.string(),
  /** What to try next, when there is something. */
  hint: z.string().optional(),
  status: z.number().int().optional(),
  messages: z.array(z.string()),
  fieldErrors: z.record(z.string(), z.string()).optional()
})
export type PlaygroundError = z.infer<typeof PlaygroundErrorSchema>

export const PlaygroundResultSchema = z.object({
  runId: z.string(),
  /** The history row this run was recorded as. */
  historyId: z.number().int(),
  request: z.object({
    method: z.literal('POST'),
    url: z.string(),
    /** Exactly the JSON that was sent (no secret: the key travels in a header). */
    body: z.unknown(),
    streamed: z.boolean(),
    keyLabel: z.string()
  }),
  response: z.object({
    status: z.number().int().optional(),
    requestId: z.string().optional(),
    contentType: z.string().optional(),
    /** From sending to the response headers. */
    ttfbMs: z.number().optional(),
    totalMs: z.number(),
    sizeBytes: z.number().int(),
    /** The body as received (SSE text for a stream), cut at 1 MB. */
    raw: z.string(),
    rawTruncated: z.boolean()
  }),
  answer: PlaygroundAnswerSchema,
  error: PlaygroundErrorSchema.optional()
})
export type PlaygroundResult = z.infer<typeof PlaygroundResultSchema>

/** One recorded playground request: everything but the secret. */
export const HistoryEntrySchema = z.object({
  id: z.number().int(),
  at: z.number(),
  accountId: z.string(),
  keyId: z.string().nullable(),
  keyName: z.string(),
  keyKind: KeyKindSchema,
  /** `zqt_…Ab3d`, when known. */
  keyMasked: z.string().nullable(),
  corpusKeys: z.array(z.string()),
  query: z.string(),
  options: PlaygroundOptionsSchema,
  status: z.number().int().nullable(),
  latencyMs: z.number().nullable(),
  resultCount: z.number().int().nullable(),
  errorCode: z.string().nullable(),
  errorMessage: z.string().nullable(),
  /** Set when the user saved the query under a name. */
  name: z.string().nullable(),
  savedAt: z.number().nullable()
})
export type HistoryEntry = z.infer<typeof HistoryEntrySchema>

const entryRef = z.object({ id: z.number().int().positive() })

export const playgroundCalls = {
  /**
   * Sends one query from main with the key's secret in x-api-key. Streamed events arrive as
   * `playground.stream` while this call is pending; it resolves once the answer is complete,
   * cancelled or failed (a failed query is a result with `error`, not a rejected call).
   */
  'playground.run': defineCall(PlaygroundRunInputSchema, PlaygroundResultSchema),
  'playground.cancel': defineCall(
    z.object({ runId: z.string().min(1) }),
    z.object({ cancelled: z.boolean() })
  ),
  /**
   * "Paste a key… → save it": keeps a pasted secret in the keychain under the id of the key of
   * this account it belongs to. Fails with NOT_FOUND when it matches no known key.
   */
  'playground.rememberSecret': defineCall(
    z.object({ accountId, secret: z.string().trim().min(8).max(500) }),
    z.object({ keyId: z.string(), name: z.string(), kind: KeyKindSchema })
  ),
  'playground.history': defineCall(
    z.object({
      accountId,
      search: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(500).optional()
    }),
    z.object({ saved: z.array(HistoryEntrySchema), recent: z.array(HistoryEntrySchema) })
  ),
  /** Names and saves an entry (kept by "Clear history"); a null name unsaves it. */
  'playground.saveEntry': defineCall(
    entryRef.extend({
      name: z.string().trim().min(1, 'Enter a name').max(80, 'Use at most 80 characters').nullable()
    }),
    HistoryEntrySchema
  ),
  'playground.deleteEntry': defineCall(entryRef, z.object({ deleted: z.boolean() })),
  'playground.clearHistory': defineCall(
    z.object({ accountId, includeSaved: z.boolean() }),
    z.object({ deleted: z.number().int() })
  ),
  /**
   * Copies non-secret text (a cURL command, request JSON) through main's clipboard. Text that
   * looks like it holds a key secret is refused.
   */
  'playground.copyText': defineCall(
    z.object({ text: z.string().min(1).max(1_000_000) }),
    z.object({ copied: z.literal(true) })
  )
}

/** Either the response headers arrived, or one streamed event did. */
export const PlaygroundStreamSchema = z.discriminatedUnion('kind', [
  z.object({
    runId: z.string(),
    kind: z.literal('open'),
    status: z.number().int(),
    ttfbMs: z.number(),
    requestId: z.string().optional()
  }),
  z.object({
    runId: z.string(),
    kind: z.literal('event'),
    /** Since the request was sent. */
    atMs: z.number(),
    event: z.union([
      QueryStreamEventSchema,
      z.object({ type: z.literal('unrecognized'), event: z.string(), data: z.unknown() })
    ])
  })
])
export type PlaygroundStream = z.infer<typeof PlaygroundStreamSchema>

export const playgroundEvents = {
  'playground.stream': PlaygroundStreamSchema
}
