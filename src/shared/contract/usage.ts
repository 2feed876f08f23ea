import { z } from 'zod'
import { KeyKindSchema } from './keys'
import { defineCall } from './define'

export const UsageRangeSchema = z.enum(['24h', '7d', '30d', 'all'])
export type UsageRange = z.infer<typeof UsageRangeSchema>

export const UsageFiltersSchema = z.object({
  /** null: every account. */
  accountId: z.string().min(1).nullable(),
  /** null: every key; '' : requests sent with no stored key (account credential, pasted key). */
  keyId: z.string().nullable(),
  kind: z.enum(['all', 'query', 'admin']),
  range: UsageRangeSchema
})
export type UsageFilters = z.infer<typeof UsageFiltersSchema>

const perBucket = z.array(z.number())
const perBucketOrNull = z.array(z.number().nullable())

export const UsageChartsSchema = z.object({
  /** 24 h is shown per hour; longer ranges per local day. */
  unit: z.enum(['hour', 'day']),
  /** Start of each bucket (ms since the epoch), oldest first. */
  buckets: z.array(z.number()),
  /** Stacked bars: the busiest keys, then one "other keys" series. */
  requestsByKey: z.array(
    z.object({
      /** The key id, '' for no stored key, '*' for "other keys". */
      keyId: z.string(),
      accountId: z.string().nullable(),
      label: z.string(),
      counts: perBucket
    })
  ),
  requests: perBucket,
  errors: perBucket,
  /** Latency percentiles in ms from a log histogram (within 5%); null when a bucket is empty. */
  p50: perBucketOrNull,
  p95: perBucketOrNull,
  /** errors / requests, 0..1. */
  errorRate: perBucketOrNull,
  totals: z.object({
    requests: z.number().int(),
    errors: z.number().int(),
    errorRate: z.number().nullable(),
    p50: z.number().nullable(),
    p95: z.number().nullable()
  })
})
export type UsageCharts = z.infer<typeof UsageChartsSchema>

/** One row of the "Usage history" table: a request this app sent, or one from Vectara's history. */
export const UsageRowSchema = z.object({
  /** `local:<id>` or `remote:<account>:<id>`, unique across both sources. */
  id: z.string(),
  source: z.enum(['local', 'vectara']),
  at: z.number(),
  accountId: z.string(),
  accountName: z.string(),
  keyId: z.string().nullable(),
  keyName: z.string().nullable(),
  kind: z.enum(['query', 'admin']),
  action: z.string(),
  method: z.string().nullable(),
  path: z.string().nullable(),
  status: z.number().int().nullable(),
  latencyMs: z.number().nullable(),
  resultCount: z.number().int().nullable(),
  errorCode: z.string().nullable(),
  /** Vectara history only: the query text and corpus. */
  query: z.string().nullable(),
  corpusKey: z.string().nullable()
})
export type UsageRow = z.infer<typeof UsageRowSchema>

export const StaleKeySchema = z.object({
  accountId: z.string(),
  accountName: z.string(),
  keyId: z.string(),
  name: z.string(),
  kind: KeyKindSchema,
  enabled: z.boolean(),
  lastUsedAt: z.number().nullable(),
  firstSeenAt: z.number()
})
export type StaleKey = z.infer<typeof StaleKeySchema>

export const RetentionSchema = z.object({
  events: z.number().int(),
  oldestAt: z.number().nullable(),
  maxEvents: z.number().int(),
  maxDays: z.number().int(),
  lastPrunedAt: z.number().nullable()
})

const cursor = z.object({ at: z.number(), id: z.string() })

export const usageCalls = {
  'usage.charts': defineCall(UsageFiltersSchema, UsageChartsSchema),
  /** Newest first, local and Vectara history merged; pass `before` to page on. */
  'usage.events': defineCall(
    UsageFiltersSchema.extend({
      limit: z.number().int().min(1).max(1000).optional(),
      before: cursor.optional()
    }),
    z.object({ rows: z.array(UsageRowSchema), next: cursor.nullable() })
  ),
  /** Every row of the filter as CSV (ids, names, outcomes and timings; never a secret). */
  'usage.exportCsv': defineCall(
    UsageFiltersSchema,
    z.object({ filename: z.string(), csv: z.string(), rows: z.number().int() })
  ),
  /** Fetches Vectara's query history newer than the last sync (`started_after`) into the cache. */
  'usage.syncRemote': defineCall(
    z.object({ accountId: z.string().min(1) }),
    z.object({ added: z.number().int(), total: z.number().int(), syncedAt: z.number() })
  ),
  'usage.remoteStatus': defineCall(
    z.object({ accountId: z.string().min(1) }),
    z.object({ syncedAt: z.number().nullable(), total: z.number().int() })
  ),
  /** Keys with no recorded use in `days` days (`isStale` in shared/keyKinds.ts), or never. */
  'usage.staleKeys': defineCall(
    z.object({ accountId: z.string().min(1).nullable() }),
    z.object({ keys: z.array(StaleKeySchema), days: z.number().int() })
  ),
  'usage.retention': defineCall(z.undefined(), RetentionSchema)
}

export const usageEvents = {
  /**
   * New usage was recorded for this account (debounced: one per burst), so an open Usage view
   * can read it again.
   */
  'usage.recorded': z.object({ accountId: z.string() })
}
