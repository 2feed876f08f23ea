import type { Clipboard } from './clipboard'
import type { EventBus } from './router'

export interface DesktopNotification {
  title: string
  body: string
}

/**
 * What only a desktop shell can do: the OS folder picker, "show in folder" and system
 * notifications. `core.ts` receives one; Electron's main passes `ElectronDesktop`
 * (electronDesktop.ts), and the web harness and tests use `HeadlessDesktop`, which does the
 * nearest honest thing and says which it did.
 */
export interface Desktop {
  readonly kind: 'electron' | 'headless'
  /** A folder the user picked; null when cancelled, or when there is no picker (headless). */
  chooseFolder(): Promise<string | null>
  /** Reveals a file in the file manager; headless, the path is copied to the clipboard instead. */
  showItemInFolder(path: string): Promise<'shown' | 'copied'>
  /** A system notification; headless, an `app.notification` event the renderer shows as a toast. */
  notify(notification: DesktopNotification): void
}

export class HeadlessDesktop implements Desktop {
  readonly kind = 'headless' as const

  constructor(private readonly deps: { clipboard: Clipboard; events: EventBus }) {}

  async chooseFolder(): Promise<string | null> {
    // No OS picker in a browser tab: the renderer offers a "Folder" text box instead.
    return null
  }

  async showItemInFolder(path: string): Promise<'copied'> {
    await this.deps.clipboard.writeText(path)
    return 'copied'
  }

  notify(notification: DesktopNotification): void {
    this.deps.events.emit('app.notification', notification)
  }
}
