import { computed, type ComputedRef, type Ref } from 'vue'
import { rangeInView, useScrollViewport, type Range } from '../../composables/useScrollViewport'

export interface GridWindowOptions {
  rows: () => number
  cols: () => number
  rowHeight: number
  colWidth: number
  /** The sticky header row's height and the sticky first column's width. */
  offsetTop: number
  offsetLeft: number
  /** Rows and columns drawn past each edge, so a scroll shows no gap first. */
  overscan: number
  scroller: Readonly<Ref<HTMLElement | null>>
}

export type { Range }

export interface GridWindow {
  rows: ComputedRef<Range>
  cols: ComputedRef<Range>
  totalWidth: ComputedRef<number>
  totalHeight: ComputedRef<number>
}

/**
 * The rows and columns of a fixed-size grid that are in view: the key table's row window
 * (`keys/useRowWindow.ts`) in two directions. A 1,000 × 10,000 coverage map is ten million
 * cells; only the hundred or so on screen are ever built.
 */
export function useGridWindow(options: GridWindowOptions): GridWindow {
  const { rowHeight, colWidth, offsetTop, offsetLeft, overscan, scroller } = options
  const { scroll, viewport } = useScrollViewport(scroller)

  const totalHeight = computed(() => offsetTop + options.rows() * rowHeight)
  const totalWidth = computed(() => offsetLeft + options.cols() * colWidth)
  const rows = computed(() =>
    rangeInView(
      options.rows(),
      rowHeight,
      offsetTop,
      scroll.value.top,
      viewport.value.height,
      overscan
    )
  )
  const cols = computed(() =>
    rangeInView(
      options.cols(),
      colWidth,
      offsetLeft,
      scroll.value.left,
      viewport.value.width,
      overscan
    )
  )

  return { rows, cols, totalWidth, totalHeight }
}
