import { observeElementRect, type Virtualizer } from '@tanstack/vue-virtual'

type Rect = { width: number; height: number }

/**
 * The virtualizer's size watcher, minus its first synchronous read. The stock one reads
 * clientHeight the moment the scroller mounts, which forces a layout of the half-built page and
 * then renders the rows in a second pass. A ResizeObserver reports the size after the browser's
 * own layout, in the same frame, so the rows go in on the first pass (sized for `initialRect`)
 * and are corrected before paint if the guess was off.
 *
 * Without ResizeObserver (some test DOMs) it falls back to the stock behaviour.
 */
export function observeSizeAfterLayout(
  instance: Virtualizer<HTMLElement, Element>,
  report: (rect: Rect) => void
): undefined | (() => void) {
  const element = instance.scrollElement
  const View = element?.ownerDocument.defaultView
  if (!element || !View?.ResizeObserver) return observeElementRect(instance, report)
  const observer = new View.ResizeObserver(() =>
    report({ width: element.clientWidth, height: element.clientHeight })
  )
  observer.observe(element, { box: 'content-box' })
  return () => observer.disconnect()
}
