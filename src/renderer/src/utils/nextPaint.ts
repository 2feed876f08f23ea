/**
 * Resolves once the browser has had the chance to paint what is in the DOM now: after the next
 * animation frame, in the task that follows it (the frame's paint runs between the two).
 * Where there are no frames (a hidden window, some test DOMs), it falls back to a task.
 */
export function nextPaint(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof requestAnimationFrame !== 'function') {
      setTimeout(resolve, 0)
      return
    }
    requestAnimationFrame(() => setTimeout(resolve, 0))
  })
}
