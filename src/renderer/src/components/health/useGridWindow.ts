import { computed, onBeforeUnmount, ref, watch, type ComputedRef, type Ref } from 'vue'

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

export interface Range {
  start: number
  end: number
}

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
  const viewport = ref({
    width: typeof window === 'undefined' ? 0 : window.innerWidth,
    height: typeof window === 'undefined' ? 0 : window.innerHeight
  })
  const scroll = ref({ top: 0, left: 0 })

  const totalHeight = computed(() => offsetTop + options.rows() * rowHeight)
  const totalWidth = computed(() => offsetLeft + options.cols() * colWidth)

  function window1d(
    count: number,
    size: number,
    offset: number,
    position: number,
    extent: number
  ): Range {
    const max = Math.max(0, offset + count * size - extent)
    const at = Math.min(position, max)
    const first = Math.floor(at / size)
    const last = Math.ceil((at + extent - offset) / size)
    return { start: Math.max(0, first - overscan), end: Math.min(count, last + overscan) }
  }

  const rows = computed(() =>
    window1d(options.rows(), rowHeight, offsetTop, scroll.value.top, viewport.value.height)
  )
  const cols = computed(() =>
    window1d(options.cols(), colWidth, offsetLeft, scroll.value.left, viewport.value.width)
  )

  let stop: (() => void) | undefined
  function follow(element: HTMLElement): () => void {
    const onScroll = (): void => {
      scroll.value = { top: element.scrollTop, left: element.scrollLeft }
    }
    element.addEventListener('scroll', onScroll, { passive: true })
    const View = element.ownerDocument.defaultView
    const measure = (): void => {
      viewport.value = { width: element.clientWidth, height: element.clientHeight }
    }
    if (!View?.ResizeObserver) {
      measure()
      return () => element.removeEventListener('scroll', onScroll)
    }
    const observer = new View.ResizeObserver(measure)
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

  return { rows, cols, totalWidth, totalHeight }
}
