import { onBeforeUnmount, ref, watch, type Ref } from 'vue'

/** Items `start` (inclusive) to `end` (exclusive) of one axis of a virtual list or grid. */
export interface Range {
  start: number
  end: number
}

/**
 * The items of one axis of fixed-size items that are in view, plus `overscan` past each edge.
 * `offset` is the sticky header (or first column) before the first item. A shorter list may
 * leave the scroll position past its end until the browser clamps it and says so with a scroll
 * event: the last items are drawn meanwhile, never an empty view.
 */
export function rangeInView(
  count: number,
  size: number,
  offset: number,
  position: number,
  extent: number,
  overscan: number
): Range {
  const max = Math.max(0, offset + count * size - extent)
  const at = Math.min(position, max)
  // The header sticks to the viewport's edge, so items show from `at + offset` to the far
  // edge; item i sits at offset + i × size.
  const first = Math.floor(at / size)
  const last = Math.ceil((at + extent - offset) / size)
  return { start: Math.max(0, first - overscan), end: Math.min(count, last + overscan) }
}

export interface ScrollViewport {
  scroll: Ref<{ top: number; left: number }>
  viewport: Ref<{ width: number; height: number }>
}

/**
 * A scroller's scroll offsets and visible size, followed from scroll events and a
 * ResizeObserver. The size comes after layout: reading it while mounting would force a layout
 * of the half-built page. Until then it is the window's size, a guess corrected before paint.
 */
export function useScrollViewport(scroller: Readonly<Ref<HTMLElement | null>>): ScrollViewport {
  const viewport = ref({
    width: typeof window === 'undefined' ? 0 : window.innerWidth,
    height: typeof window === 'undefined' ? 0 : window.innerHeight
  })
  const scroll = ref({ top: 0, left: 0 })

  function follow(element: HTMLElement): () => void {
    const onScroll = (): void => {
      scroll.value = { top: element.scrollTop, left: element.scrollLeft }
    }
    element.addEventListener('scroll', onScroll, { passive: true })
    const measure = (): void => {
      viewport.value = { width: element.clientWidth, height: element.clientHeight }
    }
    const View = element.ownerDocument.defaultView
    if (!View?.ResizeObserver) {
      // No observer (some test DOMs): read the size once, at mount.
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

  let stop: (() => void) | undefined
  watch(
    scroller,
    (element) => {
      stop?.()
      stop = element ? follow(element) : undefined
    },
    { immediate: true, flush: 'post' }
  )
  onBeforeUnmount(() => stop?.())

  return { scroll, viewport }
}
