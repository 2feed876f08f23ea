import type { QueryRequest } from '../vectara'
import { buildQueryRequest, queryUrl, type PlaygroundQuery } from './request'

/** The header Vectara reads an API key from. */
export const API_KEY_HEADER = 'x-api-key'

/** Where every copied snippet reads the key from: the secret itself is never part of one. */
export const KEY_VARIABLE = 'VECTARA_API_KEY'

/** A streamed query answers Server-Sent Events; a plain one answers one JSON document. */
export function queryHeaders(stream: boolean): QueryHeaders {
  return {
    'Content-Type': 'application/json',
    Accept: stream ? 'text/event-stream' : 'application/json'
  }
}

export interface QueryHeaders {
  'Content-Type': 'application/json'
  Accept: 'text/event-stream' | 'application/json'
}

/** One playground query as an HTTP request: everything but the key's secret. */
export interface QueryHttpRequest {
  method: 'POST'
  url: string
  /** Every header but `x-api-key`, which each caller adds from where it keeps the key. */
  headers: QueryHeaders
  body: QueryRequest
  stream: boolean
}

/**
 * The request main sends for a playground run (`POST /v2/query` with this body and these
 * headers), described once so the code the app copies is the request the app makes.
 */
export function buildQueryHttpRequest({
  baseUrl,
  query
}: {
  baseUrl: string
  query: PlaygroundQuery
}): QueryHttpRequest {
  const body = buildQueryRequest(query)
  const stream = body.stream_response === true
  return { method: 'POST', url: queryUrl(baseUrl), headers: queryHeaders(stream), body, stream }
}
