/** Four spaces: what PEP 8 and every Python formatter use. */
export const PY_INDENT = '    '

/**
 * A Python string literal that evaluates to exactly `value`. A JSON string literal already is
 * one (its escapes \" \\ \b \f \n \r \t \uXXXX mean the same in Python); the line and paragraph
 * separators and C1 controls, which JSON leaves raw, are escaped too so the source stays plain.
 */
export function pythonString(value: string): string {
  return JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

/** Builds the Python expression for a part of the body; `null` means "use the default". */
export type PythonObjectWriter = (
  value: Record<string, unknown>,
  path: string,
  indent: string
) => string | null

/**
 * A JSON value as a Python expression: dicts, lists, str, int/float, True/False/None.
 * `objectWriter` may write chosen objects another way (the SDK's classes); `path` names where a
 * value sits, e.g. `search.corpora[]`.
 */
export function pythonLiteral(
  value: unknown,
  indent = '',
  path = '',
  objectWriter?: PythonObjectWriter
): string {
  if (value === null || value === undefined) return 'None'
  if (typeof value === 'string') return pythonString(value)
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'None'
  const inner = indent + PY_INDENT
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    const items = value.map(
      (item) => `${inner}${pythonLiteral(item, inner, `${path}[]`, objectWriter)},`
    )
    return `[\n${items.join('\n')}\n${indent}]`
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>
    const written = objectWriter?.(record, path, indent)
    if (written !== null && written !== undefined) return written
    const entries = Object.entries(record).filter(([, item]) => item !== undefined)
    if (entries.length === 0) return '{}'
    const lines = entries.map(
      ([name, item]) =>
        `${inner}${pythonString(name)}: ${pythonLiteral(item, inner, join(path, name), objectWriter)},`
    )
    return `{\n${lines.join('\n')}\n${indent}}`
  }
  throw new Error(`A ${typeof value} cannot be written as Python.`)
}

/** `search` + `corpora` → `search.corpora`. */
export function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name
}
