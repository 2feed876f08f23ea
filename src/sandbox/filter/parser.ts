import { FilterError, tokenize, type Token } from './lexer'

/**
 * The documented subset of Vectara's metadata filter language that the Sandbox runs:
 *
 *   expr       := and ( OR and )*
 *   and        := primary ( AND primary )*
 *   primary    := '(' expr ')' | comparison
 *   comparison := attribute op literal | attribute IN '(' literal ( ',' literal )* ')'
 *   attribute  := ( doc | part ) '.' name
 *   op         := = | != | <> | < | <= | > | >=
 *   literal    := 'text' | number | true | false
 *
 * Anything else (NOT, IS NULL, LIKE, BETWEEN, functions, arithmetic, comparing two attributes)
 * is rejected with a message that names it, rather than being silently misread.
 */
export type Literal = string | number | boolean

export interface AttributeRef {
  level: 'doc' | 'part'
  name: string
  text: string
}

export type FilterNode =
  | { kind: 'and'; children: FilterNode[] }
  | { kind: 'or'; children: FilterNode[] }
  | { kind: 'compare'; attribute: AttributeRef; op: ComparisonOp; value: Literal }
  | { kind: 'in'; attribute: AttributeRef; values: Literal[] }

export type ComparisonOp = '=' | '!=' | '<' | '<=' | '>' | '>='

const MAX_DEPTH = 32
const UNSUPPORTED_WORDS: Record<string, string> = {
  NOT: 'NOT',
  IS: 'IS / IS NULL',
  NULL: 'NULL',
  LIKE: 'LIKE',
  BETWEEN: 'BETWEEN',
  EXISTS: 'EXISTS',
  CONTAINS: 'CONTAINS'
}

export function parseFilter(source: string): FilterNode {
  const parser = new Parser(tokenize(source))
  const node = parser.expression(0)
  parser.expectEnd()
  return node
}

class Parser {
  private index = 0

  constructor(private readonly tokens: Token[]) {}

  expression(depth: number): FilterNode {
    if (depth > MAX_DEPTH)
      throw new FilterError(`parentheses nested deeper than ${MAX_DEPTH} levels`)
    const children = [this.conjunction(depth)]
    while (this.keyword('OR')) children.push(this.conjunction(depth))
    return children.length === 1 ? children[0] : { kind: 'or', children }
  }

  expectEnd(): void {
    const token = this.peek()
    if (token.kind === 'end') return
    throw new FilterError(
      `unexpected ${describe(token)} at position ${token.at}; expected AND, OR or the end`
    )
  }

  private conjunction(depth: number): FilterNode {
    const children = [this.primary(depth)]
    while (this.keyword('AND')) children.push(this.primary(depth))
    return children.length === 1 ? children[0] : { kind: 'and', children }
  }

  private primary(depth: number): FilterNode {
    const token = this.next()
    if (token.kind === 'lparen') {
      const inner = this.expression(depth + 1)
      const close = this.next()
      if (close.kind !== 'rparen') {
        throw new FilterError(
          `expected ')' at position ${close.at} to close '(' at position ${token.at}`
        )
      }
      return inner
    }
    if (token.kind === 'word') return this.comparison(token)
    if (token.kind === 'string' || token.kind === 'number') {
      throw new FilterError(
        `a value at position ${token.at} where an attribute was expected; write the attribute first, e.g. doc.year >= 2024`
      )
    }
    throw new FilterError(
      `unexpected ${describe(token)} at position ${token.at}; expected a comparison`
    )
  }

  private comparison(word: Extract<Token, { kind: 'word' }>): FilterNode {
    const attribute = this.attribute(word)
    const token = this.next()
    if (token.kind === 'word' && token.word.toUpperCase() === 'IN') {
      return { kind: 'in', attribute, values: this.literalList() }
    }
    if (token.kind === 'word') rejectWord(token)
    if (token.kind !== 'op') {
      throw new FilterError(
        `expected a comparison operator after ${attribute.text} at position ${token.at}`
      )
    }
    const op: ComparisonOp = token.op === '<>' ? '!=' : (token.op as ComparisonOp)
    return { kind: 'compare', attribute, op, value: this.literal() }
  }

  private attribute(word: Extract<Token, { kind: 'word' }>): AttributeRef {
    rejectWord(word)
    if (this.peek().kind === 'lparen') {
      throw new FilterError(
        `function call '${word.word}(…)' at position ${word.at} is not supported`
      )
    }
    const match = /^(doc|part)\.(.+)$/i.exec(word.word)
    if (!match) {
      throw new FilterError(
        `'${word.word}' at position ${word.at} is not an attribute; use doc.<name> or part.<name>`
      )
    }
    return { level: match[1].toLowerCase() as 'doc' | 'part', name: match[2], text: word.word }
  }

  private literal(): Literal {
    const token = this.next()
    if (token.kind === 'string' || token.kind === 'number') return token.value
    if (token.kind === 'word') {
      const upper = token.word.toUpperCase()
      if (upper === 'TRUE') return true
      if (upper === 'FALSE') return false
      rejectWord(token)
      throw new FilterError(
        `comparing with '${token.word}' at position ${token.at} is not supported; compare an attribute with a text, number or boolean value`
      )
    }
    throw new FilterError(`expected a value at position ${token.at}, found ${describe(token)}`)
  }

  private literalList(): Literal[] {
    const open = this.next()
    if (open.kind !== 'lparen')
      throw new FilterError(`expected '(' after IN at position ${open.at}`)
    if (this.peek().kind === 'rparen') throw new FilterError(`empty IN list at position ${open.at}`)
    const values = [this.literal()]
    for (;;) {
      const token = this.next()
      if (token.kind === 'rparen') return values
      if (token.kind !== 'comma')
        throw new FilterError(`expected ',' or ')' in the IN list at position ${token.at}`)
      values.push(this.literal())
    }
  }

  private keyword(word: string): boolean {
    const token = this.peek()
    if (token.kind === 'word' && token.word.toUpperCase() === word) {
      this.index++
      return true
    }
    return false
  }

  private peek(): Token {
    return this.tokens[this.index]
  }

  private next(): Token {
    const token = this.tokens[this.index]
    if (token.kind !== 'end') this.index++
    return token
  }
}

function rejectWord(token: Extract<Token, { kind: 'word' }>): void {
  const name = UNSUPPORTED_WORDS[token.word.toUpperCase()]
  if (name)
    throw new FilterError(`${name} (at position ${token.at}) is not supported by the Sandbox`)
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'end':
      return 'end of filter'
    case 'lparen':
      return "'('"
    case 'rparen':
      return "')'"
    case 'comma':
      return "','"
    case 'op':
      return `'${token.op}'`
    case 'string':
      return `text '${token.value}'`
    case 'number':
      return `number ${token.value}`
    case 'word':
      return `'${token.word}'`
  }
}
