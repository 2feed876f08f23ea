import { z } from 'zod'
import { defineCall } from './define'
import { KeyKindSchema, KeyRowSchema } from './keys'

export const SeveritySchema = z.enum(['high', 'medium', 'low'])
export type Severity = z.infer<typeof SeveritySchema>

/** Every rule Health runs (`src/main/health/rules/`), one finding kind each. */
export const FindingRuleSchema = z.enum([
  'stale',
  'personalForQueries',
  'indexForQueries',
  'disabledLong',
  'foundInFiles',
  'expiry',
  'rotationWaiting',
  'uncoveredCorpus'
])
export type FindingRule = z.infer<typeof FindingRuleSchema>

/**
 * What a finding's button does. The renderer owns the how (a dialog, a route); main only says
 * which fix fits and with what (e.g. the corpora a new Query key should reach).
 */
export const FixSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('disable') }),
  z.object({ action: z.literal('delete') }),
  z.object({
    action: z.literal('createQueryKey'),
    /** Prefill for the new key's corpora (may be empty: the user picks). */
    corpusKeys: z.array(z.string())
  }),
  z.object({
    action: z.literal('rotate'),
    /** Rotate to a key of this kind (an Index key that only queries, to a Query key). */
    newKind: z.literal('query').optional()
  }),
  z.object({ action: z.literal('extend') }),
  z.object({ action: z.literal('openRotation'), rotationId: z.string() })
])
export type Fix = z.infer<typeof FixSchema>
export type FixAction = Fix['action']

export const FindingSchema = z.object({
  /** `<rule>:<key id or corpus:<key>>`, unique within its account and stable across runs. */
  id: z.string(),
  rule: FindingRuleSchema,
  severity: SeveritySchema,
  accountId: z.string(),
  accountName: z.string(),
  /** The key the finding is about; null for a corpus finding. */
  keyId: z.string().nullable(),
  keyName: z.string().nullable(),
  keyKind: KeyKindSchema.nullable(),
  keyEnabled: z.boolean().nullable(),
  /** The corpus a corpus finding is about. */
  corpusKey: z.string().nullable(),
  corpusName: z.string().nullable(),
  /** A few words: "Not used in 45 days". */
  title: z.string(),
  /** One sentence: why it matters. */
  why: z.string(),
  /** In the order the buttons show; the first is the one to press. */
  fixes: z.array(FixSchema),
  /** Present in the dismissed list: who said why, and when. */
  dismissal: z.object({ reason: z.string(), at: z.number() }).optional()
})
export type Finding = z.infer<typeof FindingSchema>

export const HealthReportSchema = z.object({
  /** null: every account. */
  accountId: z.string().nullable(),
  /** Open findings, most severe first. */
  findings: z.array(FindingSchema),
  /** Dismissed findings whose facts have not changed since. */
  dismissed: z.array(FindingSchema),
  counts: z.object({ high: z.number().int(), medium: z.number().int(), low: z.number().int() }),
  keysChecked: z.number().int(),
  evaluatedAt: z.number()
})
export type HealthReport = z.infer<typeof HealthReportSchema>

/**
 * The corpus × key map, compact: keys carry their corpora as indexes into `corpora`, Personal
 * keys as `all`. Cells are computed where they are drawn.
 */
export const CoverageSchema = z.object({
  accountId: z.string(),
  includeDisabled: z.boolean(),
  corpora: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      /** Keys of each kind (among those shown) that reach this corpus. */
      query: z.number().int(),
      index: z.number().int(),
      personal: z.number().int(),
      /** An enabled Query key reaches it (whatever is shown). */
      covered: z.boolean()
    })
  ),
  keys: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      kind: KeyKindSchema,
      enabled: z.boolean(),
      /** Personal keys reach every corpus of the account. */
      all: z.boolean(),
      corpora: z.array(z.number().int())
    })
  ),
  /** How many corpora no enabled Query key reaches. */
  uncovered: z.number().int()
})
export type Coverage = z.infer<typeof CoverageSchema>

export const InventoryFormatSchema = z.enum(['csv', 'json'])
export type InventoryFormat = z.infer<typeof InventoryFormatSchema>

const accountId = z.string().min(1)
const keyId = z.string().min(1)
const findingId = z.string().min(1).max(300)

export const healthCalls = {
  /** Every rule over the local caches and usage tables, for one account or all. */
  'health.findings': defineCall(z.object({ accountId: accountId.nullable() }), HealthReportSchema),
  /** Hides a finding until its facts change; the reason goes to the audit log. */
  'health.dismiss': defineCall(
    z.object({
      accountId,
      findingId,
      reason: z
        .string()
        .trim()
        .min(1, 'Say why, so the next person knows')
        .max(300, 'Use at most 300 characters')
    }),
    z.object({ findingId: z.string() })
  ),
  /** Shows a dismissed finding again. */
  'health.restore': defineCall(
    z.object({ accountId, findingId }),
    z.object({ findingId: z.string() })
  ),
  'health.coverage': defineCall(
    z.object({ accountId, includeDisabled: z.boolean() }),
    CoverageSchema
  ),
  /** The key inventory as a file; ids, names, dates and findings, never a secret or its mask. */
  'health.exportInventory': defineCall(
    z.object({ accountId: accountId.nullable(), format: InventoryFormatSchema }),
    z.object({
      filename: z.string(),
      content: z.string(),
      mimeType: z.string(),
      rows: z.number().int()
    })
  ),
  /**
   * Sets (or, with null, clears) a key's local expiry date. Reminders follow 14 days and 1 day
   * before and at the date; with `disableAtExpiry` the app disables the key when it passes.
   */
  'expiry.set': defineCall(
    z.object({
      accountId,
      keyId,
      expiresAt: z.number().int().positive().nullable(),
      disableAtExpiry: z.boolean()
    }),
    KeyRowSchema
  )
}

/**
 * A new key's expiry, set with the key: the Rotate dialog sends these with its plan (rotation
 * keeps them in the plan's extras and sets them once the new key exists).
 */
export const newKeyExpiryFields = {
  expiresAt: z.number().int().positive().nullable().optional(),
  disableAtExpiry: z.boolean().optional()
}

export const healthEvents = {
  /** Findings may have changed without a call (a reminder went out, a key was disabled at expiry). */
  'health.changed': z.object({ accountId: z.string() })
}
