import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Principal } from '../auth/principal'
import type { SandboxServices } from '../services'
import type { BodyKind } from './content'
import type { Reply } from './respond'

export interface PublicContext {
  req: IncomingMessage
  res: ServerResponse
  requestId: string
  params: Record<string, string>
  query: URLSearchParams
  body: unknown
  services: SandboxServices
  /** Aborted when the client disconnects or the Sandbox shuts down. */
  signal: AbortSignal
}

export interface RouteContext extends PublicContext {
  principal: Principal
}

/** A handler returns the reply, or undefined when it wrote the response itself (SSE). */
type Result = Reply | undefined | Promise<Reply | undefined>

export type Route =
  | {
      method: string
      path: string
      auth: true
      body?: readonly BodyKind[]
      handle(ctx: RouteContext): Result
    }
  | {
      method: string
      path: string
      auth: false
      body?: readonly BodyKind[]
      handle(ctx: PublicContext): Result
    }

export type Match =
  { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined

interface Compiled {
  route: Route
  segments: string[]
}

/** Paths are matched on decoded segments, so `doc%2F123` is one segment holding `doc/123`. */
export class Router {
  private readonly routes: Compiled[] = []

  add(...routes: Route[]): this {
    for (const route of routes)
      this.routes.push({ route, segments: route.path.split('/').filter(Boolean) })
    return this
  }

  match(method: string, segments: string[]): Match {
    const allowed: string[] = []
    for (const { route, segments: pattern } of this.routes) {
      const params = matchSegments(pattern, segments)
      if (!params) continue
      if (route.method === method) return { route, params }
      allowed.push(route.method)
    }
    return allowed.length ? { allowed } : undefined
  }
}

function matchSegments(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined
  const params: Record<string, string> = {}
  for (let i = 0; i < pattern.length; i++) {
    if (pattern[i].startsWith(':')) params[pattern[i].slice(1)] = segments[i]
    else if (pattern[i] !== segments[i]) return undefined
  }
  return params
}
