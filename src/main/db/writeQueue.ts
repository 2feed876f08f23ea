/**
 * Items written in one batch on the next turn of the event loop: whatever produced one goes on
 * without waiting for a commit. `flush()` writes what is pending at once; readers call it
 * first, so nothing reads around a pending item.
 */
export class WriteQueue<T> {
  private pending: T[] = []
  private scheduled = false

  constructor(
    private readonly write: (batch: T[]) => void,
    /** A batch written on its own turn has no caller to throw to: its error goes here. */
    private readonly onError?: (error: unknown) => void
  ) {}

  push(item: T): void {
    this.pending.push(item)
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => {
      try {
        this.flush()
      } catch (error) {
        this.onError?.(error)
      }
    })
  }

  flush(): void {
    this.scheduled = false
    if (this.pending.length === 0) return
    const batch = this.pending
    this.pending = []
    this.write(batch)
  }
}
