import type { Bridge } from '@shared/contract'
import type { AppNotice, AppNotification, AppStatus } from '@shared/contract/app'
import { call, getBridge } from './bridge'

export interface AppClient {
  status(): Promise<AppStatus>
  onNotice(listener: (notice: AppNotice) => void): () => void
  /** Where the OS shows no notification (the web harness): main sends it here instead. */
  onNotification(listener: (notification: AppNotification) => void): () => void
}

export function createAppClient(bridge: Bridge = getBridge()): AppClient {
  return {
    status: () => call(bridge, 'app.status', undefined),
    onNotice: (listener) => bridge.on('app.notice', listener),
    onNotification: (listener) => bridge.on('app.notification', listener)
  }
}
