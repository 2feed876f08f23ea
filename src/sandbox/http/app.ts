import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { authenticate } from '../auth/authenticate'
import type { SandboxServices } from '../services'
import {
  BODY_TIMEOUT_MS,
  ClientGone,
  MAX_BODY_BYTES,
  checkDeclaredLength,
  discardRest,
  readBody
} from './body'
import { bodyKind, parseBody } from './content'
import { ApiError } from './errors'
import { errorReply, send } from './respond'
import type { PublicContext, Route, Router } from './router'

export interface AppOptions {
  router: Router
  services: SandboxServices
  /** Aborted when the Sandbox shuts down: ends streams and pending work. */
  shutdown: AbortSignal
  maxBodyBytes?: number
  bodyTimeoutMs?: number
}

/**
 * The request pipeline, in the order a real API gateway answers: route (404/405), declared size
 * (413), credentials (401), content type (415), body (413/408/400), then the handler. Nothing a
 * client sends can make it throw past this function.
 */
export function createRequestListener(
  options: AppOptions
): (req: IncomingMessage, res: ServerResponse) => void {
  const maxBytes = options.maxBodyBytes ?? MAX_BODY_BYTES
  const timeoutMs = options.bodyTimeoutMs ?? BODY_TIMEOUT_MS
  const { services } = options

  return (req, res) => {
    const requestId = randomUUID()
    const started = performance.now()
    res.setHeader('x-request-id', requestId)
    res.on('finish', () => {
      const ms = (performance.now() - started).toFixed(1)
      services.log.debug(`${req.method} ${pathOnly(req.url)} -> ${res.statusCode} in ${ms} ms`)
    })
    handle(req, res, requestId).catch((error: unknown) => fail(req, res, requestId, error))
  }

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string
  ): Promise<void> {
    if (options.shutdown.aborted) throw new ApiError(503, ['The Sandbox is shutting down.'])
    const { segments, query } = parseTarget(req.url ?? '/')
    const method = (req.method ?? 'GET').toUpperCase()
    const match = options.router.match(method, segments)
    if (!match) throw new ApiError(404, [`No such endpoint: ${method} ${pathOnly(req.url)}`])
    if (!('route' in match)) {
      throw new ApiError(405, [`${method} is not allowed here; use ${match.allowed.join(', ')}.`], {
        headers: { allow: match.allowed.join(', ') }
      })
    }
    const { route, params } = match
    if (route.body) checkDeclaredLength(req, maxBytes)
    const principal = route.auth
      ? authenticate(req.headers, services.store, services.propagation)
      : undefined
    const body = route.body ? await readRequestBody(req, route) : undefined

    const abort = new AbortController()
    const onClose = (): void => {
      if (!res.writableFinished) abort.abort()
    }
    res.on('close', onClose)
    const ctx: PublicContext = {
      req,
      res,
      requestId,
      params,
      query,
      body,
      services,
      signal: AbortSignal.any([abort.signal, options.shutdown])
    }
    const reply = route.auth
      ? await route.handle({ ...ctx, principal: principal! })
      : await route.handle(ctx)
    if (reply) send(res, reply)
  }

  async function readRequestBody(req: IncomingMessage, route: Route): Promise<unknown> {
    const kind = bodyKind(req, route.body!)
    return parseBody(await readBody(req, { maxBytes, timeoutMs }), kind)
  }

  function fail(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    error: unknown
  ): void {
    if (error instanceof ClientGone) {
      req.socket.destroy()
      return
    }
    if (!(error instanceof ApiError)) {
      services.log.error(`${req.method} ${pathOnly(req.url)} failed`, error)
      error = new ApiError(500, [
        'The Sandbox hit an internal error; the request was not completed.'
      ])
    }
    const apiError = error as ApiError
    if (res.headersSent) {
      // A stream already started: the status line is gone, so all that is left is to end it.
      res.end()
      return
    }
    const reply = errorReply(apiError, requestId)
    if (apiError.status === 408) {
      reply.headers = { ...reply.headers, connection: 'close' }
    }
    send(res, reply)
    if (apiError.status === 413) discardRest(req)
  }
}

/** Only the path, never the query string: it may carry user text. */
function pathOnly(url: string | undefined): string {
  return (url ?? '/').split('?')[0].slice(0, 200)
}

function parseTarget(url: string): { segments: string[]; query: URLSearchParams } {
  if (!url.startsWith('/'))
    throw new ApiError(400, ['The request target must be a path starting with "/".'])
  const at = url.indexOf('?')
  const path = at === -1 ? url : url.slice(0, at)
  const query = new URLSearchParams(at === -1 ? '' : url.slice(at + 1))
  try {
    const segments = path
      .split('/')
      .filter(Boolean)
      .map((segment) => decodeURIComponent(segment))
    return { segments, query }
  } catch {
    throw new ApiError(400, ['The path contains malformed percent-encoding.'])
  }
}
