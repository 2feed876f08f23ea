import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildQueryHttpRequest, type QueryHttpRequest } from '@shared/playground/httpRequest'
import { defaultPlaygroundOptions, type PlaygroundOptions } from '@shared/playground/options'
import { buildQueryRequest, queryUrl } from '@shared/playground/request'
import { buildSnippet, buildSnippets, type SnippetId } from '@shared/playground/snippets'
import { redactStrings } from '@shared/playground/snippets/redactStrings'
import {
  compilesAsPython,
  havePython,
  havePythonRequests,
  runSnippet,
  sdkCallArguments,
  startCaptureServer
} from './snippetRunner'

/** Everything a shell, JavaScript or Python could trip on, and text beyond ASCII. */
const HOSTILE = [
  `it's "quoted" \\ back\\slash \\n not-a-newline`,
  'real\nnewline\r\nand\ttab',
  '$HOME ${HOME} $(id) `whoami` %s {0} {{x}} \\u0041',
  'Grüße, 東京, émoji 😀 and 𝄞',
  'separators \u2028 \u2029 C1 \u0085 DEL \u007f NUL \u0000',
  '\'\'\'""" </script> # not a comment // nor this'
].join(' | ')

function request(
  options: Partial<PlaygroundOptions> = {},
  query = 'How do I reset my password?',
  baseUrl = 'https://api.vectara.io'
): QueryHttpRequest {
  return buildQueryHttpRequest({
    baseUrl,
    query: {
      query,
      corpusKeys: ['product-faq'],
      options: { ...defaultPlaygroundOptions, ...options }
    }
  })
}

describe('buildQueryHttpRequest', () => {
  it('is the request main sends: POST /v2/query, the shared body, the headers for its mode', () => {
    const query = { query: 'q', corpusKeys: ['a', 'b'], options: defaultPlaygroundOptions }
    const streamed = buildQueryHttpRequest({ baseUrl: 'http://127.0.0.1:4100/', query })
    expect(streamed).toEqual({
      method: 'POST',
      url: queryUrl('http://127.0.0.1:4100/'),
      headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
      body: buildQueryRequest(query),
      stream: true
    })
    expect(streamed.url).toBe('http://127.0.0.1:4100/v2/query')
    const plain = request({ stream: false })
    expect(plain.stream).toBe(false)
    expect(plain.body.stream_response).toBe(false)
    expect(plain.headers.Accept).toBe('application/json')
    expect(JSON.stringify(plain)).not.toContain('x-api-key')
  })
})

describe('buildSnippets', () => {
  it('gives the four tabs in order, each reading the key from VECTARA_API_KEY', () => {
    const snippets = buildSnippets(request())
    expect(snippets.map((s) => [s.id, s.label, s.grammar])).toEqual([
      ['javascript', 'JavaScript', 'javascript'],
      ['python', 'Python', 'python'],
      ['curl', 'cURL', 'bash'],
      ['python-sdk', 'Python SDK', 'python']
    ])
    const code = Object.fromEntries(snippets.map((s) => [s.id, s.code]))
    expect(code.javascript).toContain('const apiKey = process.env.VECTARA_API_KEY')
    expect(code.javascript).toContain('"x-api-key": apiKey,')
    expect(code.javascript).toContain('await fetch("https://api.vectara.io/v2/query", {')
    expect(code.python).toContain('"x-api-key": os.environ["VECTARA_API_KEY"],')
    expect(code.python).toContain('requests.post(url, headers=headers, json=body')
    expect(code.curl).toContain('-H "x-api-key: $VECTARA_API_KEY"')
    expect(code['python-sdk']).toContain('client = Vectara(api_key=os.environ["VECTARA_API_KEY"])')
    for (const snippet of snippets) expect(snippet.hint).not.toBe('')
  })

  it('follows the mode: a streamed request reads events, a plain one reads JSON', () => {
    const streamed = Object.fromEntries(buildSnippets(request()).map((s) => [s.id, s.code]))
    expect(streamed.javascript).toContain('"Accept": "text/event-stream"')
    expect(streamed.javascript).toContain('response.body.getReader()')
    expect(streamed.python).toContain('stream=True')
    expect(streamed.python).toContain('response.iter_lines()')
    expect(streamed.curl).toMatch(/^curl -sS -N -X POST/)
    expect(streamed['python-sdk']).toContain('in client.query_stream(\n')
    const plain = Object.fromEntries(
      buildSnippets(request({ stream: false })).map((s) => [s.id, s.code])
    )
    expect(plain.javascript).toContain('"Accept": "application/json"')
    expect(plain.javascript).toContain('await response.json()')
    expect(plain.javascript).not.toContain('getReader')
    expect(plain.python).not.toContain('stream=True')
    expect(plain.curl).not.toContain(' -N ')
    expect(plain['python-sdk']).toContain('response = client.query(\n')
    expect(plain['python-sdk']).not.toContain('query_stream')
  })

  it('never contains a secret, even one typed into the query, the filter or the address', () => {
    const secrets = [
      'zqt_SecretQueryKeyMustNotLeak01',
      'zut_SecretPersonalKeyMustNotLeak02',
      'zwt_SecretIndexKeyMustNotLeak03',
      'BearerTokenValueMustNotLeak04'
    ]
    // After a tab or a newline the quoted text reads \tzqt_…, where a plain redaction misses it.
    const leaky = request(
      { metadataFilter: `doc.k = '\t${secrets[1]}'` },
      `my key\t${secrets[0]}\n${secrets[2]} and Authorization: Bearer ${secrets[3]}`,
      `https://${secrets[0]}@api.example.com`
    )
    for (const snippet of buildSnippets(leaky)) {
      for (const secret of secrets) expect(snippet.code, snippet.label).not.toContain(secret)
      expect(snippet.code).toContain('zqt_[redacted]')
    }
  })

  it('builds one snippet on its own, the same as in the set', () => {
    const all = buildSnippets(request())
    for (const snippet of all) expect(buildSnippet(request(), snippet.id)).toEqual(snippet)
    expect(() => buildSnippet(request(), 'ruby' as SnippetId)).toThrow('There is no "ruby"')
  })
})

describe('the SDK snippet', () => {
  it('passes the body as SDK objects: corpora, context, reranker, generation', () => {
    const code = buildSnippet(
      request({ reranker: 'mmr', diversityBias: 0.4, metadataFilter: "doc.lang = 'en'" }),
      'python-sdk'
    ).code
    expect(code).toMatch(/from vectara import \(\n(\s+\w+,\n)+\)/)
    for (const name of [
      'CitationParameters',
      'ContextConfiguration',
      'GenerationParameters',
      'KeyedSearchCorpus',
      'MmrReranker',
      'SearchCorporaParameters',
      'Vectara'
    ]) {
      expect(code).toContain(`    ${name},\n`)
    }
    expect(code).toContain('corpus_key="product-faq"')
    expect(code).toContain('query="How do I reset my password?"')
    expect(code).toContain('reranker=MmrReranker(\n            diversity_bias=0.4,\n        ),')
    expect(code).not.toContain('type=')
    expect(code).toContain(`metadata_filter="doc.lang = 'en'"`)
    expect(code).toContain(
      'In newer SDK versions the same call is client.queries.query_stream(...)'
    )
  })

  it('leaves generation out when the body has none, and says what it cannot pass', () => {
    const code = buildSnippet(
      request({ generation: false, saveHistory: true, stream: false }),
      'python-sdk'
    ).code
    expect(code).not.toContain('generation=')
    expect(code).not.toContain('GenerationParameters')
    expect(code).toContain('# The app also sends "save_history": true in the body')
  })

  it('says how to reach the Sandbox instead of guessing one SDK version', () => {
    const sandbox = buildSnippet(request({}, 'q', 'http://127.0.0.1:4100'), 'python-sdk').code
    expect(sandbox).toContain('# This request goes to "http://127.0.0.1:4100"')
    expect(sandbox).toContain('environment=VectaraEnvironment(default="http://127.0.0.1:4100"')
    expect(sandbox).toContain('client = Vectara(api_key=os.environ["VECTARA_API_KEY"])')
    const production = buildSnippet(request(), 'python-sdk').code
    expect(production).not.toContain('VectaraEnvironment')
  })

  describe.runIf(havePython)('with python3', () => {
    for (const stream of [false, true]) {
      it(`compiles and carries the exact strings (${stream ? 'streamed' : 'plain'})`, () => {
        const hostile = request({ stream, metadataFilter: HOSTILE }, HOSTILE)
        const code = buildSnippet(hostile, 'python-sdk').code
        const compiled = compilesAsPython(code)
        expect(compiled.error).toBe('')
        expect(compiled.ok).toBe(true)
        const call = sdkCallArguments(code)
        expect(call.method).toBe(stream ? 'query_stream' : 'query')
        expect(call.arguments).toMatchObject({
          query: HOSTILE,
          search: {
            __class__: 'SearchCorporaParameters',
            corpora: [
              {
                __class__: 'KeyedSearchCorpus',
                corpus_key: 'product-faq',
                metadata_filter: HOSTILE,
                lexical_interpolation: defaultPlaygroundOptions.lexicalInterpolation
              }
            ],
            offset: 0,
            limit: 10,
            context_configuration: { __class__: 'ContextConfiguration', start_tag: '<em>' }
          },
          generation: {
            __class__: 'GenerationParameters',
            citations: { __class__: 'CitationParameters', style: 'numeric' },
            enable_factual_consistency_score: true
          }
        })
      })
    }
  })
})

describe('snippets on the wire', () => {
  let server: Awaited<ReturnType<typeof startCaptureServer>>
  const KEY = 'test-key-for-the-capture-server'
  beforeAll(async () => {
    server = await startCaptureServer()
  })
  afterAll(async () => {
    await server.close()
  })

  const runnable: { id: SnippetId; available: boolean }[] = [
    { id: 'javascript', available: true },
    { id: 'python', available: havePythonRequests },
    { id: 'curl', available: true }
  ]

  for (const { id, available } of runnable) {
    for (const stream of [false, true]) {
      it.runIf(available)(
        `${id} (${stream ? 'streamed' : 'plain'}) sends exactly the body, headers and key`,
        async () => {
          const sent = request({ stream, metadataFilter: HOSTILE }, HOSTILE, server.url)
          const run = await runSnippet(id, buildSnippet(sent, id).code, KEY)
          expect(run.stderr).toBe('')
          expect(run.code).toBe(0)
          const captured = server.requests.at(-1)!
          expect(captured.method).toBe('POST')
          expect(captured.url).toBe('/v2/query')
          expect(JSON.parse(captured.body)).toEqual(sent.body)
          expect(captured.headers['x-api-key']).toBe(KEY)
          expect(captured.headers['content-type']).toBe('application/json')
          expect(captured.headers.accept).toBe(sent.headers.Accept)
          if (id === 'curl') {
            expect(run.stdout).toContain(stream ? 'event:search_results' : '"search_results"')
          } else {
            expect(run.stdout).toContain('Search results: 2\nFirst result: First <em>match</em>\n')
            expect(run.stdout).toContain('Summary: Twenty weeks [1].\n')
            expect(run.stdout).toContain('Factual consistency score: 0.75\n')
          }
        }
      )
    }

    it.runIf(available)(`${id} sends a redacted query when a key was typed into it`, async () => {
      const sent = request({ stream: false }, 'leak zqt_TypedIntoTheQueryBox99', server.url)
      const run = await runSnippet(id, buildSnippet(sent, id).code, KEY)
      expect(run.code).toBe(0)
      const body = JSON.parse(server.requests.at(-1)!.body) as { query: string }
      expect(body).toEqual(redactStrings(sent.body))
      expect(body.query).toBe('leak zqt_[redacted]')
    })
  }

  it('the JavaScript snippet says what is missing when VECTARA_API_KEY is not set', async () => {
    const before = server.requests.length
    const run = await runSnippet('javascript', buildSnippet(request(), 'javascript').code, null)
    expect(run.code).not.toBe(0)
    expect(run.stderr).toContain('Set the VECTARA_API_KEY environment variable to your API key.')
    expect(server.requests.length).toBe(before)
  })

  it.runIf(havePythonRequests)('the Python snippet stops at the missing variable', async () => {
    const before = server.requests.length
    const code = buildSnippet(request({}, 'q', server.url), 'python').code
    const run = await runSnippet('python', code, null)
    expect(run.code).not.toBe(0)
    expect(run.stderr).toContain("KeyError: 'VECTARA_API_KEY'")
    expect(server.requests.length).toBe(before)
  })
})
