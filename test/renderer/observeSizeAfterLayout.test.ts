import type { Virtualizer } from '@tanstack/vue-virtual'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { observeSizeAfterLayout } from '@renderer/components/keys/observeSizeAfterLayout'

type Instance = Virtualizer<HTMLElement, Element>

function scroller(width: number, height: number): HTMLElement {
  const element = document.createElement('div')
  Object.defineProperty(element, 'clientWidth', { get: () => width })
  Object.defineProperty(element, 'clientHeight', { get: () => height })
  document.body.append(element)
  return element
}

const original = window.ResizeObserver
afterEach(() => {
  window.ResizeObserver = original
})

describe('observeSizeAfterLayout', () => {
  it('reads no size while mounting, then reports what the ResizeObserver saw after layout', () => {
    let fire: (() => void) | undefined
    const disconnect = vi.fn()
    window.ResizeObserver = class {
      constructor(callback: ResizeObserverCallback) {
        fire = () => callback([], this as unknown as ResizeObserver)
      }
      observe(): void {}
      unobserve(): void {}
      disconnect = disconnect
    } as unknown as typeof ResizeObserver
    const report = vi.fn()
    const element = scroller(900, 430)
    const stop = observeSizeAfterLayout({ scrollElement: element } as Instance, report)
    expect(report).not.toHaveBeenCalled()
    fire!()
    expect(report).toHaveBeenCalledWith({ width: 900, height: 430 })
    stop?.()
    expect(disconnect).toHaveBeenCalled()
  })

  it('without a ResizeObserver, reads the size at once like the stock watcher', () => {
    window.ResizeObserver = undefined as unknown as typeof ResizeObserver
    const report = vi.fn()
    const element = scroller(640, 300)
    const instance = { scrollElement: element, targetWindow: window, options: {} } as Instance
    observeSizeAfterLayout(instance, report)
    expect(report).toHaveBeenCalledWith({ width: 640, height: 300 })
  })
})
