import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildCurl, shellQuote } from '@shared/playground/curl'
import { defaultPlaygroundOptions } from '@shared/playground/options'
import { buildQueryRequest, queryUrl } from '@shared/playground/request'
import { createQueryKey, startApp, type TestApp } from './helpers'

const run = promisify(execFile)

describe('buildCurl', () => {
  const body = buildQueryRequest({
    query: 'it\'s $HOME `whoami` \\ "quoted"\nnext line',
    corpusKeys: ['employee-handbook'],
    options: { ...defaultPlaygroundOptions, stream: false }
  })

  it('reads the key from $VECTARA_API_KEY and carries the exact JSON body', () => {
    const curl = buildCurl({ url: 'https://api.vectara.io/v2/query', body, stream: false })
    expect(curl).toContain(`-H "x-api-key: $VECTARA_API_KEY"`)
    expect(curl).toContain(`-H 'Content-Type: application/json'`)
    expect(curl).toContain(`-H 'Accept: application/json'`)
    expect(curl).toContain(`--data-raw ${shellQuote(JSON.stringify(body))}`)
    expect(curl).not.toContain(' -N ')
    const streamed = buildCurl({ url: 'https://api.vectara.io/v2/query', body, stream: true })
    expect(streamed).toMatch(/^curl -sS -N -X POST/)
    expect(streamed).toContain(`-H 'Accept: text/event-stream'`)
  })

  it('never contains a secret, even one typed into the query', () => {
    const secret = 'zqt_SecretValueThatMustNotLeak123'
    const leaky = buildQueryRequest({
      query: `my key is ${secret}`,
      corpusKeys: ['c'],
      options: defaultPlaygroundOptions
    })
    const curl = buildCurl({ url: 'https://api.vectara.io/v2/query', body: leaky, stream: true })
    expect(curl).not.toContain(secret)
    expect(curl).not.toContain('SecretValueThatMustNotLeak123')
  })

  it('never contains a secret typed after a tab or a newline, where quoting hides the boundary', () => {
    const secret = 'zqt_SecretAfterAnEscapeMustNotLeak'
    const leaky = buildQueryRequest({
      query: `tab\t${secret} newline\n${secret}`,
      corpusKeys: ['c'],
      options: { ...defaultPlaygroundOptions, metadataFilter: `x = '\u0001${secret}'` }
    })
    const curl = buildCurl({ url: 'https://api.vectara.io/v2/query', body: leaky, stream: false })
    expect(curl).not.toContain('SecretAfterAnEscapeMustNotLeak')
    expect(curl).toContain('tab\\tzqt_[redacted]')
  })

  it('quotes a value so the shell sees it unchanged', async () => {
    const value = `a'b "c" $d \`e\` \\f\ng`
    const { stdout } = await run('sh', ['-c', `printf %s ${shellQuote(value)}`])
    expect(stdout).toBe(value)
  })
})

describe('the copied cURL works against the Sandbox', () => {
  let app: TestApp
  let secret: string
  beforeAll(async () => {
    app = await startApp()
    secret = (await createQueryKey(app, 'curl key', ['employee-handbook'])).secret
  })
  afterAll(async () => {
    await app.core.close()
  })

  for (const stream of [false, true]) {
    it(`${stream ? 'streamed' : 'plain'} request`, async () => {
      const body = buildQueryRequest({
        query: "What's the parental leave?",
        corpusKeys: ['employee-handbook'],
        options: { ...defaultPlaygroundOptions, stream }
      })
      const curl = buildCurl({ url: queryUrl(app.core.sandbox.url()), body, stream })
      const { stdout } = await run('sh', ['-c', curl], {
        env: { ...process.env, VECTARA_API_KEY: secret }
      })
      if (stream) {
        expect(stdout).toMatch(/^event:search_results\ndata:\{/)
        expect(stdout).toContain('event:generation_chunk')
        expect(stdout.trim().endsWith('data:{"type":"end"}')).toBe(true)
      } else {
        const json = JSON.parse(stdout) as { search_results: unknown[]; summary: string }
        expect(json.search_results.length).toBeGreaterThan(0)
        expect(json.summary).toEqual(expect.any(String))
      }
    })
  }

  it('without the variable set, the Sandbox answers 401', async () => {
    const body = buildQueryRequest({
      query: 'x',
      corpusKeys: ['employee-handbook'],
      options: defaultPlaygroundOptions
    })
    const curl = buildCurl({ url: queryUrl(app.core.sandbox.url()), body, stream: false })
    const env = { ...process.env }
    delete env.VECTARA_API_KEY
    const { stdout } = await run('sh', ['-c', `${curl} -w '\\n%{http_code}'`], { env })
    expect(stdout.trim().split('\n').at(-1)).toBe('401')
  })
})
