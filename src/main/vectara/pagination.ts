import { VectaraError } from './errors'

export interface Page<T> {
  items: T[]
  /** Absent (or null/empty from the server) on the last page. */
  nextPageKey?: string
}

/**
 * Follows `metadata.page_key` until the server stops sending one. A key seen before would loop
 * forever, so it is an error rather than a hang.
 */
export async function* paginate<T>(
  fetchPage: (pageKey: string | undefined) => Promise<Page<T>>
): AsyncGenerator<T[], void, undefined> {
  const seen = new Set<string>()
  let pageKey: string | undefined
  do {
    const page = await fetchPage(pageKey)
    yield page.items
    pageKey = page.nextPageKey || undefined
    if (pageKey !== undefined) {
      if (seen.has(pageKey)) {
        throw new VectaraError(
          'API_INVALID_RESPONSE',
          'The API sent a page key it had already sent; the listing stopped instead of looping.'
        )
      }
      seen.add(pageKey)
    }
  } while (pageKey !== undefined)
}

export async function collectPages<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = []
  for await (const items of pages) all.push(...items)
  return all
}
