import type { FilterAttribute } from '../store/corporaTable'
import { FilterError } from './lexer'
import type { AttributeRef, FilterNode, Literal } from './parser'

export interface SqlFilter {
  /** A boolean SQL expression over `d.metadata` (document) and `p.metadata` (part). */
  sql: string
  params: (string | number)[]
}

/** A JSON path with every segment quoted, so attribute names never act as path syntax. */
export const jsonPath = (name: string): string =>
  '$' +
  name
    .split('.')
    .map((segment) => `."${segment}"`)
    .join('')

/**
 * Turns a parsed filter into parameterised SQL. As in Vectara, only the corpus's
 * `filter_attributes` may be filtered on, at their declared level, with values of their type.
 * `levels` limits where a filter may look (document listing filters know no parts).
 */
export function compileFilter(
  node: FilterNode,
  attributes: FilterAttribute[],
  levels: readonly ('doc' | 'part')[] = ['doc', 'part']
): SqlFilter {
  const params: (string | number)[] = []
  const sql = emit(node, attributes, levels, params)
  return { sql, params }
}

function emit(
  node: FilterNode,
  attributes: FilterAttribute[],
  levels: readonly ('doc' | 'part')[],
  params: (string | number)[]
): string {
  if (node.kind === 'and' || node.kind === 'or') {
    const joiner = node.kind === 'and' ? ' AND ' : ' OR '
    return (
      '(' + node.children.map((child) => emit(child, attributes, levels, params)).join(joiner) + ')'
    )
  }
  const attribute = resolve(node.attribute, attributes, levels)
  const column = `json_extract(${node.attribute.level === 'doc' ? 'd' : 'p'}.metadata, ?)`
  params.push(jsonPath(attribute.name))
  if (node.kind === 'in') {
    for (const value of node.values) params.push(toSqlValue(value, attribute, node.attribute))
    return `(${column} IN (${node.values.map(() => '?').join(', ')}))`
  }
  if (attribute.type === 'boolean' && node.op !== '=' && node.op !== '!=') {
    throw new FilterError(`${node.attribute.text} is boolean; only = and != apply to it`)
  }
  params.push(toSqlValue(node.value, attribute, node.attribute))
  return `(${column} ${node.op} ?)`
}

function resolve(
  ref: AttributeRef,
  attributes: FilterAttribute[],
  levels: readonly string[]
): FilterAttribute {
  if (!levels.includes(ref.level)) {
    throw new FilterError(
      `${ref.text}: only ${levels.map((l) => `${l}.`).join(' and ')} attributes can be used here`
    )
  }
  const level = ref.level === 'doc' ? 'document' : 'part'
  const attribute = attributes.find((a) => a.level === level && a.name === ref.name)
  if (!attribute) {
    const known = attributes.map((a) => `${a.level === 'document' ? 'doc' : 'part'}.${a.name}`)
    throw new FilterError(
      `${ref.text} is not a filter attribute of this corpus` +
        (known.length ? ` (filterable: ${known.join(', ')})` : ' (it has no filter attributes)')
    )
  }
  if (attribute.type.startsWith('list[')) {
    throw new FilterError(
      `${ref.text} is a ${attribute.type} attribute; the Sandbox does not filter on lists`
    )
  }
  return attribute
}

function toSqlValue(
  value: Literal,
  attribute: FilterAttribute,
  ref: AttributeRef
): string | number {
  const expected =
    attribute.type === 'text' ? 'string' : attribute.type === 'boolean' ? 'boolean' : 'number'
  if (typeof value !== expected) {
    throw new FilterError(
      `${ref.text} is ${attribute.type}; ${JSON.stringify(value)} is not a ${attribute.type} value`
    )
  }
  // json_extract yields JSON true/false as 1/0.
  if (typeof value === 'boolean') return value ? 1 : 0
  return value
}

export { FilterError }
