import type { z } from 'zod'
import {
  calls,
  events,
  isCallName,
  isEventName,
  type CallName,
  type Calls,
  type EventName,
  type EventPayload
} from '@shared/contract'
import { AppError, type AppErrorShape, type Result } from '@shared/errors'

/**
 * The router is plain TypeScript: Electron's ipcMain and the web harness both hand it raw
 * payloads, so tests and the harness run exactly the handlers the app runs.
 */
export type Handler<N extends CallName> = (
  input: z.output<Calls[N]['input']>
) => Promise<z.input<Calls[N]['output']>> | z.input<Calls[N]['output']>

export type Handlers = { [N in CallName]: Handler<N> }

/** Maps a thrown value to something safe to send across IPC; unknown errors stay opaque. */
export type ErrorMapper = (error: unknown) => AppError | undefined

export interface RouterOptions {
  /** Extra mappers (e.g. Vectara client errors) tried before the generic fallback. */
  errorMappers?: ErrorMapper[]
  /** Called with unexpected errors so they reach a log; never with the call's payload. */
  onUnexpectedError?: (callName: string, error: unknown) => void
}

export class Router {
  constructor(
    private readonly handlers: Handlers,
    private readonly options: RouterOptions = {}
  ) {}

  async invoke(name: unknown, rawInput: unknown): Promise<Result<unknown>> {
    if (!isCallName(name)) {
      return fail({ code: 'UNKNOWN_CALL', message: `Unknown call: ${String(name).slice(0, 80)}` })
    }
    const spec = calls[name]
    const parsed = spec.input.safeParse(rawInput)
    if (!parsed.success) {
      return fail({
        code: 'BAD_INPUT',
        message: `Invalid input for ${name}: ${describeIssues(parsed.error)}`,
        fieldErrors: fieldErrorsOf(parsed.error)
      })
    }
    let value: unknown
    try {
      const handler = this.handlers[name] as (input: unknown) => unknown
      value = await handler(parsed.data)
    } catch (error) {
      return fail(this.toShape(name, error))
    }
    const checked = spec.output.safeParse(value)
    if (!checked.success) {
      this.options.onUnexpectedError?.(name, new Error(`output of ${name} broke the contract`))
      return fail({ code: 'INTERNAL', message: `The app produced an invalid answer for ${name}.` })
    }
    return { ok: true, value: checked.data }
  }

  private toShape(name: string, error: unknown): AppErrorShape {
    if (error instanceof AppError) return error.toShape()
    for (const mapper of this.options.errorMappers ?? []) {
      const mapped = mapper(error)
      if (mapped) return mapped.toShape()
    }
    this.options.onUnexpectedError?.(name, error)
    return { code: 'INTERNAL', message: `Something went wrong in ${name}. See the app log.` }
  }
}

function fail(error: AppErrorShape): Result<never> {
  return { ok: false, error }
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) =>
      issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message
    )
    .join('; ')
}

function fieldErrorsOf(error: z.ZodError): Record<string, string> | undefined {
  const out: Record<string, string> = {}
  for (const issue of error.issues) {
    const key = issue.path.join('.')
    if (key && !(key in out)) out[key] = issue.message
  }
  return Object.keys(out).length ? out : undefined
}

export type EventListener = (name: EventName, payload: unknown) => void

/**
 * Main → renderer pushes. Payloads are validated here so a bad push is caught in main's tests,
 * not in the renderer.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>()

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    if (!isEventName(name)) throw new Error(`Unknown event: ${String(name)}`)
    const data = events[name].parse(payload)
    for (const listener of this.listeners) listener(name, data)
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}
