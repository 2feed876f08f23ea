import { API_KEY_HEADER, KEY_VARIABLE, type QueryHttpRequest } from '../httpRequest'
import { PY_INDENT, pythonLiteral, pythonString } from './pythonLiteral'

/**
 * A Python 3 program that sends the request with `requests` and prints what came back: the
 * number of search results, the first one and the summary (streamed, chunk by chunk).
 */
export function pythonRequestsSnippet(request: QueryHttpRequest): string {
  const headers = [
    `${PY_INDENT}${pythonString(API_KEY_HEADER)}: os.environ[${pythonString(KEY_VARIABLE)}],`,
    ...Object.entries(request.headers).map(
      ([name, value]) => `${PY_INDENT}${pythonString(name)}: ${pythonString(value)},`
    )
  ]
  return [
    '# Vectara query: POST /v2/query with requests (pip install requests), Python 3.',
    `# The key is read from the ${KEY_VARIABLE} environment variable; it is never written here.`,
    ...(request.stream ? ['import json'] : []),
    'import os',
    '',
    'import requests',
    '',
    `url = ${pythonString(request.url)}`,
    `headers = {\n${headers.join('\n')}\n}`,
    `body = ${pythonLiteral(request.body)}`,
    '',
    request.stream ? streamed : full
  ].join('\n')
}

const full = `response = requests.post(url, headers=headers, json=body, timeout=60)
if not response.ok:
    raise SystemExit(f"HTTP {response.status_code}: {response.text}")

answer = response.json()
results = answer.get("search_results", [])
print(f"Search results: {len(results)}")
if results:
    print(f"First result: {results[0].get('text', '')}")
if "summary" in answer:
    print(f"Summary: {answer['summary']}")
if "factual_consistency_score" in answer:
    print(f"Factual consistency score: {answer['factual_consistency_score']}")
`

const streamed = `with requests.post(url, headers=headers, json=body, stream=True, timeout=60) as response:
    if not response.ok:
        raise SystemExit(f"HTTP {response.status_code}: {response.text}")
    summary_started = False
    # Server-Sent Events: each event's JSON arrives on a "data:" line.
    for line in response.iter_lines():
        if not line.startswith(b"data:"):
            continue
        event = json.loads(line[len(b"data:"):].decode("utf-8"))
        kind = event.get("type")
        if kind == "search_results":
            results = event.get("search_results", [])
            print(f"Search results: {len(results)}")
            if results:
                print(f"First result: {results[0].get('text', '')}")
        elif kind == "generation_chunk":
            if not summary_started:
                print("Summary: ", end="")
                summary_started = True
            print(event.get("generation_chunk", ""), end="", flush=True)
        elif kind == "generation_end" and summary_started:
            print()
        elif kind == "factual_consistency_score":
            print(f"Factual consistency score: {event.get('factual_consistency_score')}")
        elif kind == "error":
            raise SystemExit(f"Stream error: {'; '.join(event.get('messages', []))}")
`
