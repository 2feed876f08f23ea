import { z } from 'zod'
import { defineCall } from './define'

export const CorpusSummarySchema = z.object({
  key: z.string(),
  name: z.string(),
  description: z.string().optional()
})
export type CorpusSummary = z.infer<typeof CorpusSummarySchema>

export const corporaCalls = {
  /** The account's corpora from the API; the last known list when offline. */
  'corpora.list': defineCall(
    z.object({ accountId: z.string().min(1) }),
    z.object({ corpora: z.array(CorpusSummarySchema) })
  )
}
