import { onBeforeUnmount } from 'vue'
import { createAppClient, type AppClient } from '../api/appClient'
import { useToastsStore } from '../stores/toasts'

/** How long a notification stays: long enough to read a key's name and its date. */
export const NOTIFICATION_TOAST_MS = 12_000

/**
 * Where there is no OS notification centre (the web harness), main sends what would have been
 * a notification (an expiry reminder, a key disabled at expiry) as an event: shown as a toast.
 */
export function useDesktopNotifications(client: AppClient = createAppClient()): void {
  const toasts = useToastsStore()
  const off = client.onNotification((notification) => {
    toasts.show('warning', notification.title, notification.body, NOTIFICATION_TOAST_MS)
  })
  onBeforeUnmount(off)
}
