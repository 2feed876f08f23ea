import type { Bridge, CallInput, CallName, CallOutput } from '@shared/contract'
import { AppError } from '@shared/errors'

/** `window.api`, from the preload in Electron or from the harness bridge in a browser. */
export function getBridge(): Bridge {
  const api = (globalThis as { api?: Bridge }).api
  if (!api) throw new Error('window.api is missing: the page was opened outside the app.')
  return api
}

/** Calls main and turns `{ ok: false }` into a thrown AppError, so stores can use try/catch. */
export async function call<N extends CallName>(
  bridge: Bridge,
  name: N,
  input: CallInput<N>
): Promise<CallOutput<N>> {
  let result: Awaited<ReturnType<Bridge['invoke']>>
  try {
    result = await bridge.invoke(name, input)
  } catch {
    throw new AppError('INTERNAL', 'The app could not reach its main process.')
  }
  if (!result.ok) throw AppError.fromShape(result.error)
  return result.value as CallOutput<N>
}
