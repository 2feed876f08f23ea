import type { AccountsState } from '@shared/contract/accounts'
import type { KeyRow } from '@shared/contract/keys'
import type { HistoryEntry, PlaygroundResult } from '@shared/contract/playground'
import { defaultPlaygroundOptions } from '@shared/playground/options'

export const accountsState: AccountsState = {
  accounts: [
    {
      id: 'sandbox',
      name: 'Sandbox',
      baseUrl: 'http://127.0.0.1:4100',
      authKind: 'sandbox',
      builtin: true,
      createdAt: 0
    }
  ],
  currentId: 'sandbox'
}

export function keyRow(partial: Partial<KeyRow> & { id: string }): KeyRow {
  return {
    name: partial.id,
    kind: 'query',
    maskedSecret: 'zqt_…ab12',
    secretStored: true,
    enabled: true,
    corpora: ['employee-handbook'],
    firstSeenAt: 0,
    lastUsedAt: null,
    ...partial
  }
}

export const rows: KeyRow[] = [
  keyRow({ id: 'aky_query', name: 'website-search' }),
  keyRow({ id: 'aky_index', name: 'indexer', kind: 'index', maskedSecret: 'zwt_…cd34' }),
  keyRow({ id: 'aky_personal', name: 'admin', kind: 'personal', maskedSecret: 'zut_…ef56' }),
  keyRow({ id: 'aky_nosecret', name: 'not stored', secretStored: false })
]

export const corpora = [
  { key: 'employee-handbook', name: 'Employee handbook' },
  { key: 'product-faq', name: 'Trailglow product FAQ' }
]

export function result(partial: Partial<PlaygroundResult> = {}): PlaygroundResult {
  return {
    runId: 'run',
    historyId: 7,
    request: {
      method: 'POST',
      url: 'http://127.0.0.1:4100/v2/query',
      body: { query: 'leave' },
      streamed: false,
      keyLabel: 'the key "website-search"'
    },
    response: {
      status: 200,
      requestId: 'req-1',
      contentType: 'application/json',
      ttfbMs: 12,
      totalMs: 30,
      sizeBytes: 2048,
      raw: '{"search_results":[]}',
      rawTruncated: false
    },
    answer: {
      searchResults: [
        {
          text: 'Parents get <em>20 weeks</em> of leave.',
          score: 0.81,
          document_id: 'leave-policy',
          corpus_key: 'employee-handbook',
          document_metadata: { title: 'Leave policy', year: 2025 }
        }
      ],
      summary: 'Parents get 20 weeks [1].',
      factualConsistencyScore: 0.9,
      warnings: [],
      streamErrors: []
    },
    ...partial
  }
}

export function entry(partial: Partial<HistoryEntry> & { id: number }): HistoryEntry {
  return {
    at: Date.now() - 60_000,
    accountId: 'sandbox',
    keyId: 'aky_query',
    keyName: 'website-search',
    keyKind: 'query',
    keyMasked: 'zqt_…ab12',
    corpusKeys: ['employee-handbook'],
    query: 'parental leave',
    options: { ...defaultPlaygroundOptions, stream: false },
    status: 200,
    latencyMs: 20,
    resultCount: 3,
    errorCode: null,
    errorMessage: null,
    name: null,
    savedAt: null,
    ...partial
  }
}
