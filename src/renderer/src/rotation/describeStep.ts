import type {
  DeleteOld,
  DisableOld,
  Rotation,
  RotationStep,
  RotationStepName
} from '@shared/contract/rotations'
import { formatClock } from '../utils/time'

export type StepTone = 'success' | 'danger' | 'info' | 'warning' | 'neutral'

export interface StepView {
  title: string
  /** The state in a word, for the badge. */
  badge: string
  tone: StepTone
  /** A spinner: main is at work on it. */
  busy: boolean
  detail: string
}

/** The "Disable the old key" choices, in the words of the dialog. */
export const DISABLE_CHOICES: ReadonlyArray<{ value: DisableOld; label: string }> = [
  { value: 'now', label: 'Now' },
  { value: 'in_1h', label: 'In 1 hour' },
  { value: 'in_24h', label: 'In 24 hours' },
  { value: 'on_confirm', label: 'When I confirm' }
]

/** The "Delete the old key" choices. */
export const DELETE_CHOICES: ReadonlyArray<{ value: DeleteOld; label: string }> = [
  { value: 'after_7d', label: '7 days after it is blocked' },
  { value: 'after_1d', label: '1 day after it is blocked' },
  { value: 'never', label: 'Never' }
]

const TITLES: Record<RotationStepName, string> = {
  create: 'Create the new key',
  swap: 'Swap it in',
  verify: 'Check that the new key serves',
  switchCredential: 'Sign the app in with the new key',
  disable: 'Disable the old key',
  delete: 'Delete the old key'
}

const BADGES: Record<RotationStep['state'], { badge: string; tone: StepTone }> = {
  pending: { badge: 'Later', tone: 'neutral' },
  waiting: { badge: 'Waiting', tone: 'neutral' },
  running: { badge: 'Running', tone: 'info' },
  done: { badge: 'Done', tone: 'success' },
  failed: { badge: 'Failed', tone: 'danger' },
  skipped: { badge: 'Skipped', tone: 'neutral' }
}

/**
 * One step as the dialog and the Rotations panel show it. Times are main's (the rotation's
 * `asOf` is "now"), so a clock moved forward in tests reads the same here.
 */
export function describeStep(rotation: Rotation, step: RotationStep): StepView {
  const { badge, tone } = BADGES[step.state]
  const view: StepView = {
    title: TITLES[step.name],
    badge,
    tone,
    busy: step.state === 'running',
    detail: ''
  }
  if (step.state === 'waiting' && step.waitingFor === 'confirm') {
    view.badge = 'Needs you'
    view.tone = 'warning'
  }
  if (step.state === 'failed') {
    view.detail = step.error?.message ?? 'It failed.'
    return view
  }
  view.detail = detailOf(rotation, step)
  return view
}

function at(time: number | undefined, rotation: Rotation): string {
  return time === undefined ? '' : formatClock(time, rotation.asOf)
}

function detailOf(rotation: Rotation, step: RotationStep): string {
  const oldName = rotation.oldKey.name
  const newName = rotation.newKey.name
  switch (step.name) {
    case 'create':
      if (step.state === 'done') return `${newName} exists; its secret is in your keychain.`
      return step.state === 'running' ? `Creating ${newName}…` : `Creates ${newName}.`
    case 'swap':
      if (step.state === 'done') return 'The new key replaces the old one where it is used.'
      if (step.state === 'waiting')
        return 'Put the new key where the old one is used: copy it, or replace it in files.'
      return 'Once the new key exists.'
    case 'verify':
      if (step.state === 'done')
        return step.outcome === 'assumed'
          ? 'The app holds no way to try it; it should serve.'
          : `Serving since ${at(step.doneAt, rotation)}`
      if (step.state === 'running') return 'Trying a one-result request with the new key…'
      return 'Once the new key exists.'
    case 'switchCredential':
      if (step.state === 'done') return `The app signs in with ${newName}.`
      if (step.state === 'running') return 'Checking that the new key lists keys, then switching…'
      return 'Once the new key serves. The old key stays the app’s until then.'
    case 'disable':
      return disableDetail(rotation, step)
    case 'delete':
      return deleteDetail(rotation, step, oldName)
  }
}

function disableDetail(rotation: Rotation, step: RotationStep): string {
  if (step.state === 'done')
    return step.outcome === 'assumed'
      ? `Blocked by about ${at(step.doneAt, rotation)} (Vectara’s stated delay; the app holds no secret to check).`
      : `Blocked since ${at(step.doneAt, rotation)}`
  if (step.state === 'running') return 'Disabling, then trying it until Vectara refuses it…'
  if (step.state === 'waiting')
    return step.waitingFor === 'confirm'
      ? 'When you confirm. Until then both keys work.'
      : `At ${at(step.dueAt, rotation)}. Until then both keys work.`
  const choice = DISABLE_CHOICES.find((c) => c.value === rotation.disableOld)!.label
  return `${choice === 'When I confirm' ? 'When you confirm' : choice}, once the new key serves.`
}

function deleteDetail(rotation: Rotation, step: RotationStep, oldName: string): string {
  if (step.state === 'skipped') return 'Never: the old key is kept, disabled.'
  if (step.state === 'done') return `${oldName} is deleted.`
  if (step.state === 'running') return `Deleting ${oldName}…`
  if (step.state === 'waiting')
    return step.waitingFor === 'confirm'
      ? `Ready to delete ${oldName}`
      : `Ready on ${at(step.dueAt, rotation)}; you are asked once more then.`
  const choice = DELETE_CHOICES.find((c) => c.value === rotation.deleteOld)!.label
  return `${choice}, after you confirm.`
}

/** The one line a rotation is summed up by in the panel: its current step. */
export function currentStep(rotation: Rotation): RotationStep | undefined {
  if (rotation.status !== 'active') return undefined
  // The user's part (swap) runs beside the rest: it is the summary only when nothing else is.
  const others = rotation.steps.filter((s) => s.name !== 'swap')
  return (
    rotation.steps.find((s) => s.state === 'failed') ??
    others.find((s) => s.state === 'waiting' && s.waitingFor === 'confirm') ??
    others.find((s) => s.state === 'running') ??
    others.find((s) => s.state === 'waiting') ??
    rotation.steps.find((s) => s.state === 'waiting') ??
    others.find((s) => s.state === 'pending')
  )
}

export function stepOf(rotation: Rotation, name: RotationStepName): RotationStep | undefined {
  return rotation.steps.find((s) => s.name === name)
}
