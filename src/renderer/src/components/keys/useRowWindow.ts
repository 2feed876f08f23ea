import { computed, onBeforeUnmount, ref, watch, type ComputedRef, type Ref } from 'vue'

export interface RowWindowOptions {
  /** How many rows the list has. */
  count: () => number
  /** Every row is exactly this tall (the table's rows are single-line, fixed height). */
  rowHeight: number
  /** Space inside the scroller above the first row: the sticky header. */
  offsetTop: number
  /** Rows drawn past each edge of the viewport, so a scroll does not show a gap first. */
  overscan: Ref<number>
  scroller: Readonly<Ref<HTMLElement | null>>
}

export interface RowWindow {
  /** The rows to draw: indexes `start` (inclusive) to `end` (exclusive). */
  range: ComputedRef<{ start: number; end: number }>
  /** Height of all rows together, for the scroll body. */
  totalHeight: ComputedRef<number>
  /** Back to the first row; does nothing (reads no layout) when already there. */
  scrollToTop: () => void
}

/**
 * Which rows of a fixed-row-height list are in view, from the scroller's offset and height.
 *
 * Why not a general virtualizer (the table used @tanstack/vue-virtual): a virtualizer that allows
 * rows of any height keeps a measurement for every row, so each new list (every keystroke in the
 * search box) rebuilt 10,000 of them, and its scroll anchoring wrote the scroll offset back,
 * forcing a layout, on every change. With one row height, the range is arithmetic: O(1).
 *
 * The height comes from a ResizeObserver, after layout: reading it while mounting would force a
 * layout of the half-built page. Until then, the window's height is the guess, so the rows go in
 * on the first render and are corrected before paint if the guess was off.
 */
export function useRowWindow(options: RowWindowOptions): RowWindow {
  const { rowHeight, offsetTop, overscan, scroller } = options
  const viewportHeight = ref(typeof window === 'undefined' ? 0 : window.innerHeight)
  const scrollTop = ref(0)

  const totalHeight = computed(() => options.count() * rowHeight)

  const range = computed(() => {
    const count = options.count()
    // A shorter list may leave the offset past its end until the browser clamps it and says so
    // with a scroll event: draw the last rows meanwhile, never an empty table.
    const maxTop = Math.max(0, offsetTop + count * rowHeight - viewportHeight.value)
    const top = Math.min(scrollTop.value, maxTop)
    // The header sticks to the top of the viewport, so rows show from `top + offsetTop` down to
    // the bottom edge; row i sits at offsetTop + i × rowHeight.
    const first = Math.floor(top / rowHeight)
    const last = Math.ceil((top + viewportHeight.value - offsetTop) / rowHeight)
    return {
      start: Math.max(0, first - overscan.value),
      end: Math.min(count, last + overscan.value)
    }
  })

  let stop: (() => void) | undefined
  function follow(element: HTMLElement): () => void {
    const onScroll = (): void => {
      scrollTop.value = element.scrollTop
    }
    element.addEventListener('scroll', onScroll, { passive: true })
    const View = element.ownerDocument.defaultView
    if (!View?.ResizeObserver) {
      // No observer (some test DOMs): read the size once, at mount.
      viewportHeight.value = element.clientHeight
      return () => element.removeEventListener('scroll', onScroll)
    }
    const observer = new View.ResizeObserver(() => {
      viewportHeight.value = element.clientHeight
    })
    observer.observe(element, { box: 'content-box' })
    return () => {
      element.removeEventListener('scroll', onScroll)
      observer.disconnect()
    }
  }
  watch(
    scroller,
    (element) => {
      stop?.()
      stop = element ? follow(element) : undefined
    },
    { immediate: true, flush: 'post' }
  )
  onBeforeUnmount(() => stop?.())

  function scrollToTop(): void {
    const element = scroller.value
    if (!element || scrollTop.value === 0) return
    element.scrollTop = 0
    scrollTop.value = 0
  }

  return { range, totalHeight, scrollToTop }
}
