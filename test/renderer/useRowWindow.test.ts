import { enableAutoUnmount, flushPromises, mount } from '@vue/test-utils'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h, ref, useTemplateRef } from 'vue'
import { useRowWindow, type RowWindow } from '@renderer/components/keys/useRowWindow'

enableAutoUnmount(afterEach)

const original = window.ResizeObserver
afterEach(() => {
  window.ResizeObserver = original
  vi.restoreAllMocks()
})

/** A ResizeObserver the test fires by hand, as the browser would after a layout. */
function manualResizeObserver(): { fire: () => void; disconnected: () => boolean } {
  let callback: (() => void) | undefined
  let disconnected = false
  window.ResizeObserver = class {
    constructor(cb: ResizeObserverCallback) {
      callback = () => cb([], this as unknown as ResizeObserver)
    }
    observe(): void {}
    unobserve(): void {}
    disconnect(): void {
      disconnected = true
    }
  } as unknown as typeof ResizeObserver
  return { fire: () => callback?.(), disconnected: () => disconnected }
}

/** A scroller whose height the test sets; happy-dom lays nothing out. */
async function mountWindow(count: number, overscan = 0, initialHeight = 0) {
  let height = initialHeight
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockImplementation(() => height)
  const rows = ref(count)
  const spare = ref(overscan)
  let api!: RowWindow
  const Host = defineComponent({
    setup() {
      const scroller = useTemplateRef<HTMLElement>('scroller')
      api = useRowWindow({
        count: () => rows.value,
        rowHeight: 48,
        offsetTop: 40,
        overscan: spare,
        scroller
      })
      return () => h('div', { ref: 'scroller', class: 'scroller' })
    }
  })
  const wrapper = mount(Host, { attachTo: document.body })
  await flushPromises()
  const element = wrapper.get('.scroller').element as HTMLElement
  return {
    wrapper,
    rows,
    spare,
    range: () => ({ ...api.range.value }),
    total: () => api.totalHeight.value,
    scrollToTop: () => api.scrollToTop(),
    setHeight: (value: number) => (height = value),
    scrollTo: (top: number) => {
      element.scrollTop = top
      element.dispatchEvent(new Event('scroll'))
    },
    element
  }
}

/** A mounted window whose scroller the browser has laid out at `height` px. */
async function laidOut(count: number, height = 480, overscan = 0) {
  const observer = manualResizeObserver()
  const list = await mountWindow(count, overscan)
  list.setHeight(height)
  observer.fire()
  return { ...list, observer }
}

describe('useRowWindow', () => {
  it('before any layout, sizes the first rows for the window rather than drawing none', async () => {
    manualResizeObserver()
    vi.spyOn(window, 'innerHeight', 'get').mockReturnValue(800)
    const list = await mountWindow(10_000)
    // 800 px of window, 40 of them header, 48 px rows: rows 0 to 15 can show.
    expect(list.range()).toEqual({ start: 0, end: 16 })
    expect(list.total()).toBe(480_000)
  })

  it('takes the height the ResizeObserver reports after layout', async () => {
    const list = await laidOut(10_000)
    const observer = list.observer
    // The header takes 40 px of the 480: rows 0..9 reach into view (the last one partly).
    expect(list.range()).toEqual({ start: 0, end: 10 })
    list.wrapper.unmount()
    expect(observer.disconnected()).toBe(true)
  })

  it('follows the scroll offset, and draws the spare rows on both sides', async () => {
    const list = await laidOut(10_000)
    // Scrolled by 100 rows: row 100 sits right under the sticky header, rows to 109 below it.
    list.scrollTo(4800)
    expect(list.range()).toEqual({ start: 100, end: 110 })
    list.spare.value = 6
    expect(list.range()).toEqual({ start: 94, end: 116 })
    // One pixel short of the next row: row 100 still shows a sliver, and row 110 starts to.
    list.scrollTo(4800 + 47)
    expect(list.range()).toEqual({ start: 94, end: 117 })
  })

  it('never draws past the last row, and draws nothing for an empty list', async () => {
    const list = await laidOut(5, 480, 6)
    expect(list.range()).toEqual({ start: 0, end: 5 })
    list.rows.value = 0
    expect(list.range()).toEqual({ start: 0, end: 0 })
    expect(list.total()).toBe(0)
  })

  it('shows the last rows when the list shrinks under the offset, before the browser clamps it', async () => {
    const list = await laidOut(10_000)
    list.scrollTo(48 * 5000)
    // 20 rows left: the offset is far past them until a scroll event reports the clamp.
    list.rows.value = 20
    // A viewport's worth of last rows (440 px under the header: 9 rows and a part).
    expect(list.range()).toEqual({ start: 10, end: 20 })
  })

  it('scrolls to the top only when not already there', async () => {
    const list = await laidOut(10_000)
    const writes = vi.fn()
    let top = 0
    Object.defineProperty(list.element, 'scrollTop', {
      configurable: true,
      get: () => top,
      set: (value: number) => {
        writes(value)
        top = value
      }
    })
    list.scrollToTop()
    expect(writes).not.toHaveBeenCalled()
    top = 960
    list.element.dispatchEvent(new Event('scroll'))
    expect(list.range().start).toBe(20)
    list.scrollToTop()
    expect(writes).toHaveBeenCalledWith(0)
    expect(list.range().start).toBe(0)
  })

  it('without a ResizeObserver, reads the height once at mount', async () => {
    window.ResizeObserver = undefined as unknown as typeof ResizeObserver
    const list = await mountWindow(100, 0, 280)
    // 240 px under the header: rows 0..4.
    expect(list.range()).toEqual({ start: 0, end: 5 })
  })
})
