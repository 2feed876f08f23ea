/** Thrown for any filter the Sandbox will not run; the message names the offending part. */
export class FilterError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'FilterError'
  }
}

export type Token =
  | { kind: 'lparen' | 'rparen' | 'comma' | 'end'; at: number }
  | { kind: 'op'; op: string; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'word'; word: string; at: number }

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/
const WORD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/
const OPERATORS = ['<=', '>=', '!=', '<>', '=', '<', '>']

/** Splits a metadata filter into tokens; positions are 1-based for error messages. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < source.length) {
    const ch = source[i]
    const at = i + 1
    if (/\s/.test(ch)) {
      i++
    } else if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({ kind: ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'comma', at })
      i++
    } else if (ch === "'") {
      const { value, next } = readString(source, i)
      tokens.push({ kind: 'string', value, at })
      i = next
    } else if (ch === '"') {
      throw new FilterError(
        `double-quoted text at position ${at}; write text values in single quotes`
      )
    } else if (NUMBER.test(source.slice(i, i + 40)) && (ch !== '-' || isValueStart(tokens))) {
      const match = NUMBER.exec(source.slice(i))![0]
      tokens.push({ kind: 'number', value: Number(match), at })
      i += match.length
    } else if (WORD.test(source.slice(i, i + 1))) {
      const match = WORD.exec(source.slice(i))![0]
      tokens.push({ kind: 'word', word: match, at })
      i += match.length
    } else {
      const op = OPERATORS.find((candidate) => source.startsWith(candidate, i))
      if (!op) throw new FilterError(`unsupported character '${ch}' at position ${at}`)
      tokens.push({ kind: 'op', op, at })
      i += op.length
    }
  }
  tokens.push({ kind: 'end', at: source.length + 1 })
  return tokens
}

/** A minus sign starts a number only where a value may appear, never after a value. */
function isValueStart(tokens: Token[]): boolean {
  const last = tokens[tokens.length - 1]
  return !last || last.kind === 'op' || last.kind === 'lparen' || last.kind === 'comma'
}

/** SQL-style text: single quotes, with '' standing for one quote inside. */
function readString(source: string, start: number): { value: string; next: number } {
  let value = ''
  let i = start + 1
  while (i < source.length) {
    if (source[i] === "'") {
      if (source[i + 1] === "'") {
        value += "'"
        i += 2
        continue
      }
      return { value, next: i + 1 }
    }
    value += source[i]
    i++
  }
  throw new FilterError(`unterminated text starting at position ${start + 1}`)
}
