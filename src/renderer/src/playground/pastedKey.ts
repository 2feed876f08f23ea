import type { KeyKind } from '@shared/contract/keys'
import { kindOfSecret } from '@shared/keyKinds'
import { maskSecret } from '@shared/redact'

/**
 * The secret of a pasted one-off key. Deliberately a plain module variable: not reactive, not in
 * Pinia (so no devtools, no state snapshot), never rendered. It goes to main with each run and
 * is dropped when the user forgets it, picks a stored key, switches account or leaves the view.
 */
let secret: string | null = null

export interface PastedKeyInfo {
  masked: string
  kind: KeyKind
}

export function holdPastedSecret(value: string): PastedKeyInfo {
  secret = value.trim()
  return { masked: maskSecret(secret), kind: kindOfSecret(secret) }
}

export function pastedSecret(): string | null {
  return secret
}

export function forgetPastedSecret(): void {
  secret = null
}
