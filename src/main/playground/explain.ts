import type { PlaygroundError } from '@shared/contract/playground'
import { AppError, type ErrorCode } from '@shared/errors'
import type { KeyKind } from '@shared/contract/keys'
import { isVectaraError } from '../vectara'

export interface ExplainContext {
  keyLabel: string
  keyKind: KeyKind | 'pasted'
  /** The corpora the key may reach, when known (Query and Index keys). */
  keyCorpora?: string[]
  corpusKeys: string[]
  /** Host the request went to, for "could not reach". */
  host: string
  sandbox: boolean
}

/**
 * A failed playground run in plain words: what happened, why it usually happens, and what to
 * try, next to the server's own messages. Vectara's texts are already scrubbed of secrets.
 */
export function explainFailure(error: unknown, context: ExplainContext): PlaygroundError {
  const failure = normalize(error)
  const base = {
    code: failure.code,
    ...(failure.status !== undefined ? { status: failure.status } : {}),
    messages: failure.messages,
    ...(failure.fieldErrors ? { fieldErrors: failure.fieldErrors } : {})
  }
  switch (failure.code) {
    case 'API_UNAUTHORIZED':
      return {
        ...base,
        title: '401 Unauthorized: Vectara rejected the key',
        explanation: `Vectara does not accept ${context.keyLabel}: the key is unknown, disabled or deleted. A key that was just disabled keeps working for about a minute before it is blocked, so one request can succeed and the next fail.`,
        hint: 'Enable the key again in Keys (it takes a couple of minutes to serve again), or choose another key.'
      }
    case 'API_FORBIDDEN':
      return { ...base, ...forbidden(context) }
    case 'API_BAD_REQUEST':
      return { ...base, ...badRequest(failure.fieldErrors, failure.messages) }
    case 'API_NOT_FOUND':
      return {
        ...base,
        title: '404 Not found: a corpus does not exist',
        explanation: `Vectara could not find ${failure.id ? `"${failure.id}"` : 'one of the chosen corpora'}. It may have been deleted or renamed.`,
        hint: 'Reload the corpus list and choose again.'
      }
    case 'API_RATE_LIMITED':
      return {
        ...base,
        title: '429 Too many requests',
        explanation: 'Vectara is limiting requests right now.',
        hint:
          failure.retryAfterMs !== undefined
            ? `Try again in ${Math.ceil(failure.retryAfterMs / 1000)} s.`
            : 'Wait a moment and try again.'
      }
    case 'API_SERVER_ERROR':
      return {
        ...base,
        title: failure.status ? `${failure.status} Server error at Vectara` : 'Error at Vectara',
        explanation:
          'The service had a problem answering this query. It is not caused by the key or the query.',
        hint: 'Try again in a little while.'
      }
    case 'API_TIMEOUT':
      return {
        ...base,
        title: 'Timed out',
        explanation: `No answer arrived within ${formatMs(failure.timeoutMs)}. The service may be slow or overloaded, or the network dropped the connection.`,
        hint: 'Try again, or ask for fewer results or no summary.'
      }
    case 'NETWORK_ERROR':
      return {
        ...base,
        title: 'Offline: could not reach the API',
        explanation: context.sandbox
          ? 'The built-in Sandbox is not answering: it is not running.'
          : `Could not connect to ${context.host}${failure.causeCode ? ` (${failure.causeCode})` : ''}. Check the network connection, a VPN or proxy, and the account's base URL.`,
        hint: 'Check the connection, then send again.'
      }
    case 'CANCELLED':
      return {
        ...base,
        title: 'Cancelled',
        explanation: 'You stopped this request. Anything that had arrived is shown.'
      }
    case 'API_INVALID_RESPONSE':
      return {
        ...base,
        title: 'Unreadable answer',
        explanation: `The API answered with something the app could not read. ${failure.message}`
      }
    default:
      return { ...base, title: 'The request failed', explanation: failure.message }
  }
}

interface Failure {
  code: ErrorCode
  message: string
  status?: number
  messages: string[]
  fieldErrors?: Record<string, string>
  id?: string
  retryAfterMs?: number
  timeoutMs?: number
  causeCode?: string
}

/** Client errors carry the details; app errors (no secret, Sandbox down) carry a code. */
function normalize(error: unknown): Failure {
  if (isVectaraError(error)) return error
  if (error instanceof AppError) {
    return {
      code: error.code,
      message: error.message,
      status: error.status,
      messages: [],
      fieldErrors: error.fieldErrors
    }
  }
  return {
    code: 'INTERNAL',
    message: 'Something went wrong before the request left the app.',
    messages: []
  }
}

function forbidden(
  context: ExplainContext
): Pick<PlaygroundError, 'title' | 'explanation' | 'hint'> {
  const reach = context.keyCorpora
  const outside = reach ? context.corpusKeys.filter((key) => !reach.includes(key)) : []
  if (context.keyKind === 'query' || context.keyKind === 'index') {
    const which = outside.length
      ? `${list(outside)} ${outside.length === 1 ? 'is' : 'are'} outside its scope`
      : 'a chosen corpus is outside its scope'
    return {
      title: '403 Forbidden: this key may not query that corpus',
      explanation: `${capitalize(context.keyLabel)} is valid, but ${which}. Query and Index keys only reach the corpora they were created for${reach?.length ? ` (this one: ${list(reach)})` : ''}.`,
      hint: 'Choose corpora the key can reach, or create a key for these corpora.'
    }
  }
  return {
    title: '403 Forbidden: not allowed',
    explanation: `${capitalize(context.keyLabel)} is valid but not allowed to query ${list(context.corpusKeys)}.`,
    hint: 'Check the roles of this key or its user in the Vectara console.'
  }
}

function badRequest(
  fieldErrors: Record<string, string> | undefined,
  messages: string[]
): Pick<PlaygroundError, 'title' | 'explanation' | 'hint'> {
  const fields = Object.keys(fieldErrors ?? {})
  const text = `${fields.join(' ')} ${messages.join(' ')}`
  if (/metadata_filter|filter/i.test(text)) {
    return {
      title: '400 Bad request: the metadata filter is not valid',
      explanation:
        'Vectara could not use the metadata filter. Filters may only name the filter attributes a corpus declares, as doc.<name> or part.<name>, with values of their type.',
      hint: "For example: doc.year >= 2024 AND part.lang = 'eng'"
    }
  }
  return {
    title: '400 Bad request',
    explanation: 'Vectara could not accept the request as sent. Its reasons are below.',
    hint: fields.length ? `Check: ${fields.join(', ')}.` : undefined
  }
}

function list(items: string[]): string {
  const quoted = items.map((item) => `"${item}"`)
  if (quoted.length <= 1) return quoted.join('')
  return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

function formatMs(ms: number | undefined): string {
  if (ms === undefined) return 'the time allowed'
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`
}
