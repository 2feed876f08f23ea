import { z } from 'zod'
import { defineCall } from './define'

export const AuthKindSchema = z.enum(['api_key', 'oauth', 'sandbox'])

/** What the renderer knows about an account: never its credential. */
export const AccountSchema = z.object({
  id: z.string(),
  name: z.string(),
  baseUrl: z.string(),
  authKind: AuthKindSchema,
  oauthClientId: z.string().optional(),
  oauthTokenUrl: z.string().optional(),
  /** The built-in Sandbox account: it cannot be removed or edited. */
  builtin: z.boolean(),
  createdAt: z.number()
})
export type Account = z.infer<typeof AccountSchema>

const name = z.string().trim().min(1, 'Enter a name').max(80, 'Use at most 80 characters')
const baseUrl = z.string().trim().min(1, 'Enter the API base URL').max(300)

/**
 * A credential travels renderer → main once, when the user types it; main stores it in the
 * keychain and never sends it back.
 */
export const CredentialInputSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('api_key'),
    apiKey: z.string().trim().min(1, 'Paste the Personal API key').max(500)
  }),
  z.object({
    type: z.literal('oauth'),
    clientId: z.string().trim().min(1, 'Enter the client id').max(300),
    clientSecret: z.string().trim().min(1, 'Enter the client secret').max(1000),
    tokenUrl: z.string().trim().min(1, 'Enter the token URL').max(300)
  })
])
export type CredentialInput = z.infer<typeof CredentialInputSchema>

export const AccountsStateSchema = z.object({
  accounts: z.array(AccountSchema),
  currentId: z.string().nullable()
})
export type AccountsState = z.infer<typeof AccountsStateSchema>

export const accountsCalls = {
  'accounts.list': defineCall(z.undefined(), AccountsStateSchema),
  /** Checks the credential (lists one page of keys) before anything is saved. */
  'accounts.add': defineCall(
    z.object({ name, baseUrl, credential: CredentialInputSchema }),
    AccountSchema
  ),
  /** A new credential or base URL is checked again before it replaces the old one. */
  'accounts.update': defineCall(
    z.object({
      id: z.string().min(1),
      name: name.optional(),
      baseUrl: baseUrl.optional(),
      credential: CredentialInputSchema.optional()
    }),
    AccountSchema
  ),
  /** Removes the account, its keychain entries and its caches. */
  'accounts.remove': defineCall(
    z.object({ id: z.string().min(1) }),
    z.object({ removedSecrets: z.number().int() })
  ),
  'accounts.switch': defineCall(z.object({ id: z.string().min(1) }), AccountsStateSchema),
  /** Re-checks the stored credential: ok, or the API's error (e.g. API_UNAUTHORIZED). */
  'accounts.check': defineCall(
    z.object({ id: z.string().min(1) }),
    z.object({ ok: z.literal(true) })
  )
}

export const accountsEvents = {
  'accounts.changed': AccountsStateSchema
}
