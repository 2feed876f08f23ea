import { KEY_VARIABLE, type QueryHttpRequest } from '../httpRequest'
import { PY_INDENT, pythonLiteral, pythonString, type PythonObjectWriter } from './pythonLiteral'

/** Where the SDK sends requests unless told otherwise (its `VectaraEnvironment.PRODUCTION`). */
export const SDK_DEFAULT_BASE_URL = 'https://api.vectara.io'

/** The SDK's model class for each part of the body, by where the part sits. */
const sdkClasses: Record<string, string> = {
  search: 'SearchCorporaParameters',
  'search.corpora[]': 'KeyedSearchCorpus',
  'search.context_configuration': 'ContextConfiguration',
  generation: 'GenerationParameters',
  'generation.citations': 'CitationParameters',
  'generation.model_parameters': 'ModelParameters'
}

/** Rerankers are a union in the SDK: one class per `type`, which the class itself sets. */
const rerankerClasses: Record<string, string> = {
  mmr: 'MmrReranker',
  customer_reranker: 'CustomerSpecificReranker',
  userfn: 'UserFunctionReranker',
  chain: 'ChainReranker',
  none: 'NoneReranker'
}

/** Top-level fields the SDK's `query()` takes as arguments; the method chooses streaming. */
const queryArguments = ['query', 'search', 'generation']

/**
 * The same request through Vectara's Python SDK (`pip install vectara`): `Vectara(api_key=…)`
 * then `client.query(…)`, or `client.query_stream(…)` for a streamed answer. The SDK cannot be
 * installed here, so this one is checked for syntax and shape rather than run.
 */
export function pythonSdkSnippet(request: QueryHttpRequest): string {
  const used = new Set<string>(['Vectara'])
  const writer = sdkObjectWriter(used)
  const body = request.body as unknown as Record<string, unknown>
  const args = queryArguments
    .filter((name) => body[name] !== undefined && body[name] !== null)
    .map((name) => `${PY_INDENT}${name}=${pythonLiteral(body[name], PY_INDENT, name, writer)},`)
  const method = request.stream ? 'query_stream' : 'query'
  const call = `client.${method}(\n${args.join('\n')}\n)`
  const imports = [...used].sort().map((name) => `${PY_INDENT}${name},`)
  return [
    `# Vectara query with Vectara's Python SDK (pip install vectara).`,
    `# The key is read from the ${KEY_VARIABLE} environment variable; it is never written here.`,
    `# In newer SDK versions the same call is client.queries.${method}(...).`,
    ...unsentFields(body),
    ...baseUrlNote(request.url),
    'import os',
    '',
    `from vectara import (\n${imports.join('\n')}\n)`,
    '',
    `client = Vectara(api_key=os.environ[${pythonString(KEY_VARIABLE)}])`,
    '',
    request.stream
      ? `summary_started = False\nfor event in ${call}:\n${streamedLoop}`
      : `response = ${call}\n${fullPrint}`
  ].join('\n')
}

function sdkObjectWriter(used: Set<string>): PythonObjectWriter {
  const writer: PythonObjectWriter = (value, path, indent) => {
    if (path === 'search.reranker') {
      const name = typeof value.type === 'string' ? rerankerClasses[value.type] : undefined
      if (!name) return null
      const { type: _type, ...fields } = value
      return keywordCall(name, fields, path, indent, used, writer)
    }
    const name = sdkClasses[path]
    return name ? keywordCall(name, value, path, indent, used, writer) : null
  }
  return writer
}

/** `Name(\n    field=value,\n)`, or null when a field name is no Python identifier. */
function keywordCall(
  name: string,
  fields: Record<string, unknown>,
  path: string,
  indent: string,
  used: Set<string>,
  writer: PythonObjectWriter
): string | null {
  const entries = Object.entries(fields).filter(([, item]) => item !== undefined)
  if (entries.some(([field]) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(field))) return null
  used.add(name)
  if (entries.length === 0) return `${name}()`
  const inner = indent + PY_INDENT
  const lines = entries.map(
    ([field, item]) => `${inner}${field}=${pythonLiteral(item, inner, `${path}.${field}`, writer)},`
  )
  return `${name}(\n${lines.join('\n')}\n${indent})`
}

/**
 * Fields of the body that `query()` does not take in every SDK version, said rather than lost.
 * Single-line JSON keeps each one inside its comment, whatever the value holds.
 */
function unsentFields(body: Record<string, unknown>): string[] {
  return Object.entries(body)
    .filter(([name]) => !queryArguments.includes(name) && name !== 'stream_response')
    .filter(([, value]) => value !== undefined && value !== null)
    .map(
      ([name, value]) =>
        `# The app also sends ${JSON.stringify(name)}: ${JSON.stringify(value)} in the body: pass it to the call too where your SDK version takes it.`
    )
}

/**
 * The SDK reaches any other address (the Sandbox) only through its `environment` argument, whose
 * type changed between versions: say so, instead of writing code that fits one version only.
 */
function baseUrlNote(url: string): string[] {
  const base = url.replace(/\/v2\/query$/, '')
  if (base === SDK_DEFAULT_BASE_URL) return []
  return [
    `# This request goes to ${pythonString(base)}, but the SDK sends to ${SDK_DEFAULT_BASE_URL} unless told`,
    '# otherwise. Point it there with the `environment` argument of Vectara(...): in SDK 0.2.x,',
    '# from vectara.environment import VectaraEnvironment and pass',
    `# environment=VectaraEnvironment(default=${pythonString(base)}, auth=${pythonString(base)}).`,
    '# Other versions differ; the JavaScript, Python and cURL code reach this address as they are.'
  ]
}

const fullPrint = `results = response.search_results or []
print(f"Search results: {len(results)}")
if results:
    print(f"First result: {results[0].text}")
if response.summary is not None:
    print(f"Summary: {response.summary}")
`

const streamedLoop = `    kind = getattr(event, "type", None)
    if kind == "search_results":
        results = event.search_results or []
        print(f"Search results: {len(results)}")
        if results:
            print(f"First result: {results[0].text}")
    elif kind == "generation_chunk":
        if not summary_started:
            print("Summary: ", end="")
            summary_started = True
        print(event.generation_chunk or "", end="", flush=True)
    elif kind == "generation_end" and summary_started:
        print()
    elif kind == "factual_consistency_score":
        print(f"Factual consistency score: {event.factual_consistency_score}")
    elif kind == "error":
        raise SystemExit(f"Stream error: {event.messages}")
`
