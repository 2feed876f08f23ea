import { redactSecrets } from '../redact'
import { API_KEY_HEADER, KEY_VARIABLE, queryHeaders } from './httpRequest'
import { redactStrings } from './snippets/redactStrings'

export interface CurlInput {
  url: string
  /** The JSON body, exactly as the app sends it. */
  body: unknown
  /** Streamed answers need `-N` (no buffering) and `Accept: text/event-stream`. */
  stream: boolean
}

/** The name the snippet reads the key from; the secret itself is never part of a snippet. */
export const CURL_KEY_VARIABLE = KEY_VARIABLE

/**
 * A POSIX-shell cURL command for a playground request. It takes no secret at all: the key is
 * read from `$VECTARA_API_KEY` when the command runs. The body is the exact JSON the app sends,
 * single-quoted so no character in it can reach the shell.
 */
export function buildCurl({ url, body, stream }: CurlInput): string {
  // Defence in depth: a body can only hold what the user typed, but a pasted key in a query
  // box must still never leave in a snippet.
  const json = JSON.stringify(redactStrings(body))
  const headers = Object.entries(queryHeaders(stream)).map(
    ([name, value]) => `  -H ${shellQuote(`${name}: ${value}`)}`
  )
  const lines = [
    `curl -sS${stream ? ' -N' : ''} -X POST ${shellQuote(url)}`,
    `  -H "${API_KEY_HEADER}: $${CURL_KEY_VARIABLE}"`,
    ...headers,
    `  --data-raw ${shellQuote(json)}`
  ]
  return redactSecrets(lines.join(' \\\n'))
}

/** Single quotes protect everything in POSIX sh; a quote itself is closed, escaped, reopened. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}
