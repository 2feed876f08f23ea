import type { AuthKindSchema } from '@shared/contract/accounts'
import { isAppError } from '@shared/errors'
import type { z } from 'zod'
import { normalizeFieldErrors } from '../utils/fieldErrors'

type CredentialKind = Exclude<z.infer<typeof AuthKindSchema>, 'sandbox'>

/** What an account form shows after main refused to save. */
export interface FormFailure {
  message: string
  fieldErrors: Record<string, string>
  /** Vectara answered 401/403: the credential itself is wrong or too weak. */
  credentialRejected: boolean
}

const rejectedMessages: Record<CredentialKind, string> = {
  api_key:
    'Vectara rejected this key: it is unknown, disabled or lacks permission to list API keys. Use a Personal API key (zut_…) of this account.',
  oauth:
    'Vectara rejected this client: the client id or secret is wrong, or the client lacks permission to list API keys.'
}

export function describeAccountFailure(
  error: unknown,
  credential: CredentialKind | undefined,
  baseUrl: string
): FormFailure {
  if (!isAppError(error)) {
    return {
      message: 'The account could not be saved.',
      fieldErrors: {},
      credentialRejected: false
    }
  }
  const fieldErrors = normalizeFieldErrors(error.fieldErrors, {
    baseUrl: 'baseUrl',
    url: 'baseUrl'
  })
  switch (error.code) {
    case 'API_UNAUTHORIZED':
    case 'API_FORBIDDEN':
      return {
        message: rejectedMessages[credential ?? 'api_key'],
        fieldErrors,
        credentialRejected: true
      }
    case 'NETWORK_ERROR':
    case 'API_TIMEOUT':
      return {
        message: `Vectara could not be reached at ${baseUrl}. Check the URL and your connection.`,
        fieldErrors,
        credentialRejected: false
      }
    case 'API_NOT_FOUND':
      return {
        message: `${baseUrl} did not answer like the Vectara API. Check the API base URL.`,
        fieldErrors: {
          baseUrl: fieldErrors.baseUrl ?? 'Not a Vectara API address',
          ...fieldErrors
        },
        credentialRejected: false
      }
    default:
      return { message: error.message, fieldErrors, credentialRejected: false }
  }
}
