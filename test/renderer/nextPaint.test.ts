import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextPaint } from '@renderer/utils/nextPaint'

afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('nextPaint', () => {
  it('resolves in the task after the next animation frame', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'requestAnimationFrame'] })
    let resolved = false
    void nextPaint().then(() => (resolved = true))
    await vi.advanceTimersByTimeAsync(0)
    expect(resolved).toBe(false)
    // Fake frames come every 16 ms; the task after the first one resolves it.
    await vi.advanceTimersByTimeAsync(17)
    expect(resolved).toBe(true)
  })

  it('does not wait long for a frame that does not come', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    vi.spyOn(globalThis, 'requestAnimationFrame').mockImplementation(() => 0)
    let resolved = false
    void nextPaint().then(() => (resolved = true))
    await vi.advanceTimersByTimeAsync(99)
    expect(resolved).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(resolved).toBe(true)
  })

  it('does not wait for a frame at all while the window is hidden', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const frame = vi.spyOn(globalThis, 'requestAnimationFrame').mockImplementation(() => 0)
    vi.spyOn(document, 'visibilityState', 'get').mockReturnValue('hidden')
    let resolved = false
    void nextPaint().then(() => (resolved = true))
    await vi.advanceTimersByTimeAsync(0)
    expect(resolved).toBe(true)
    expect(frame).not.toHaveBeenCalled()
  })
})
