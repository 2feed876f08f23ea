import type { CallInput, CallName, CallOutput } from '../../src/shared/contract'
import type { HarnessProcess } from './harnessProcess'

/**
 * Calls the app's router through the harness, as the page's bridge does, for test setup that
 * is not itself under test (creating a key, sending queries to have usage to look at).
 */
export async function invoke<N extends CallName>(
  harness: Pick<HarnessProcess, 'url' | 'origin'>,
  name: N,
  input: CallInput<N>
): Promise<CallOutput<N>> {
  const token = new URL(harness.url).searchParams.get('token')!
  const response = await fetch(`${harness.origin}/__api/invoke/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-harness-token': token },
    body: JSON.stringify({ input })
  })
  const result = (await response.json()) as
    { ok: true; value: CallOutput<N> } | { ok: false; error: { message: string } }
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`)
  return result.value
}
