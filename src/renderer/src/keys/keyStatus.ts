import { KeyKindSchema, type KeyKind, type KeyRow } from '@shared/contract/keys'
import { labelOfKind, prefixOfKind } from '@shared/keyKinds'
import { formatClock, formatRemaining } from '../utils/time'

export type StatusTone = 'success' | 'neutral' | 'info' | 'warning'

export interface StatusView {
  label: string
  tone: StatusTone
  /** Secondary text after the badge: "about 45 s", "Blocked since 10:42". */
  detail?: string
  /** Longer explanation for the tooltip. */
  title: string
  busy: boolean
}

/**
 * What the Status cell says. A change Vectara accepted takes about a minute to block and a
 * couple of minutes to serve again, so "Disabled" alone would promise more than is true.
 */
export function describeStatus(
  row: KeyRow,
  optimistic: 'disable' | 'enable' | undefined,
  now: number
): StatusView {
  if (optimistic) {
    return {
      label: optimistic === 'disable' ? 'Disabling…' : 'Enabling…',
      tone: 'info',
      title: 'Sending the change to Vectara…',
      busy: true
    }
  }
  const p = row.propagation
  if (p) {
    const disabling = p.action === 'disable'
    const verb = disabling ? 'Disabling…' : 'Enabling…'
    switch (p.state) {
      case 'pending':
        return p.mode === 'probing'
          ? {
              label: verb,
              tone: 'info',
              detail: 'checking',
              title: `Vectara accepted the change. The app is testing the key until it ${disabling ? 'is refused' : 'answers'}.`,
              busy: true
            }
          : {
              label: verb,
              tone: 'info',
              detail: formatRemaining(p.expectedBy - now),
              title: `Vectara accepted the change; it usually takes effect everywhere by ${formatClock(p.expectedBy, now)}. The app cannot test this key because it does not hold its secret.`,
              busy: true
            }
      case 'confirmed': {
        const since = formatClock(p.confirmedAt ?? p.expectedBy, now)
        return disabling
          ? {
              label: 'Disabled',
              tone: 'neutral',
              detail: `Blocked since ${since}`,
              title: `A test query with this key was refused at ${since}.`,
              busy: false
            }
          : {
              label: 'Enabled',
              tone: 'success',
              detail: `Serving since ${since}`,
              title: `A test query with this key was answered at ${since}.`,
              busy: false
            }
      }
      case 'assumed':
        return {
          label: disabling ? 'Disabled' : 'Enabled',
          tone: disabling ? 'neutral' : 'success',
          detail: disabling ? 'Probably blocked' : 'Probably serving',
          title: 'The usual propagation time has passed. The app could not test the key itself.',
          busy: false
        }
      case 'timeout':
        return {
          label: disabling ? 'Disabled' : 'Enabled',
          tone: 'warning',
          detail: disabling ? 'Still answering' : 'Not serving yet',
          title: disabling
            ? 'Vectara accepted the change, but test queries were still answered when the app stopped checking. Check again later.'
            : 'Vectara accepted the change, but test queries were still refused when the app stopped checking. Check again later.',
          busy: false
        }
    }
  }
  return row.enabled
    ? { label: 'Enabled', tone: 'success', title: 'This key is accepted by Vectara.', busy: false }
    : { label: 'Disabled', tone: 'neutral', title: 'Vectara refuses this key.', busy: false }
}

const kindHints: Record<KeyKind, string> = {
  personal: 'Personal key: acts as its owner, with full account access. Keep it private.',
  query: 'Query key: read-only. Safe to embed in a website.',
  index: 'Index key: can add and delete documents. Keep it on a server.',
  unknown: 'A key of a kind this app does not know.'
}

/** The Kind badge: its text and prefix (from `@shared/keyKinds`) and what the kind may do. */
export const kindLabels = Object.fromEntries(
  KeyKindSchema.options.map((kind) => [
    kind,
    { label: labelOfKind(kind), prefix: prefixOfKind(kind) ?? '', hint: kindHints[kind] }
  ])
) as Record<KeyKind, { label: string; prefix: string; hint: string }>
