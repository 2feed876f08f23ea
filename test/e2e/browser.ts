import { existsSync } from 'node:fs'
import type { LaunchOptions } from '@playwright/test'

/** Debian's Chromium, never a downloaded browser; `VKM_CHROMIUM` overrides the path. */
export const CHROMIUM_PATH = process.env.VKM_CHROMIUM || '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

export function chromiumLaunchOptions(): LaunchOptions {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Install Debian's "chromium" package or set VKM_CHROMIUM.`
    )
  }
  return { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS }
}
