import { z } from 'zod'
import { ErrorCodeSchema } from '../errors'
import { defineCall } from './define'
import { newKeyExpiryFields } from './health'
import { KeyKindSchema } from './keys'

/** "Disable the old key": once the new key serves, or at a chosen time, or when the user says. */
export const DisableOldSchema = z.enum(['now', 'in_1h', 'in_24h', 'on_confirm'])
export type DisableOld = z.infer<typeof DisableOldSchema>

/** "Delete the old key": this long after it is blocked (the grace period), or never. */
export const DeleteOldSchema = z.enum(['after_7d', 'after_1d', 'never'])
export type DeleteOld = z.infer<typeof DeleteOldSchema>

/**
 * The steps, in order. `switchCredential` is there only when the key is the app's own
 * credential for the account; `swap` is the user's part (copy the secret, replace it in files).
 */
export const RotationStepNameSchema = z.enum([
  'create',
  'swap',
  'verify',
  'switchCredential',
  'disable',
  'delete'
])
export type RotationStepName = z.infer<typeof RotationStepNameSchema>

/**
 * pending: an earlier step must finish first; waiting: for a time (`dueAt`) or the user
 * (`waitingFor: 'confirm'`); running: at Vectara or probing; failed: `error` says why, and the
 * step can be retried; skipped: not wanted (delete: "Never").
 */
export const StepStateSchema = z.enum([
  'pending',
  'waiting',
  'running',
  'done',
  'failed',
  'skipped'
])
export type StepState = z.infer<typeof StepStateSchema>

export const RotationStepSchema = z.object({
  name: RotationStepNameSchema,
  state: StepStateSchema,
  startedAt: z.number().optional(),
  /** verify: "Serving since"; disable: "Blocked since". */
  doneAt: z.number().optional(),
  /** When a waiting step becomes due, by main's clock. */
  dueAt: z.number().optional(),
  waitingFor: z.enum(['time', 'confirm']).optional(),
  error: z.object({ code: ErrorCodeSchema, message: z.string(), at: z.number() }).optional(),
  attempts: z.number().int(),
  /**
   * verify / disable: `confirmed` when a request made with the key showed the change; `assumed`
   * when the app holds no secret to probe with and Vectara's stated delay has passed.
   */
  outcome: z.enum(['confirmed', 'assumed']).optional()
})
export type RotationStep = z.infer<typeof RotationStepSchema>

/** A value another feature adds to a plan (e.g. the new key's expiry): plain data, never a secret. */
const ExtraValueSchema = z.union([z.string(), z.number(), z.boolean(), z.null()])

export const RotationSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  oldKey: z.object({
    id: z.string(),
    name: z.string(),
    kind: KeyKindSchema,
    corpora: z.array(z.string()),
    maskedSecret: z.string().nullable()
  }),
  newKey: z.object({
    /** Null until Vectara has created it. */
    id: z.string().nullable(),
    name: z.string(),
    /** The old key's kind, or Query when an Index key was rotated to a read-only one. */
    kind: KeyKindSchema,
    corpora: z.array(z.string()),
    maskedSecret: z.string().nullable(),
    /** Its secret is in the keychain (Copy works, the app can probe with it). */
    secretStored: z.boolean()
  }),
  /** The old key is the credential the app signs in to the account with. */
  accountCredential: z.boolean(),
  disableOld: DisableOldSchema,
  deleteOld: DeleteOldSchema,
  status: z.enum(['active', 'finished', 'cancelled']),
  steps: z.array(RotationStepSchema),
  startedAt: z.number(),
  updatedAt: z.number(),
  finishedAt: z.number().nullable(),
  extras: z.record(z.string(), ExtraValueSchema),
  /** Main's clock when this was read: due times are relative to it, not to the page's clock. */
  asOf: z.number()
})
export type Rotation = z.infer<typeof RotationSchema>

/**
 * A place on this machine where the folder scanner found a key's secret. The renderer names a
 * finding by its id only; main keeps the path it may write to. `maskedValue` is `zqt_…Ab3d`.
 */
export const FileLocationSchema = z.object({
  findingId: z.string(),
  path: z.string(),
  line: z.number().int(),
  column: z.number().int().optional(),
  maskedValue: z.string(),
  /** The line as a preview, the secret masked: `VECTARA_API_KEY=zqt_…Ab3d`. */
  preview: z.string().max(300).optional()
})
export type FileLocation = z.infer<typeof FileLocationSchema>

export const KeyFilesSchema = z.object({
  /** False when this build has no folder scanner, or no scan has run: "not scanned", not "none". */
  scanned: z.boolean(),
  locations: z.array(FileLocationSchema)
})
export type KeyFiles = z.infer<typeof KeyFilesSchema>

export const ReplaceReportSchema = z.object({
  replaced: z.array(
    z.object({
      findingId: z.string(),
      path: z.string(),
      line: z.number().int(),
      occurrences: z.number().int()
    })
  ),
  /** Untouched, with the reason (changed since the scan, read-only, a link…). */
  skipped: z.array(z.object({ findingId: z.string(), path: z.string(), reason: z.string() }))
})
export type ReplaceReport = z.infer<typeof ReplaceReportSchema>

/** What the "Rotate <key name>" dialog shows before anything happens. */
export const RotationPlanSchema = z.object({
  accountId: z.string(),
  oldKey: z.object({
    id: z.string(),
    name: z.string(),
    kind: KeyKindSchema,
    enabled: z.boolean(),
    corpora: z.array(z.string()),
    maskedSecret: z.string().nullable(),
    lastUsedAt: z.number().nullable(),
    accountCredential: z.boolean()
  }),
  /** `<old name> (rotated YYYY-MM-DD)`, by main's clock. */
  defaultNewName: z.string(),
  files: KeyFilesSchema,
  /** The kinds the new key may be: the old key's first; an Index key may become a Query key. */
  newKinds: z.array(KeyKindSchema),
  /** Set when the key is already being rotated: open that one instead. */
  activeRotationId: z.string().nullable(),
  /** Why this key cannot be rotated, in words; absent when it can. */
  refusal: z.string().optional()
})
export type RotationPlan = z.infer<typeof RotationPlanSchema>

const accountId = z.string().min(1)
const rotationId = z.object({ id: z.string().min(1).max(100) })

/**
 * The plan the user starts. Another feature adds its own field here (issue 13: the new key's
 * expiry); RotationService keeps every field beyond the first seven in the rotation's `extras` and
 * hands them to its hooks, so the plan grows without a change to the step machine.
 */
export const rotationStartFields = {
  accountId,
  keyId: z.string().min(1),
  newName: z.string().trim().min(1, 'Enter a name').max(100, 'Use at most 100 characters'),
  /** Ignored (must be empty) for a Personal key: it reaches what its owner can. */
  corpusKeys: z.array(z.string().min(1)).max(500).default([]),
  disableOld: DisableOldSchema.default('on_confirm'),
  deleteOld: DeleteOldSchema.default('after_7d'),
  /**
   * The new key's kind; the old key's when absent. Only an Index key may change, to Query: a
   * key that only ever queries needs no write access (Vectara cannot narrow a key in place).
   */
  newKind: KeyKindSchema.optional(),
  /** Issue 13: the new key's local expiry date, set once Vectara has created it. */
  ...newKeyExpiryFields
}
export const RotationStartSchema = z.object(rotationStartFields)
export type RotationStart = z.input<typeof RotationStartSchema>

/** A step run on the user's request: when the keychain failed, the new secret is handed over once. */
const StepRunSchema = z.object({
  rotation: RotationSchema,
  /** Only when the keychain write failed: shown once with Copy, never cached. */
  oneTimeSecret: z.string().optional(),
  keychainProblem: z.string().optional()
})

export const rotationsCalls = {
  /** The plan for a key, from the cache (no network), for the dialog. */
  'rotations.plan': defineCall(
    z.object({ accountId, keyId: z.string().min(1) }),
    RotationPlanSchema
  ),
  /** Records the plan and runs the first step (create the new key); the rest follows on its own. */
  'rotations.start': defineCall(RotationStartSchema, StepRunSchema),
  /** The account's rotations in progress, then the last finished ones. */
  'rotations.list': defineCall(
    z.object({ accountId }),
    z.object({ rotations: z.array(RotationSchema) })
  ),
  /** Runs the failed step again; nothing that succeeded is done twice. */
  'rotations.retry': defineCall(rotationId, StepRunSchema),
  /** "I have swapped the key": the user's part is done. */
  'rotations.confirmSwap': defineCall(rotationId, RotationSchema),
  /** "Disable the old key" chosen "When I confirm": the user confirms now. */
  'rotations.confirmDisable': defineCall(rotationId, RotationSchema),
  /** The grace period is over and the user, shown the old key's name, confirms the delete. */
  'rotations.confirmDelete': defineCall(
    z.object({ id: rotationId.shape.id, keyName: z.string().min(1) }),
    RotationSchema
  ),
  /** Stops before the old key is disabled; the new key is kept (the user may delete it). */
  'rotations.cancel': defineCall(rotationId, RotationSchema),
  /** Files on this machine that hold the old key's secret, as the folder scanner found them. */
  'rotations.findings': defineCall(rotationId, KeyFilesSchema),
  /**
   * "Replace in files": the old secret becomes the new one in the findings named. Ids only: main
   * writes nothing but files its own scan found with this key's secret.
   */
  'rotations.replaceInFiles': defineCall(
    z.object({
      id: rotationId.shape.id,
      findingIds: z.array(z.string().min(1).max(200)).min(1, 'Choose at least one file').max(1000)
    }),
    ReplaceReportSchema
  )
}

export const rotationsEvents = {
  /** A rotation moved on (a step started, finished, failed, became due). */
  'rotations.changed': z.object({ rotation: RotationSchema })
}
