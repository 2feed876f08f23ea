import { redactSecrets } from '../../redact'
import { buildCurl } from '../curl'
import type { QueryHttpRequest } from '../httpRequest'
import { javascriptSnippet } from './javascript'
import { pythonRequestsSnippet } from './python'
import { pythonSdkSnippet } from './pythonSdk'
import { redactStrings } from './redactStrings'

export type SnippetId = 'javascript' | 'python' | 'curl' | 'python-sdk'

/** The highlight.js grammar each snippet is written in. */
export type SnippetGrammar = 'javascript' | 'python' | 'bash'

export interface Snippet {
  id: SnippetId
  /** The tab's name, as the issue and the tests know it. */
  label: string
  grammar: SnippetGrammar
  /** How to run it, in a few words. */
  hint: string
  code: string
}

interface SnippetKind {
  id: SnippetId
  label: string
  grammar: SnippetGrammar
  hint: string
  write(request: QueryHttpRequest): string
}

const kinds: readonly SnippetKind[] = [
  {
    id: 'javascript',
    label: 'JavaScript',
    grammar: 'javascript',
    hint: 'Node 18 or later, fetch: save as query.mjs, then run node query.mjs',
    write: javascriptSnippet
  },
  {
    id: 'python',
    label: 'Python',
    grammar: 'python',
    hint: 'Python 3 with requests: save as query.py, then run python3 query.py',
    write: pythonRequestsSnippet
  },
  {
    id: 'curl',
    label: 'cURL',
    grammar: 'bash',
    hint: 'A POSIX shell (macOS, Linux, WSL): paste it into a terminal',
    write: ({ url, body, stream }) => buildCurl({ url, body, stream })
  },
  {
    id: 'python-sdk',
    label: 'Python SDK',
    grammar: 'python',
    hint: "Vectara's Python SDK: pip install vectara, then run python3 query.py",
    write: pythonSdkSnippet
  }
]

/**
 * The request main would send, as code in four flavours. Each reads the key from
 * `VECTARA_API_KEY` and holds no secret: strings are redacted before they are quoted, and the
 * finished code once more, so a key pasted into the query box never leaves in a snippet.
 */
export function buildSnippets(request: QueryHttpRequest): Snippet[] {
  const safe = withoutSecrets(request)
  return kinds.map((kind) => written(kind, safe))
}

export function buildSnippet(request: QueryHttpRequest, id: SnippetId): Snippet {
  const kind = kinds.find((k) => k.id === id)
  if (!kind) throw new Error(`There is no "${id}" snippet.`)
  return written(kind, withoutSecrets(request))
}

function withoutSecrets(request: QueryHttpRequest): QueryHttpRequest {
  return { ...request, url: redactSecrets(request.url), body: redactStrings(request.body) }
}

function written({ write, ...kind }: SnippetKind, request: QueryHttpRequest): Snippet {
  return { ...kind, code: redactSecrets(write(request)) }
}
