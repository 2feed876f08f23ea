import type { IpcRenderer, IpcRendererEvent } from 'electron'
import {
  calls,
  events,
  EVENT_CHANNEL,
  isCallName,
  isEventName,
  type Bridge,
  type EventEnvelope
} from '@shared/contract'
import type { Result } from '@shared/errors'

/**
 * Builds the one object the renderer gets. It validates inputs before they leave (main checks
 * again) and outputs before they reach the page, and it never hands out ipcRenderer itself.
 */
export function createBridge(ipc: Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>): Bridge {
  const invoke = async (name: string, input: unknown): Promise<Result<unknown>> => {
    if (!isCallName(name)) {
      return {
        ok: false,
        error: { code: 'UNKNOWN_CALL', message: `Unknown call: ${String(name).slice(0, 80)}` }
      }
    }
    const parsed = calls[name].input.safeParse(input)
    if (!parsed.success) {
      return { ok: false, error: { code: 'BAD_INPUT', message: `Invalid input for ${name}.` } }
    }
    const result = (await ipc.invoke(name, parsed.data)) as Result<unknown>
    if (result.ok) {
      const checked = calls[name].output.safeParse(result.value)
      if (!checked.success) {
        return {
          ok: false,
          error: { code: 'INTERNAL', message: `Invalid answer from main for ${name}.` }
        }
      }
      return { ok: true, value: checked.data }
    }
    return result
  }

  const on = (name: string, listener: (payload: unknown) => void): (() => void) => {
    if (!isEventName(name)) throw new Error(`Unknown event: ${String(name).slice(0, 80)}`)
    const handler = (_event: IpcRendererEvent, envelope: EventEnvelope): void => {
      if (envelope?.name !== name) return
      const parsed = events[name].safeParse(envelope.payload)
      if (parsed.success) listener(parsed.data)
    }
    ipc.on(EVENT_CHANNEL, handler)
    return () => {
      ipc.removeListener(EVENT_CHANNEL, handler)
    }
  }

  return Object.freeze({ invoke, on }) as Bridge
}
