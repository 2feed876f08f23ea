import type { ServerResponse } from 'node:http'

/**
 * Server-sent events in Vectara's framing: `event:<type>\ndata:<json>\n\n`, no space after the
 * colons, and the JSON repeats the type (docs/vectara-api.md#streaming). Each event is written
 * (and so flushed) on its own.
 */
export class SseWriter {
  constructor(private readonly res: ServerResponse) {}

  open(requestId: string): void {
    this.res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      // Proxies such as nginx would otherwise buffer the stream and defeat it.
      'x-accel-buffering': 'no',
      'x-request-id': requestId
    })
    this.res.flushHeaders()
  }

  get closed(): boolean {
    return this.res.destroyed || this.res.writableEnded
  }

  send(type: string, payload: Record<string, unknown> = {}): void {
    if (this.closed) return
    this.res.write(`event:${type}\ndata:${JSON.stringify({ type, ...payload })}\n\n`)
  }

  end(): void {
    if (!this.closed) this.res.end()
  }
}

/** Resolves after `ms`, or at once when the signal aborts, so a pause never outlives a stream. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return new Promise((resolve) => setImmediate(resolve))
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}
