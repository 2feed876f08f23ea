import type { IncomingMessage } from 'node:http'
import { ApiError } from './errors'

export const MAX_BODY_BYTES = 10 * 1024 * 1024
export const BODY_TIMEOUT_MS = 15_000
/**
 * After answering 413, the rest of an upload is read and thrown away (never buffered), so the
 * client gets to read the answer instead of a reset connection. Past this much, or this long,
 * the connection is cut.
 */
const DISCARD_LIMIT_BYTES = 32 * 1024 * 1024
const DISCARD_TIMEOUT_MS = 5_000

/** The client went away before its request was complete; nobody is left to answer. */
export class ClientGone extends Error {
  constructor() {
    super('client closed the connection')
    this.name = 'ClientGone'
  }
}

export interface BodyLimits {
  maxBytes: number
  timeoutMs: number
}

export const tooLarge = (maxBytes: number): ApiError =>
  new ApiError(413, [
    `The request body is larger than the ${Math.round(maxBytes / 1024 / 1024)} MB limit.`
  ])

/** Rejects a declared oversize body before a single byte of it is read. */
export function checkDeclaredLength(req: IncomingMessage, maxBytes: number): void {
  const declared = Number(req.headers['content-length'] ?? 0)
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw tooLarge(maxBytes)
  }
}

/**
 * Reads a request body into memory up to `maxBytes`. Stops buffering the moment the limit is
 * passed (413), gives up on a body that trickles in too slowly (408), and rejects with
 * ClientGone if the client disconnects mid-upload, removing every listener it added.
 */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  checkDeclaredLength(req, limits.maxBytes)
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const timer = setTimeout(() => {
      finish()
      reject(
        new ApiError(408, [`The request body did not arrive within ${limits.timeoutMs / 1000} s.`])
      )
    }, limits.timeoutMs)
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size > limits.maxBytes) {
        finish()
        chunks.length = 0
        reject(tooLarge(limits.maxBytes))
        return
      }
      chunks.push(chunk)
    }
    const onEnd = (): void => {
      finish()
      resolve(Buffer.concat(chunks, size))
    }
    const onGone = (): void => {
      if (req.complete) return
      finish()
      reject(new ClientGone())
    }
    const finish = (): void => {
      clearTimeout(timer)
      req.off('data', onData)
      req.off('end', onEnd)
      req.off('aborted', onGone)
      req.off('close', onGone)
      req.off('error', onGone)
    }
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('aborted', onGone)
    req.on('close', onGone)
    req.on('error', onGone)
  })
}

/**
 * Drains what is left of a rejected upload without keeping it. Cuts the connection if the
 * client keeps sending past the discard allowance.
 */
export function discardRest(req: IncomingMessage): void {
  if (req.complete || req.destroyed) return
  let discarded = 0
  const cut = (): void => {
    cleanup()
    req.socket.destroy()
  }
  const timer = setTimeout(cut, DISCARD_TIMEOUT_MS)
  const onData = (chunk: Buffer): void => {
    discarded += chunk.length
    if (discarded > DISCARD_LIMIT_BYTES) cut()
  }
  const cleanup = (): void => {
    clearTimeout(timer)
    req.off('data', onData)
    req.off('end', cleanup)
    req.off('close', cleanup)
  }
  req.on('data', onData)
  req.on('end', cleanup)
  req.on('close', cleanup)
  req.resume()
}
