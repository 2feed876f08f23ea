/**
 * The web harness's `window.api`: the very same createBridge the preload uses (same input and
 * output validation), over an ipcRenderer look-alike that speaks HTTP to the harness. Only the
 * transport differs from Electron.
 */
import type { IpcRenderer, IpcRendererEvent } from 'electron'
import { createBridge } from '../../../src/preload/createBridge'
import { EVENT_CHANNEL } from '../../../src/shared/contract'

type Handler = (event: IpcRendererEvent, ...args: unknown[]) => void

const TOKEN_KEY = 'vkm-harness-token'
const fromUrl = new URLSearchParams(location.search).get('token')
if (fromUrl) sessionStorage.setItem(TOKEN_KEY, fromUrl)
const token = fromUrl ?? sessionStorage.getItem(TOKEN_KEY) ?? ''

const handlers = new Set<Handler>()
let streaming = false

async function invoke(channel: string, input: unknown): Promise<unknown> {
  let response: Response
  try {
    response = await fetch(`/__api/invoke/${encodeURIComponent(channel)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-harness-token': token },
      body: JSON.stringify({ input })
    })
  } catch {
    return { ok: false, error: { code: 'INTERNAL', message: 'The harness is not reachable.' } }
  }
  if (!response.ok) {
    return {
      ok: false,
      error: {
        code: 'FORBIDDEN_SENDER',
        message: `The harness refused the call (${response.status}).`
      }
    }
  }
  return response.json()
}

async function stream(): Promise<void> {
  if (streaming) return
  streaming = true
  try {
    const response = await fetch('/__api/events', { headers: { 'x-harness-token': token } })
    if (!response.ok || !response.body) throw new Error(`events ${response.status}`)
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader()
    let buffer = ''
    for (;;) {
      const { value, done } = await reader.read()
      if (done) break
      buffer += value
      let newline: number
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline).trim()
        buffer = buffer.slice(newline + 1)
        if (!line) continue
        const envelope = JSON.parse(line) as unknown
        for (const handler of handlers) handler({} as IpcRendererEvent, envelope)
      }
    }
  } catch {
    // Reconnect below; the harness may be restarting.
  } finally {
    streaming = false
  }
  if (handlers.size > 0) setTimeout(() => void stream(), 1000)
}

const ipc = {
  invoke: (channel: string, ...args: unknown[]) => invoke(channel, args[0]),
  on(channel: string, handler: Handler) {
    if (channel === EVENT_CHANNEL) {
      handlers.add(handler)
      void stream()
    }
    return ipc
  },
  removeListener(_channel: string, handler: Handler) {
    handlers.delete(handler)
    return ipc
  }
} as unknown as Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>

Object.defineProperty(window, 'api', {
  value: createBridge(ipc),
  writable: false,
  configurable: false
})
