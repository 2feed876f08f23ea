/** A seed document in the API's CreateDocumentRequest shape, indexed like any client's. */
export type SeedDocument =
  | {
      type: 'structured'
      id: string
      title: string
      metadata: Record<string, unknown>
      sections: { title?: string; text: string; metadata?: Record<string, unknown> }[]
    }
  | {
      type: 'core'
      id: string
      metadata: Record<string, unknown>
      document_parts: { text: string; metadata?: Record<string, unknown> }[]
    }
