/**
 * The copied code against a live Sandbox: the seeded "website-search" Query key runs a query
 * through the app's own path (playground.run → PlaygroundService → VectaraClient), then the
 * JavaScript, Python and cURL snippets of the same form run with only VECTARA_API_KEY set and
 * must see the same results.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CallOutput } from '@shared/contract'
import { buildQueryHttpRequest, type QueryHttpRequest } from '@shared/playground/httpRequest'
import type { PlaygroundOptions } from '@shared/playground/options'
import { buildSnippet, type SnippetId } from '@shared/playground/snippets'
import { runInput, startApp, type TestApp } from './helpers'
import { havePythonRequests, resultCountOf, runSnippet, type SnippetRun } from './snippetRunner'

const KEY_NAME = 'website-search'
const QUESTION = 'How long does the battery last?'

let app: TestApp
let keyId: string
let secret: string
let corpusKey: string

beforeAll(async () => {
  app = await startApp()
  const { keys } = await app.call('keys.refresh', { accountId: 'sandbox' })
  const key = keys.find((k) => k.name === KEY_NAME)
  if (!key) throw new Error(`The Sandbox seeds a "${KEY_NAME}" key; it was not listed.`)
  expect(key.kind).toBe('query')
  keyId = key.id
  corpusKey = key.corpora![0]
  // "Reveal" fetches the secret from the API into the keychain, as a user would.
  secret = (await app.call('keys.revealSecret', { accountId: 'sandbox', keyId })).secret
})
afterAll(async () => {
  await app.core.close()
})

/** The app's own run, and the request its snippets are built from. */
async function appRun(options: Partial<PlaygroundOptions>): Promise<{
  result: CallOutput<'playground.run'>
  request: QueryHttpRequest
}> {
  const input = runInput(keyId, [corpusKey], QUESTION, options)
  const result = await app.call('playground.run', input)
  expect(result.error).toBeUndefined()
  const request = buildQueryHttpRequest({
    baseUrl: app.core.sandbox.url(),
    query: { query: input.query, corpusKeys: input.corpusKeys, options: input.options }
  })
  // The very request main sent: same URL, same body.
  expect(request.url).toBe(result.request.url)
  expect(request.body).toEqual(result.request.body)
  expect(request.stream).toBe(result.request.streamed)
  return { result, request }
}

/** cURL prints what the API answered: the JSON document, or the raw event stream. */
function curlResults(run: SnippetRun, stream: boolean): { count: number; first?: string } {
  const results = stream
    ? (
        run.stdout
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => JSON.parse(line.slice('data:'.length)) as { type: string })
          .find((event) => event.type === 'search_results') as
          { search_results: { text: string }[] } | undefined
      )?.search_results
    : (JSON.parse(run.stdout) as { search_results: { text: string }[] }).search_results
  if (!results) throw new Error(`No search results in the cURL output:\n${run.stdout}`)
  return { count: results.length, first: results[0]?.text }
}

function firstResultOf(run: SnippetRun): string | undefined {
  return /^First result: (.*)$/m.exec(run.stdout)?.[1]
}

const snippets: { id: SnippetId; available: boolean }[] = [
  { id: 'javascript', available: true },
  { id: 'python', available: havePythonRequests },
  { id: 'curl', available: true }
]

describe.each([
  { mode: 'plain', options: { stream: false, generation: true } },
  { mode: 'streamed', options: { stream: true, generation: true } },
  { mode: 'plain search only', options: { stream: false, generation: false, limit: 3 } }
])('the $mode request', ({ options }) => {
  let own: { result: CallOutput<'playground.run'>; request: QueryHttpRequest }
  beforeAll(async () => {
    own = await appRun(options)
    expect(own.result.answer.searchResults.length).toBeGreaterThan(0)
  })

  for (const { id, available } of snippets) {
    it.runIf(available)(`${id} gets the same results as the app`, async () => {
      const run = await runSnippet(id, buildSnippet(own.request, id).code, secret)
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      const expected = own.result.answer.searchResults
      if (id === 'curl') {
        const got = curlResults(run, own.request.stream)
        expect(got.count).toBe(expected.length)
        expect(got.first).toBe(expected[0].text)
        return
      }
      expect(resultCountOf(run)).toBe(expected.length)
      expect(firstResultOf(run)).toBe(expected[0].text)
      if (options.generation) expect(run.stdout).toMatch(/^Summary: .+$/m)
      else expect(run.stdout).not.toContain('Summary:')
    })
  }
})

describe('without the key', () => {
  it('the JavaScript snippet with a wrong key reports the 401 it got', async () => {
    const { request } = await appRun({ stream: false, generation: false })
    const run = await runSnippet('javascript', buildSnippet(request, 'javascript').code, 'zqt_no')
    expect(run.code).not.toBe(0)
    expect(run.stderr).toContain('HTTP 401')
  })
})
