import type { Bridge, CallInput, CallOutput } from '@shared/contract'
import type {
  KeyFiles,
  ReplaceReport,
  Rotation,
  RotationPlan,
  RotationStart
} from '@shared/contract/rotations'
import { call, getBridge } from './bridge'

export type { KeyFiles, ReplaceReport, Rotation, RotationPlan, RotationStart }
export type StepRun = CallOutput<'rotations.start'>

export interface RotationsClient {
  plan(accountId: string, keyId: string): Promise<RotationPlan>
  start(input: RotationStart): Promise<StepRun>
  list(accountId: string): Promise<Rotation[]>
  retry(id: string): Promise<StepRun>
  confirmSwap(id: string): Promise<Rotation>
  confirmDisable(id: string): Promise<Rotation>
  confirmDelete(id: string, keyName: string): Promise<Rotation>
  cancel(id: string): Promise<Rotation>
  findings(id: string): Promise<KeyFiles>
  replaceInFiles(input: CallInput<'rotations.replaceInFiles'>): Promise<ReplaceReport>
  onChanged(listener: (rotation: Rotation) => void): () => void
}

export function createRotationsClient(bridge: Bridge = getBridge()): RotationsClient {
  return {
    plan: (accountId, keyId) => call(bridge, 'rotations.plan', { accountId, keyId }),
    start: (input) => call(bridge, 'rotations.start', input),
    list: async (accountId) => (await call(bridge, 'rotations.list', { accountId })).rotations,
    retry: (id) => call(bridge, 'rotations.retry', { id }),
    confirmSwap: (id) => call(bridge, 'rotations.confirmSwap', { id }),
    confirmDisable: (id) => call(bridge, 'rotations.confirmDisable', { id }),
    confirmDelete: (id, keyName) => call(bridge, 'rotations.confirmDelete', { id, keyName }),
    cancel: (id) => call(bridge, 'rotations.cancel', { id }),
    findings: (id) => call(bridge, 'rotations.findings', { id }),
    replaceInFiles: (input) => call(bridge, 'rotations.replaceInFiles', input),
    onChanged: (listener) => bridge.on('rotations.changed', ({ rotation }) => listener(rotation))
  }
}
