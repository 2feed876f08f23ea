import type { ErrorCode } from '@shared/errors'
import type { Problem } from '../composables/useLatestCall'
import { formatClock } from '../utils/time'

export type ProblemKind = 'offline' | 'rejected' | 'other'

export interface ProblemView {
  kind: ProblemKind
  title: string
  detail: string
}

const offlineCodes: ReadonlySet<ErrorCode> = new Set([
  'NETWORK_ERROR',
  'API_TIMEOUT',
  'API_SERVER_ERROR',
  'API_RATE_LIMITED'
])

/** How the Keys view explains a failed load, from the error code (never the message text). */
export function describeLoadProblem(
  problem: Problem,
  syncedAt: number | null,
  hasRows: boolean,
  now: number = Date.now()
): ProblemView {
  const showing = !hasRows
    ? ''
    : syncedAt === null
      ? ' Showing the saved list.'
      : ` Showing the list from ${formatClock(syncedAt, now)}.`
  if (offlineCodes.has(problem.code)) {
    const title =
      problem.code === 'API_RATE_LIMITED'
        ? 'Vectara is limiting requests right now.'
        : problem.code === 'API_SERVER_ERROR'
          ? 'Vectara answered with a server error.'
          : 'Vectara could not be reached.'
    return { kind: 'offline', title: title + showing, detail: problem.message }
  }
  if (problem.code === 'API_UNAUTHORIZED' || problem.code === 'API_FORBIDDEN') {
    return {
      kind: 'rejected',
      title: "Vectara rejected this account's credential." + showing,
      detail:
        problem.code === 'API_FORBIDDEN'
          ? 'The credential works but may not list API keys. Update it with a Personal API key or an OAuth client that can.'
          : 'The key or OAuth client may have been disabled, deleted or replaced. Update the credential to see the current list.'
    }
  }
  return {
    kind: 'other',
    title: 'The key list could not be loaded.' + showing,
    detail: problem.message
  }
}
