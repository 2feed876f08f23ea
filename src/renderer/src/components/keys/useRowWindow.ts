import { computed, type ComputedRef, type Ref } from 'vue'
import { rangeInView, useScrollViewport } from '../../composables/useScrollViewport'

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
 * The height comes after layout (useScrollViewport): until then the window's height is the
 * guess, so the rows go in on the first render and are corrected before paint if it was off.
 */
export function useRowWindow(options: RowWindowOptions): RowWindow {
  const { rowHeight, offsetTop, overscan, scroller } = options
  const { scroll, viewport } = useScrollViewport(scroller)

  const totalHeight = computed(() => options.count() * rowHeight)
  const range = computed(() =>
    rangeInView(
      options.count(),
      rowHeight,
      offsetTop,
      scroll.value.top,
      viewport.value.height,
      overscan.value
    )
  )

  function scrollToTop(): void {
    const element = scroller.value
    if (!element || scroll.value.top === 0) return
    element.scrollTop = 0
    scroll.value = { ...scroll.value, top: 0 }
  }

  return { range, totalHeight, scrollToTop }
}
