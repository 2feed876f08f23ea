import { randomUUID } from 'node:crypto'
import type { Duplex } from 'node:stream'

const ANSWERS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [
    431,
    'Request Header Fields Too Large',
    'The request headers are too large.'
  ],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'The request did not arrive in time.']
}

/**
 * Node's answer to a request it cannot even parse is a bare status line; this one carries the
 * same `{messages, request_id}` body as every other Sandbox error, so clients parse it alike.
 */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy()
    return
  }
  const [status, reason, message] = ANSWERS[error.code ?? ''] ?? [
    400,
    'Bad Request',
    'The request is not valid HTTP.'
  ]
  const body = JSON.stringify({ messages: [message], request_id: randomUUID() })
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  )
}
