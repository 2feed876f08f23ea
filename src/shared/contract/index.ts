import type { z } from 'zod'
import type { Result } from '../errors'
import { accountsCalls, accountsEvents } from './accounts'
import { appCalls, appEvents } from './app'
import { corporaCalls } from './corpora'
import { healthCalls, healthEvents } from './health'
import { keysCalls, keysEvents } from './keys'
import { playgroundCalls, playgroundEvents } from './playground'
import { rotationsCalls, rotationsEvents } from './rotations'
import { scanCalls, scanEvents } from './scan'
import { usageCalls, usageEvents } from './usage'

/**
 * The one catalog of everything that crosses the bridge. Main registers a handler per call,
 * the preload exposes exactly these names, and the renderer's types come from here.
 * Add a domain by writing `contract/<domain>.ts` and spreading it in below.
 */
export const calls = {
  ...appCalls,
  ...accountsCalls,
  ...keysCalls,
  ...corporaCalls,
  ...playgroundCalls,
  ...usageCalls,
  ...scanCalls,
  ...rotationsCalls,
  ...healthCalls
}

/** Main → renderer pushes, each with its payload schema. */
export const events = {
  ...appEvents,
  ...accountsEvents,
  ...keysEvents,
  ...playgroundEvents,
  ...scanEvents,
  ...usageEvents,
  ...rotationsEvents,
  ...healthEvents
}

export type Calls = typeof calls
export type CallName = keyof Calls
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>
export type Events = typeof events
export type EventName = keyof Events
export type EventPayload<N extends EventName> = z.output<Events[N]>

export const callNames = Object.keys(calls) as CallName[]
export const eventNames = Object.keys(events) as EventName[]

export function isCallName(name: unknown): name is CallName {
  return typeof name === 'string' && Object.hasOwn(calls, name)
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name)
}

/** The single IPC channel main uses to push events; calls use one channel per call name. */
export const EVENT_CHANNEL = 'vkm:event'

export interface EventEnvelope {
  name: EventName
  payload: unknown
}

/** What `window.api` is, in Electron (preload) and in the web harness (bridge script) alike. */
export interface Bridge {
  invoke<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<CallOutput<N>>>
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void
}
