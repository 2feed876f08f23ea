/** Past this, stop waiting for a frame: a hidden or minimised window may not draw one soon. */
const FRAME_WAIT_LIMIT_MS = 100

/**
 * Resolves once the browser has had the chance to paint what is in the DOM now: after the next
 * animation frame, in the task that follows it (the frame's paint runs between the two).
 * Where no frame is coming (a hidden window, a test DOM without frames), it resolves anyway:
 * at once in a task when the document is hidden or has no frames, else after
 * FRAME_WAIT_LIMIT_MS at the latest.
 */
export function nextPaint(): Promise<void> {
  return new Promise((resolve) => {
    const hidden = typeof document !== 'undefined' && document.visibilityState === 'hidden'
    if (typeof requestAnimationFrame !== 'function' || hidden) {
      setTimeout(resolve, 0)
      return
    }
    let done = false
    const finish = (): void => {
      if (done) return
      done = true
      clearTimeout(limit)
      resolve()
    }
    const limit = setTimeout(finish, FRAME_WAIT_LIMIT_MS)
    requestAnimationFrame(() => setTimeout(finish, 0))
  })
}
