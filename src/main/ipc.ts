import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import { callNames, EVENT_CHANNEL, type EventEnvelope } from '@shared/contract'
import type { Result } from '@shared/errors'
import type { EventBus, Router } from './router'
import { isTrustedSenderUrl } from './security'

/**
 * One `ipcMain.handle` per call in the contract; nothing else is registered. Every call checks
 * that it comes from our window's top frame before the router sees the payload.
 */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  router: Router,
  trustedOrigins: readonly string[]
): () => void {
  for (const name of callNames) {
    ipcMain.handle(
      name,
      async (event: IpcMainInvokeEvent, rawInput: unknown): Promise<Result<unknown>> => {
        if (!isTrustedFrame(event, trustedOrigins)) {
          return {
            ok: false,
            error: { code: 'FORBIDDEN_SENDER', message: 'This caller may not use the app API.' }
          }
        }
        return router.invoke(name, rawInput)
      }
    )
  }
  return () => {
    for (const name of callNames) ipcMain.removeHandler(name)
  }
}

function isTrustedFrame(event: IpcMainInvokeEvent, trustedOrigins: readonly string[]): boolean {
  const frame = event.senderFrame
  // A subframe (or a frame that navigated away, which is null) never talks to main.
  if (!frame || frame.parent !== null) return false
  return isTrustedSenderUrl(frame.url, trustedOrigins)
}

/** Forwards validated events to the window; a destroyed window just stops receiving. */
export function forwardEvents(
  events: EventBus,
  contents: () => WebContents | undefined
): () => void {
  return events.subscribe((name, payload) => {
    const target = contents()
    if (target && !target.isDestroyed()) {
      const envelope: EventEnvelope = { name, payload }
      target.send(EVENT_CHANNEL, envelope)
    }
  })
}
