import { redactSecrets } from '../redact'

export interface CurlInput {
  url: string
  /** The JSON body, exactly as the app sends it. */
  body: unknown
  /** Streamed answers need `-N` (no buffering) and `Accept: text/event-stream`. */
  stream: boolean
}

/** The name the snippet reads the key from; the secret itself is never part of a snippet. */
export const CURL_KEY_VARIABLE = 'VECTARA_API_KEY'

/**
 * A POSIX-shell cURL command for a playground request. It takes no secret at all: the key is
 * read from `$VECTARA_API_KEY` when the command runs. The body is the exact JSON the app sends,
 * single-quoted so no character in it can reach the shell.
 */
export function buildCurl({ url, body, stream }: CurlInput): string {
  const json = JSON.stringify(body)
  const lines = [
    `curl -sS${stream ? ' -N' : ''} -X POST ${shellQuote(url)}`,
    `  -H "x-api-key: $${CURL_KEY_VARIABLE}"`,
    `  -H 'Content-Type: application/json'`,
    `  -H 'Accept: ${stream ? 'text/event-stream' : 'application/json'}'`,
    `  --data-raw ${shellQuote(json)}`
  ]
  const command = lines.join(' \\\n')
  // Defence in depth: a body can only hold what the user typed, but a pasted key in a query
  // box must still never leave in a snippet.
  return redactSecrets(command)
}

/** Single quotes protect everything in POSIX sh; a quote itself is closed, escaped, reopened. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}
