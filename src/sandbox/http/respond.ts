import type { ServerResponse } from 'node:http'
import type { ApiError } from './errors'

export interface Reply {
  status: number
  /** JSON body; absent for 204. */
  body?: unknown
  headers?: Record<string, string>
}

export const json = (status: number, body: unknown): Reply => ({ status, body })
export const noContent = (): Reply => ({ status: 204 })

export function send(res: ServerResponse, reply: Reply): void {
  if (res.headersSent || res.writableEnded) return
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value)
  if (reply.body === undefined) {
    res.writeHead(reply.status)
    res.end()
    return
  }
  const text = JSON.stringify(reply.body)
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text)
  })
  res.end(text)
}

/**
 * Vectara's three error shapes: BadRequestError (400), NotFoundError (404), Error (others)
 * (docs/vectara-api.md#status-codes-and-error-bodies).
 */
export function errorReply(error: ApiError, requestId: string): Reply {
  const body: Record<string, unknown> = {}
  if (error.status === 400) body.field_errors = error.extra.fieldErrors ?? {}
  if (error.status === 404 && error.extra.id !== undefined) body.id = error.extra.id
  body.messages = error.messages
  body.request_id = requestId
  return { status: error.status, body, headers: error.extra.headers }
}
