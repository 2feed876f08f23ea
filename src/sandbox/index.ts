import { createServer, type Server } from 'node:http'
import type { Socket } from 'node:net'
import { createLogger } from '../main/log'
import { createRequestListener } from './http/app'
import { answerClientError } from './http/clientError'
import { Router } from './http/router'
import { checkMs, resolveOptions, type SandboxOptions } from './options'
import { apiKeyRoutes } from './routes/apiKeys'
import { corpusRoutes } from './routes/corpora'
import { documentRoutes } from './routes/documents'
import { oauthRoutes } from './routes/oauth'
import { queryRoutes } from './routes/query'
import { queryHistoryRoutes } from './routes/queryHistory'
import { SearchEngine } from './search/engine'
import { adoptAdminKey, ensureSeeded } from './seed'
import { StreamSlots, type SandboxServices } from './services'
import { openStore } from './store/openStore'

export type { SandboxOptions } from './options'

export interface SandboxHandle {
  /** e.g. `http://127.0.0.1:49152`, no trailing slash. */
  url: string
  port: number
  /** Secret of the admin Personal key (the seeded one, or the one adopted since). */
  readonly personalKey: string
  /** The seeded OAuth app client; it acts with Personal-key rights. */
  oauthClient: { clientId: string; clientSecret: string }
  setPropagationMs(ms: number): void
  /**
   * The embedding app rotated its admin key: the live Personal key with this secret becomes the
   * admin key, now and after a restart on the same data folder. Throws when there is none.
   */
  adoptPersonalKey(secret: string): void
  /** Paces streamed generation chunks from the next stream on (tests slow it down to watch). */
  setStreamChunkDelayMs(ms: number): void
  /** Ends streams, closes every socket, then the database. Safe to call more than once. */
  close(): Promise<void>
}

/** How long in-flight requests get to finish on close before their sockets are cut. */
const CLOSE_GRACE_MS = 2_000

export function createRouter(): Router {
  return new Router().add(
    ...apiKeyRoutes,
    ...corpusRoutes,
    ...documentRoutes,
    ...queryRoutes,
    ...queryHistoryRoutes,
    ...oauthRoutes
  )
}

/** Starts a Vectara-compatible API on loopback, seeded on first start. */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const resolved = resolveOptions(options)
  const log = options.logger ?? createLogger()
  const store = openStore(resolved.dataDir)
  let propagationMs = resolved.propagationMs
  let streamChunkDelayMs = resolved.streamChunkDelayMs
  try {
    const seeded = ensureSeeded(
      store,
      {
        demoData: resolved.seed,
        extraKeys: resolved.seedKeys,
        personalKey: resolved.personalKey,
        now: resolved.now()
      },
      log
    )
    const services: SandboxServices = {
      store,
      search: new SearchEngine(store.db, store.documents),
      propagation: { now: resolved.now, delayMs: () => propagationMs },
      now: resolved.now,
      streams: new StreamSlots(resolved.maxConcurrentStreams),
      streamChunkDelayMs: () => streamChunkDelayMs,
      log
    }
    const shutdown = new AbortController()
    const listener = createRequestListener({
      router: createRouter(),
      services,
      shutdown: shutdown.signal,
      bodyTimeoutMs: resolved.bodyTimeoutMs
    })
    const server = createServer({
      requestTimeout: 60_000,
      headersTimeout: 15_000,
      keepAliveTimeout: 5_000,
      noDelay: true
    })
    const sockets = new Set<Socket>()
    let inFlight = 0
    server.on('connection', (socket) => {
      sockets.add(socket)
      socket.on('close', () => sockets.delete(socket))
    })
    server.on('request', (req, res) => {
      inFlight++
      res.on('close', () => inFlight--)
      listener(req, res)
    })
    // A request Node cannot parse must not surface as an unhandled error.
    server.on('clientError', answerClientError)
    const port = await listen(server, resolved.port, resolved.host)
    const host = resolved.host.includes(':') ? `[${resolved.host}]` : resolved.host

    let closing: Promise<void> | undefined
    const close = (): Promise<void> => {
      closing ??= (async () => {
        shutdown.abort()
        const closed = new Promise<void>((resolve) => server.close(() => resolve()))
        server.closeIdleConnections()
        const deadline = Date.now() + CLOSE_GRACE_MS
        while (inFlight > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
        server.closeAllConnections()
        for (const socket of sockets) socket.destroy()
        await closed
        store.db.close()
      })()
      return closing
    }

    let personalKey = seeded.personalKey
    return {
      // eslint-disable-next-line @microsoft/sdl/no-insecure-url -- a local test server; TLS would buy nothing on loopback
      url: `http://${host}:${port}`,
      port,
      get personalKey() {
        return personalKey
      },
      oauthClient: {
        clientId: seeded.oauthClient.clientId,
        clientSecret: seeded.oauthClient.clientSecret
      },
      adoptPersonalKey(secret: string) {
        adoptAdminKey(store, secret)
        personalKey = secret
      },
      setPropagationMs(ms: number) {
        propagationMs = checkMs('propagationMs', ms)
      },
      setStreamChunkDelayMs(ms: number) {
        streamChunkDelayMs = checkMs('streamChunkDelayMs', ms)
      },
      close
    }
  } catch (error) {
    store.db.close()
    throw error
  }
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error)
    server.once('error', onError)
    server.listen(port, host, () => {
      server.off('error', onError)
      const address = server.address()
      resolve(typeof address === 'object' && address ? address.port : port)
    })
  })
}
