import { getCurrentScope, onScopeDispose, readonly, ref, type Ref } from 'vue'

interface Ticker {
  now: Ref<number>
  users: number
  timer: ReturnType<typeof setInterval> | undefined
}

const tickers = new Map<number, Ticker>()

/**
 * A shared clock that ticks every `intervalMs` while some component uses it. One timer per
 * interval, not one per row: a 10,000-row list must not start 10,000 timers.
 */
export function useNow(intervalMs = 1000): Readonly<Ref<number>> {
  let ticker = tickers.get(intervalMs)
  if (!ticker) {
    ticker = { now: ref(Date.now()), users: 0, timer: undefined }
    tickers.set(intervalMs, ticker)
  }
  const t = ticker
  t.users++
  // A countdown must not start from a value up to a second old (it would show 31 s). Coarser
  // clocks skip this: rows mounting while the list scrolls would re-render every other row.
  if (intervalMs <= 1000) t.now.value = Date.now()
  if (!t.timer) {
    t.timer = setInterval(() => (t.now.value = Date.now()), intervalMs)
  }
  if (getCurrentScope()) {
    onScopeDispose(() => {
      t.users--
      if (t.users === 0) {
        clearInterval(t.timer)
        t.timer = undefined
      }
    })
  }
  return readonly(t.now)
}
