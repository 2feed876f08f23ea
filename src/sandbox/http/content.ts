import type { IncomingMessage } from 'node:http'
import { ApiError } from './errors'

export type BodyKind = 'json' | 'form'

interface MediaType {
  type: string
  charset?: string
}

function mediaType(req: IncomingMessage): MediaType | undefined {
  const header = req.headers['content-type']
  if (!header) return undefined
  const [type, ...params] = header.split(';').map((part) => part.trim().toLowerCase())
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '')
  return { type, charset }
}

const isJson = (type: string): boolean =>
  type === 'application/json' || /^application\/[\w.+-]+\+json$/.test(type)

/**
 * Which parser a body needs, checked before the body is read so an unsupported type costs
 * nothing. A body without Content-Type is read as JSON: plenty of small clients omit it.
 */
export function bodyKind(req: IncomingMessage, accepted: readonly BodyKind[]): BodyKind {
  const media = mediaType(req)
  if (media?.charset && media.charset !== 'utf-8' && media.charset !== 'utf8') {
    throw unsupported(`charset ${media.charset} is not supported; send UTF-8`, accepted)
  }
  if (!media || isJson(media.type)) {
    if (accepted.includes('json')) return 'json'
  } else if (media.type === 'application/x-www-form-urlencoded' && accepted.includes('form')) {
    return 'form'
  }
  throw unsupported(`Content-Type ${media?.type ?? '(none)'} is not supported`, accepted)
}

function unsupported(problem: string, accepted: readonly BodyKind[]): ApiError {
  const names = accepted.map((k) =>
    k === 'json' ? 'application/json' : 'application/x-www-form-urlencoded'
  )
  return new ApiError(415, [`${problem}; send ${names.join(' or ')}.`])
}

/** Parses a body already known to be of `kind`. An empty body is undefined. */
export function parseBody(raw: Buffer, kind: BodyKind): unknown {
  if (raw.length === 0) return undefined
  const text = raw.toString('utf8').replace(/^\uFEFF/, '')
  if (kind === 'form') return Object.fromEntries(new URLSearchParams(text))
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    // V8's message quotes a slice of the input, which could be a secret; keep only the position.
    const message = error instanceof Error ? error.message : ''
    const position = /position (\d+)/.exec(message)?.[1]
    const detail = position
      ? `syntax error at position ${position}`
      : /end of (JSON|data) input/i.test(message)
        ? 'unexpected end of input'
        : 'syntax error'
    throw new ApiError(400, [`The request body is not valid JSON: ${detail}.`], {
      fieldErrors: { body: 'is not valid JSON' }
    })
  }
}
