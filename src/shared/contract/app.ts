import { z } from 'zod'
import { defineCall } from './define'

export const AppStatusSchema = z.object({
  appVersion: z.string(),
  platform: z.string(),
  runtime: z.enum(['electron', 'harness']),
  keychain: z.object({
    available: z.boolean(),
    backend: z.string(),
    /** Why the keychain did not answer, with a setup hint. Absent when it answered. */
    problem: z.string().optional()
  }),
  database: z.object({
    path: z.string(),
    schemaVersion: z.number().int(),
    /** Set when the previous file could not be opened and was moved aside at start-up. */
    recoveredFrom: z.string().optional()
  })
})
export type AppStatus = z.infer<typeof AppStatusSchema>

export const appCalls = {
  'app.status': defineCall(z.undefined(), AppStatusSchema)
}

export const AppNoticeSchema = z.object({
  level: z.enum(['info', 'warning', 'error']),
  message: z.string()
})
export type AppNotice = z.infer<typeof AppNoticeSchema>

export const AppNotificationSchema = z.object({ title: z.string(), body: z.string() })
export type AppNotification = z.infer<typeof AppNotificationSchema>

export const appEvents = {
  /** Something the user should know that no call asked about (e.g. a database was recovered). */
  'app.notice': AppNoticeSchema,
  /**
   * A notification the OS would show in the desktop app (an expiry reminder, a step that is due).
   * Sent only where there is no OS notification centre (the web harness): shown as a toast.
   */
  'app.notification': AppNotificationSchema
}
