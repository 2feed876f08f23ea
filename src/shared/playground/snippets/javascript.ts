import { API_KEY_HEADER, KEY_VARIABLE, type QueryHttpRequest } from '../httpRequest'

/**
 * An ES module for Node 18+ that sends the request with `fetch` and prints what came back: the
 * number of search results, the first one and the summary (streamed, chunk by chunk).
 * Every value is a JSON literal, which is valid JavaScript for any string a user can type.
 */
export function javascriptSnippet(request: QueryHttpRequest): string {
  const headers = [
    `    ${JSON.stringify(API_KEY_HEADER)}: apiKey,`,
    ...Object.entries(request.headers).map(
      ([name, value]) => `    ${JSON.stringify(name)}: ${JSON.stringify(value)},`
    )
  ]
  return [
    '// Vectara query: POST /v2/query with fetch. Node 18+: save as query.mjs, run node query.mjs.',
    `// The key is read from the ${KEY_VARIABLE} environment variable; it is never written here.`,
    `const apiKey = process.env.${KEY_VARIABLE}`,
    `if (!apiKey) throw new Error("Set the ${KEY_VARIABLE} environment variable to your API key.")`,
    '',
    `const body = ${escapeLineSeparators(JSON.stringify(request.body, null, 2))}`,
    '',
    `const response = await fetch(${JSON.stringify(request.url)}, {`,
    `  method: ${JSON.stringify(request.method)},`,
    `  headers: {\n${headers.join('\n')}\n  },`,
    '  body: JSON.stringify(body),',
    '})',
    'if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`)',
    '',
    request.stream ? streamed : full
  ].join('\n')
}

/** U+2028/U+2029 are legal in JSON strings but end a line in pre-2019 JavaScript parsers. */
function escapeLineSeparators(json: string): string {
  return json.replace(/[\u2028\u2029]/g, (char) => (char === '\u2028' ? '\\u2028' : '\\u2029'))
}

const full = `const answer = await response.json()
const results = answer.search_results ?? []
console.log(\`Search results: \${results.length}\`)
if (results.length > 0) console.log(\`First result: \${results[0].text}\`)
if (answer.summary !== undefined) console.log(\`Summary: \${answer.summary}\`)
if (answer.factual_consistency_score !== undefined)
  console.log(\`Factual consistency score: \${answer.factual_consistency_score}\`)
`

const streamed = `// Server-Sent Events: "data:" lines carry each event's JSON, a blank line ends an event.
let summaryStarted = false
function show(event) {
  if (event.type === "search_results") {
    const results = event.search_results ?? []
    console.log(\`Search results: \${results.length}\`)
    if (results.length > 0) console.log(\`First result: \${results[0].text}\`)
  } else if (event.type === "generation_chunk") {
    if (!summaryStarted) process.stdout.write("Summary: ")
    summaryStarted = true
    process.stdout.write(event.generation_chunk ?? "")
  } else if (event.type === "generation_end" && summaryStarted) {
    process.stdout.write("\\n")
  } else if (event.type === "factual_consistency_score") {
    console.log(\`Factual consistency score: \${event.factual_consistency_score}\`)
  } else if (event.type === "error") {
    console.error(\`Stream error: \${(event.messages ?? []).join("; ")}\`)
    process.exitCode = 1
  }
}

const reader = response.body.getReader()
const decoder = new TextDecoder()
let pending = ""
let data = []
for (;;) {
  const { done, value } = await reader.read()
  pending += decoder.decode(value, { stream: !done })
  const lines = pending.split("\\n")
  pending = done ? "" : lines.pop()
  for (const line of lines.map((l) => l.replace(/\\r$/, ""))) {
    if (line.startsWith("data:")) data.push(line.slice(5))
    else if (line === "" && data.length > 0) {
      show(JSON.parse(data.join("\\n")))
      data = []
    }
  }
  if (done) break
}
if (data.length > 0) show(JSON.parse(data.join("\\n")))
`
