import { defineStore } from 'pinia'
import { ref } from 'vue'

export type ToastTone = 'info' | 'success' | 'warning' | 'error'

export interface Toast {
  id: number
  tone: ToastTone
  title: string
  detail?: string
}

/** Short-lived confirmations and errors. Never put a secret in a toast. */
export const useToastsStore = defineStore('toasts', () => {
  const toasts = ref<Toast[]>([])
  let nextId = 1
  const timers = new Map<number, ReturnType<typeof setTimeout>>()

  function dismiss(id: number): void {
    toasts.value = toasts.value.filter((t) => t.id !== id)
    clearTimeout(timers.get(id))
    timers.delete(id)
  }

  function show(
    tone: ToastTone,
    title: string,
    detail?: string,
    durationMs = tone === 'error' ? 8000 : 4000
  ): number {
    const id = nextId++
    toasts.value = [...toasts.value.slice(-3), { id, tone, title, detail }]
    timers.set(
      id,
      setTimeout(() => dismiss(id), durationMs)
    )
    return id
  }

  return { toasts, show, dismiss }
})
