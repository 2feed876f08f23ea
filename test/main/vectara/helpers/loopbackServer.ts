import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { afterEach } from 'vitest'

export interface RecordedRequest {
  method: string
  /** Path and query string as received. */
  url: string
  headers: IncomingMessage['headers']
  body: string
}

export type Responder = (
  request: RecordedRequest,
  res: ServerResponse,
  raw: IncomingMessage
) => void | Promise<void>

export interface LoopbackServer {
  url: string
  requests: RecordedRequest[]
  /** Requests whose path (without query) equals `path`. */
  hits(path: string): RecordedRequest[]
  close(): Promise<void>
}

/** A real HTTP server on 127.0.0.1 that records every request and answers through `respond`. */
export async function startLoopbackServer(respond: Responder): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  const server = createServer((raw, res) => {
    const chunks: Buffer[] = []
    raw.on('data', (chunk: Buffer) => chunks.push(chunk))
    raw.on('end', () => {
      const request: RecordedRequest = {
        method: raw.method ?? '',
        url: raw.url ?? '',
        headers: raw.headers,
        body: Buffer.concat(chunks).toString('utf8')
      }
      requests.push(request)
      Promise.resolve(respond(request, res, raw)).catch((error: unknown) => {
        res.destroy(error instanceof Error ? error : undefined)
      })
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    hits: (path) => requests.filter((r) => r.url.split('?')[0] === path),
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(text)
}

/** Answers the n-th request with the n-th responder; the last one answers everything after. */
export function inSequence(...responders: Responder[]): Responder {
  let index = 0
  return (request, res, raw) => {
    const responder = responders[Math.min(index, responders.length - 1)]
    index++
    return responder(request, res, raw)
  }
}

/** Server-Sent Events framed as Vectara does: `event:<type>\ndata:<json>\n\n`. */
export function sseFrame(type: string, data: Record<string, unknown> = {}): string {
  return `event:${type}\ndata:${JSON.stringify({ type, ...data })}\n\n`
}

export function startEventStream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
  res.flushHeaders()
}

export const delay = (ms: number): Promise<void> =>
  new Promise((resolve) => setTimeout(resolve, ms))

export function sendEmpty(
  res: ServerResponse,
  status = 204,
  headers: Record<string, string> = {}
): void {
  res.writeHead(status, headers)
  res.end()
}

/**
 * For a test file: `serve(responder)` starts a loopback server, closed after each test.
 * Call once at the top level of the file.
 */
export function useLoopbackServer(): (respond: Responder) => Promise<LoopbackServer> {
  let server: LoopbackServer | undefined
  afterEach(async () => {
    await server?.close()
    server = undefined
  })
  return async (respond) => {
    server = await startLoopbackServer(respond)
    return server
  }
}
