import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHarness, type Harness } from '../../harness/server'
import { MemorySecretStore } from '../../../src/main/secrets/memorySecretStore'

let harness: Harness
const rendererDir = mkdtempSync(join(tmpdir(), 'vkm-renderer-'))

beforeAll(async () => {
  writeFileSync(
    join(rendererDir, 'index.html'),
    '<!doctype html><html><head><title>x</title></head><body><script type="module" src="/assets/app.js"></script></body></html>'
  )
  mkdirSync(join(rendererDir, 'assets'))
  writeFileSync(join(rendererDir, 'assets/app.js'), 'console.log("app")')
  harness = await startHarness({
    rendererDir,
    bridgeScript: 'window.bridgeLoaded = true',
    secrets: new MemorySecretStore(),
    appVersion: '0.0.1'
  })
})

afterAll(() => harness.close())

const invoke = (headers: Record<string, string>, body = '{}', name = 'app.status') =>
  fetch(`${harness.origin}/__api/invoke/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body
  })

describe('web harness endpoint', () => {
  it('answers a call that carries the token from its own origin', async () => {
    const response = await invoke({ 'x-harness-token': harness.token, origin: harness.origin })
    expect(response.status).toBe(200)
    const result = (await response.json()) as {
      ok: boolean
      value: { runtime: string; appVersion: string }
    }
    expect(result).toMatchObject({ ok: true, value: { runtime: 'harness', appVersion: '0.0.1' } })
  })

  it('refuses calls without the token, or with a wrong one', async () => {
    expect((await invoke({})).status).toBe(403)
    expect((await invoke({ 'x-harness-token': 'nope' })).status).toBe(403)
    expect((await invoke({ 'x-harness-token': harness.token.slice(1) + 'x' })).status).toBe(403)
  })

  it('refuses calls from a foreign origin even with the token', async () => {
    const response = await invoke({
      'x-harness-token': harness.token,
      origin: 'http://evil.example'
    })
    expect(response.status).toBe(403)
  })

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const { request } = await import('node:http')
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        `${harness.origin}/__api/invoke/app.status`,
        { method: 'POST', headers: { host: 'evil.example', 'x-harness-token': harness.token } },
        (res) => resolve(res.statusCode ?? 0)
      )
      req.on('error', reject)
      req.end('{}')
    })
    expect(status).toBe(403)
  })

  it('answers malformed bodies with 400 and malformed inputs with BAD_INPUT', async () => {
    expect((await invoke({ 'x-harness-token': harness.token }, '{not json')).status).toBe(400)
    const result = await (
      await invoke({ 'x-harness-token': harness.token }, '{"input": {"x": 1}}')
    ).json()
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } })
    const unknown = await (
      await invoke({ 'x-harness-token': harness.token }, '{}', 'keys.nuke')
    ).json()
    expect(unknown).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } })
  })

  it('serves the page only with the token, with the bridge injected before the app script', async () => {
    expect((await fetch(`${harness.origin}/`)).status).toBe(403)
    const page = await fetch(harness.url)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'")
    const html = await page.text()
    expect(html.indexOf('/__harness/bridge.js')).toBeGreaterThan(0)
    expect(html.indexOf('/__harness/bridge.js')).toBeLessThan(html.indexOf('/assets/app.js'))
    expect(await (await fetch(`${harness.origin}/__harness/bridge.js`)).text()).toBe(
      'window.bridgeLoaded = true'
    )
  })

  it('serves built assets and refuses paths outside the renderer folder', async () => {
    const asset = await fetch(`${harness.origin}/assets/app.js`)
    expect(asset.status).toBe(200)
    expect(asset.headers.get('content-type')).toContain('javascript')
    expect((await fetch(`${harness.origin}/assets/..%2f..%2fetc%2fpasswd`)).status).toBe(404)
  })

  it('streams validated events to subscribers as NDJSON', async () => {
    const controller = new AbortController()
    const response = await fetch(`${harness.origin}/__api/events`, {
      headers: { 'x-harness-token': harness.token },
      signal: controller.signal
    })
    expect(response.status).toBe(200)
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
    harness.core.events.emit('app.notice', { level: 'info', message: 'hello from main' })
    let text = ''
    while (!text.includes('hello from main')) {
      const { value, done } = await reader.read()
      if (done) break
      text += value
    }
    controller.abort()
    const line = text.split('\n').find((l) => l.includes('hello'))!
    expect(JSON.parse(line)).toEqual({
      name: 'app.notice',
      payload: { level: 'info', message: 'hello from main' }
    })
  })

  it('refuses the event stream without the token', async () => {
    expect((await fetch(`${harness.origin}/__api/events`)).status).toBe(403)
  })

  it('makes the Sandbox keep key secrets to itself while withholdKeySecrets is on', async () => {
    const control = (value: boolean): Promise<Response> =>
      fetch(`${harness.origin}/__api/control`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-harness-token': harness.token },
        body: JSON.stringify({ action: 'withholdKeySecrets', value })
      })
    const masked = async (): Promise<(string | null)[]> => {
      const response = await invoke(
        { 'x-harness-token': harness.token },
        JSON.stringify({ input: { accountId: 'sandbox' } }),
        'keys.refresh'
      )
      const result = (await response.json()) as {
        value: { keys: { maskedSecret: string | null }[] }
      }
      return result.value.keys.map((k) => k.maskedSecret)
    }
    expect(await (await control(true)).json()).toEqual({ withholdKeySecrets: true })
    expect(new Set(await masked())).toEqual(new Set([null]))
    expect(await (await control(false)).json()).toEqual({ withholdKeySecrets: false })
    expect((await masked()).every((m) => m !== null && /^z[uqw]t_…/.test(m))).toBe(true)
  })

  it('moves the app clock forward and refuses to move it back', async () => {
    const control = async (value: unknown) =>
      (await (
        await fetch(`${harness.origin}/__api/control`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-harness-token': harness.token },
          body: JSON.stringify({ action: 'advanceClock', value })
        })
      ).json()) as { now?: number; error?: string }
    const moved = await control(3 * 86_400_000)
    expect(moved.now! - Date.now()).toBeGreaterThan(3 * 86_400_000 - 60_000)
    expect((await control(-1)).error).toMatch(/milliseconds/)
  })
})
