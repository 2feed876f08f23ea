/** What the playground shows about the HTTP exchange itself, beyond the parsed answer. */
export interface ResponseCapture {
  status?: number
  requestId?: string
  contentType?: string
  /** From calling fetch to the response headers. */
  ttfbMs?: number
  sizeBytes: number
  raw: string
  rawTruncated: boolean
}

export const MAX_RAW_CHARS = 1_000_000

/** Statuses whose Response may not carry a body. */
const NULL_BODY = new Set([101, 103, 204, 205, 304])

/**
 * Wraps fetch so the playground can show status, time to first byte, size, request id and the
 * raw body, while the Vectara client still reads (and validates) the answer as usual. Each
 * attempt starts a fresh capture; the playground sends without retries, so there is one.
 * Request headers (which hold the key) are never looked at or kept.
 */
export function capturingFetch(
  base: typeof fetch,
  capture: ResponseCapture,
  startedAt: number,
  maxChars = MAX_RAW_CHARS
): typeof fetch {
  return async (input, init) => {
    const response = await base(input, init)
    capture.status = response.status
    capture.ttfbMs = round(performance.now() - startedAt)
    capture.requestId = response.headers.get('x-request-id') ?? undefined
    capture.contentType = response.headers.get('content-type') ?? undefined
    capture.sizeBytes = 0
    capture.raw = ''
    capture.rawTruncated = false
    if (!response.body || NULL_BODY.has(response.status)) return response
    const answer = {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers
    }
    if (!capture.contentType?.includes('text/event-stream')) {
      // A whole answer: read it once here and hand the client the same bytes.
      const bytes = new Uint8Array(await response.arrayBuffer())
      capture.sizeBytes = bytes.byteLength
      const text = new TextDecoder().decode(bytes)
      capture.raw = text.length > maxChars ? text.slice(0, maxChars) : text
      capture.rawTruncated = text.length > maxChars
      return new Response(bytes, answer)
    }
    const decoder = new TextDecoder()
    const keep = (text: string): void => {
      const room = maxChars - capture.raw.length
      if (text.length <= room) capture.raw += text
      else {
        capture.raw += text.slice(0, Math.max(0, room))
        capture.rawTruncated = true
      }
    }
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          capture.sizeBytes += chunk.byteLength
          if (!capture.rawTruncated) keep(decoder.decode(chunk, { stream: true }))
          controller.enqueue(chunk)
        },
        flush() {
          if (!capture.rawTruncated) keep(decoder.decode())
        }
      })
    )
    return new Response(counted, answer)
  }
}

export function emptyCapture(): ResponseCapture {
  return { sizeBytes: 0, raw: '', rawTruncated: false }
}

export function round(ms: number): number {
  return Math.round(ms * 10) / 10
}
