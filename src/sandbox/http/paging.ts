import type { Params } from './params'

/**
 * Page keys are opaque to clients (Vectara's look like base64 JSON, e.g. "eyJvZmZzZXQiOjF9";
 * docs/vectara-api.md#pagination).
 * Ours carry the sequence number of the last row served, so paging stays stable while rows are
 * added or deleted between requests.
 */
interface PageCursor {
  after: number
}

export function encodePageKey(after: number): string {
  return Buffer.from(JSON.stringify({ after } satisfies PageCursor)).toString('base64url')
}

export function decodePageKey(key: string): number | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(key, 'base64url').toString('utf8'))
    const after = (parsed as Partial<PageCursor> | null)?.after
    return typeof after === 'number' && Number.isSafeInteger(after) ? after : undefined
  } catch {
    return undefined
  }
}

export interface PageRequest {
  limit: number
  /** Sequence number of the last row already served; absent for the first page. */
  after?: number
}

export function readPageRequest(params: Params, maxLimit: number, defaultLimit = 10): PageRequest {
  const limit = params.int('limit', { min: 1, max: maxLimit, default: defaultLimit })
  const key = params.raw('page_key')
  if (key === undefined) return { limit }
  const after = key.length <= 200 ? decodePageKey(key) : undefined
  if (after === undefined) params.fail('page_key', 'is not a page key this server issued')
  return { limit, after }
}

export interface Page<T> {
  items: T[]
  /** Present only when another page exists: the spec types it as a string, never null. */
  pageKey?: string
}

/**
 * Builds a page from rows fetched with LIMIT `limit + 1`: the extra row only tells whether a
 * next page exists, so no count query is needed.
 */
export function toPage<R extends { seq: number }, T>(
  rows: R[],
  limit: number,
  map: (row: R) => T
): Page<T> {
  const items = rows.slice(0, limit)
  const more = rows.length > limit
  return {
    items: items.map(map),
    pageKey: more ? encodePageKey(items[items.length - 1].seq) : undefined
  }
}

export const listMetadata = (page: Page<unknown>): { page_key?: string } =>
  page.pageKey === undefined ? {} : { page_key: page.pageKey }
