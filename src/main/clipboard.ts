/** The system clipboard, behind an interface: Electron's in the app, a memory one in the harness. */
export interface Clipboard {
  writeText(text: string): void | Promise<void>
  readText(): string | Promise<string>
}

export class MemoryClipboard implements Clipboard {
  private text = ''

  writeText(text: string): void {
    this.text = text
  }

  readText(): string {
    return this.text
  }
}

export const SECRET_CLIPBOARD_CLEAR_MS = 30_000

/**
 * Writes a secret and clears it after `afterMs` unless the user has copied something else since:
 * we never wipe what the user put there themselves.
 */
export function copySecretWithExpiry(
  clipboard: Clipboard,
  secret: string,
  afterMs = SECRET_CLIPBOARD_CLEAR_MS,
  setTimer: (fn: () => void, ms: number) => unknown = setTimeout
): void {
  void clipboard.writeText(secret)
  setTimer(() => {
    void (async () => {
      if ((await clipboard.readText()) === secret) await clipboard.writeText('')
    })()
  }, afterMs)
}
