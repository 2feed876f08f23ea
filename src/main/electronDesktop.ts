import { dialog, Notification, shell, type BrowserWindow } from 'electron'
import type { Desktop, DesktopNotification } from './desktop'

/** The Desktop seam in the real app: the OS dialogs, file manager and notification centre. */
export class ElectronDesktop implements Desktop {
  readonly kind = 'electron' as const

  constructor(private readonly window: () => BrowserWindow | undefined) {}

  async chooseFolder(): Promise<string | null> {
    const options = { properties: ['openDirectory' as const] }
    const parent = this.window()
    const picked = parent
      ? await dialog.showOpenDialog(parent, options)
      : await dialog.showOpenDialog(options)
    return picked.canceled ? null : (picked.filePaths[0] ?? null)
  }

  async showItemInFolder(path: string): Promise<'shown'> {
    shell.showItemInFolder(path)
    return 'shown'
  }

  notify({ title, body }: DesktopNotification): void {
    // Some Linux desktops have no notification server; the in-app state still shows the news.
    if (Notification.isSupported()) new Notification({ title, body }).show()
  }
}
