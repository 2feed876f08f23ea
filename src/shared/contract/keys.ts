import { z } from 'zod'
import { defineCall } from './define'

export const KeyKindSchema = z.enum(['personal', 'query', 'index', 'unknown'])
export type KeyKind = z.infer<typeof KeyKindSchema>

/**
 * A change of enabled state that Vectara has accepted but not yet applied everywhere
 * (about a minute to block, a couple of minutes to serve again).
 */
export const PropagationSchema = z.object({
  action: z.enum(['disable', 'enable']),
  startedAt: z.number(),
  /** probing: main queries with the key's secret until the change shows; countdown: no secret. */
  mode: z.enum(['probing', 'countdown']),
  /** When the change is expected to have taken effect (countdown end). */
  expectedBy: z.number(),
  state: z.enum(['pending', 'confirmed', 'assumed', 'timeout']),
  /** When a probe saw the change take effect ("Blocked since 10:42"). */
  confirmedAt: z.number().optional()
})
export type Propagation = z.infer<typeof PropagationSchema>

/** A key's expiry date, kept by this app only: Vectara keys have none. */
export const KeyExpirySchema = z.object({
  at: z.number(),
  /** Disable the key when the date passes (off unless the user asks). */
  disableAtExpiry: z.boolean()
})
export type KeyExpiry = z.infer<typeof KeyExpirySchema>

/** One row of the key list. The secret itself never appears here: only its masked form. */
export const KeyRowSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: KeyKindSchema,
  /** `zqt_…Ab3d`; null when the app has never seen the secret. */
  maskedSecret: z.string().nullable(),
  /** The secret is in the keychain, so Copy / Reveal / probes work without the API. */
  secretStored: z.boolean(),
  enabled: z.boolean(),
  corpora: z.array(z.string()),
  /** Recorded locally: the API has no creation time. */
  firstSeenAt: z.number(),
  /** From the local usage history; null means never used through this app. */
  lastUsedAt: z.number().nullable(),
  propagation: PropagationSchema.optional(),
  /**
   * This key is the credential the app itself uses for the account: disabling or deleting it
   * would lock the app out, so main refuses and the menu says why.
   */
  accountCredential: z.boolean().optional(),
  /** Files on this machine the folder scanner found the key's secret in; absent when none. */
  foundInFiles: z.number().int().positive().optional(),
  /** Set locally ("Set expiry…"); absent when the key has none. */
  expiry: KeyExpirySchema.optional()
})
export type KeyRow = z.infer<typeof KeyRowSchema>

export const KeyListSchema = z.object({
  accountId: z.string(),
  /** In name order (`sortByName` in shared/sortText.ts), the list's default sort. */
  keys: z.array(KeyRowSchema),
  /** When the list last came from the API; null if never. */
  syncedAt: z.number().nullable()
})
export type KeyList = z.infer<typeof KeyListSchema>

/** The Create key dialog's "Access": Query, Query & Index, or Personal (the legacy roles). */
export const KeyAccessSchema = z.enum(['serving', 'serving_and_indexing', 'personal'])
export type KeyAccess = z.infer<typeof KeyAccessSchema>

const accountId = z.string().min(1)
const keyId = z.string().min(1)
const keyRef = z.object({ accountId, keyId })

export const keysCalls = {
  /** The cached list, at once (no network). */
  'keys.list': defineCall(z.object({ accountId }), KeyListSchema),
  /** Every page from the API; updates the cache. */
  'keys.refresh': defineCall(z.object({ accountId }), KeyListSchema),
  'keys.create': defineCall(
    z
      .object({
        accountId,
        name: z.string().trim().min(1, 'Enter a name').max(100, 'Use at most 100 characters'),
        access: KeyAccessSchema,
        /** Required for Query and Index keys; none for a Personal key. */
        corpusKeys: z.array(z.string().min(1)).default([])
      })
      .superRefine((input, ctx) => {
        const personal = input.access === 'personal'
        if (!personal && input.corpusKeys.length === 0)
          ctx.addIssue({
            code: 'custom',
            path: ['corpusKeys'],
            message: 'Choose at least one corpus'
          })
        if (personal && input.corpusKeys.length > 0)
          ctx.addIssue({
            code: 'custom',
            path: ['corpusKeys'],
            message: 'A Personal key has no corpora: it reaches what its owner can'
          })
      }),
    z.object({
      key: KeyRowSchema,
      secretStored: z.boolean(),
      /**
       * Only when the keychain write failed: shown once so nothing is lost, never cached.
       */
      oneTimeSecret: z.string().optional(),
      keychainProblem: z.string().optional()
    })
  ),
  'keys.setEnabled': defineCall(z.object({ accountId, keyId, enabled: z.boolean() }), KeyRowSchema),
  'keys.delete': defineCall(keyRef, z.object({ keyId: z.string() })),
  /** Main writes the clipboard and clears it after 30 s if it still holds the secret. */
  'keys.copySecret': defineCall(keyRef, z.object({ clearsAfterMs: z.number() })),
  /** For display only; the renderer hides it again after `hideAfterMs`. */
  'keys.revealSecret': defineCall(
    keyRef,
    z.object({ secret: z.string(), hideAfterMs: z.number() })
  ),
  /**
   * Gets the key's secret from Vectara into the keychain, as Reveal does, without returning it:
   * the Playground uses a key by id and main reads its secret. SECRET_UNKNOWN when Vectara
   * does not return one (then only pasting it helps).
   */
  'keys.fetchSecret': defineCall(keyRef, KeyRowSchema),
  /** "Paste secret…": keep a secret the API will not return, in the keychain. */
  'keys.storeSecret': defineCall(
    z.object({
      accountId,
      keyId,
      secret: z.string().trim().min(8, 'That is too short to be a key').max(500)
    }),
    KeyRowSchema
  )
}

export const keysEvents = {
  /** A key's propagation moved on (probe result, countdown end, timeout). */
  'propagation.update': z.object({
    accountId: z.string(),
    keyId: z.string(),
    propagation: PropagationSchema
  }),
  /** The list changed outside a call the renderer made (e.g. another window, a sync). */
  'keys.changed': z.object({ accountId: z.string() })
}
