import type { Bridge } from '@shared/contract'
import type { AppNotice, AppStatus } from '@shared/contract/app'
import { call, getBridge } from './bridge'

export interface AppClient {
  status(): Promise<AppStatus>
  onNotice(listener: (notice: AppNotice) => void): () => void
}

export function createAppClient(bridge: Bridge = getBridge()): AppClient {
  return {
    status: () => call(bridge, 'app.status', undefined),
    onNotice: (listener) => bridge.on('app.notice', listener)
  }
}
