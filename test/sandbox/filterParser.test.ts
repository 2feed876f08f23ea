import { describe, expect, it } from 'vitest'
import { compileFilter, FilterError, jsonPath } from '../../src/sandbox/filter/compile'
import { parseFilter } from '../../src/sandbox/filter/parser'
import type { FilterAttribute } from '../../src/sandbox/store/corporaTable'

const attributes: FilterAttribute[] = [
  { name: 'year', level: 'document', type: 'integer', indexed: true },
  { name: 'price', level: 'document', type: 'real_number', indexed: true },
  { name: 'title', level: 'document', type: 'text', indexed: true },
  { name: 'published', level: 'document', type: 'boolean', indexed: true },
  { name: 'author.name', level: 'document', type: 'text', indexed: true },
  { name: 'tags', level: 'document', type: 'list[text]', indexed: true },
  { name: 'lang', level: 'part', type: 'text', indexed: true }
]

describe('parseFilter', () => {
  it('binds AND tighter than OR', () => {
    expect(parseFilter("doc.year = 1 OR doc.year = 2 AND part.lang = 'eng'")).toEqual({
      kind: 'or',
      children: [
        {
          kind: 'compare',
          attribute: { level: 'doc', name: 'year', text: 'doc.year' },
          op: '=',
          value: 1
        },
        {
          kind: 'and',
          children: [
            {
              kind: 'compare',
              attribute: { level: 'doc', name: 'year', text: 'doc.year' },
              op: '=',
              value: 2
            },
            {
              kind: 'compare',
              attribute: { level: 'part', name: 'lang', text: 'part.lang' },
              op: '=',
              value: 'eng'
            }
          ]
        }
      ]
    })
  })

  it('honours parentheses, IN lists, negative and real numbers, booleans, escaped quotes and <>', () => {
    const node = parseFilter(
      "(doc.year IN (2023, -1, 2.5e1) or doc.published = TRUE) and doc.title <> 'it''s'"
    )
    expect(node).toMatchObject({
      kind: 'and',
      children: [
        {
          kind: 'or',
          children: [
            { kind: 'in', values: [2023, -1, 25] },
            { kind: 'compare', op: '=', value: true }
          ]
        },
        { kind: 'compare', op: '!=', value: "it's" }
      ]
    })
  })

  it('reads nested attribute paths and keeps keywords case-insensitive', () => {
    expect(parseFilter("DOC.author.name = 'Ada' And Part.lang In ('eng')")).toMatchObject({
      kind: 'and',
      children: [
        { attribute: { level: 'doc', name: 'author.name' } },
        { kind: 'in', attribute: { level: 'part', name: 'lang' } }
      ]
    })
  })

  it('reports positions in its errors', () => {
    expect(() => parseFilter('doc.year = 1 AND ~')).toThrow(/position 18/)
    expect(() => parseFilter('doc.year = ')).toThrow(/expected a value at position 12/)
  })

  it.each([
    'NOT doc.year = 1',
    'doc.year IS NULL',
    "doc.title LIKE 'a%'",
    'doc.year BETWEEN 1 AND 2',
    "doc.title CONTAINS 'a'",
    'EXISTS doc.year'
  ])('rejects %j as unsupported, naming the construct', (filter) => {
    expect(() => parseFilter(filter)).toThrow(/is not supported by the Sandbox/)
  })
})

describe('compileFilter', () => {
  const compile = (filter: string, levels?: ('doc' | 'part')[]) =>
    compileFilter(parseFilter(filter), attributes, levels)

  it('produces bound parameters for paths and values, never inline text', () => {
    const compiled = compile("doc.title = 'x'' OR 1=1 --' AND part.lang IN ('eng', 'deu')")
    expect(compiled.sql).toBe(
      '((json_extract(d.metadata, ?) = ?) AND (json_extract(p.metadata, ?) IN (?, ?)))'
    )
    expect(compiled.params).toEqual(['$."title"', "x' OR 1=1 --", '$."lang"', 'eng', 'deu'])
  })

  it('quotes every path segment of nested attributes', () => {
    expect(jsonPath('author.name')).toBe('$."author"."name"')
    expect(compile("doc.author.name = 'Ada'").params[0]).toBe('$."author"."name"')
  })

  it('maps booleans to what json_extract returns', () => {
    expect(compile('doc.published = true').params).toEqual(['$."published"', 1])
    expect(compile('doc.published != false').params).toEqual(['$."published"', 0])
  })

  it('accepts any number for integer and real attributes', () => {
    expect(compile('doc.year >= 2024 AND doc.price < 9.99').params).toEqual([
      '$."year"',
      2024,
      '$."price"',
      9.99
    ])
  })

  it.each([
    ['doc.nope = 1', /doc\.nope is not a filter attribute of this corpus \(filterable: doc\.year/],
    ["doc.lang = 'eng'", /doc\.lang is not a filter attribute/],
    ['part.year = 1', /part\.year is not a filter attribute/],
    ["doc.year = 'x'", /doc\.year is integer/],
    ['doc.title = 1', /doc\.title is text/],
    ['doc.published = 1', /doc\.published is boolean/],
    ['doc.published < true', /only = and != apply/],
    ["doc.tags = 'a'", /does not filter on lists/]
  ])('rejects %j', (filter, message) => {
    expect(() => compile(filter)).toThrow(message)
  })

  it('limits where a filter may look', () => {
    expect(() => compile("part.lang = 'eng'", ['doc'])).toThrow(FilterError)
    expect(compile('doc.year = 1', ['doc']).sql).toContain('d.metadata')
  })

  it('says so when the corpus has no filter attributes', () => {
    expect(() => compileFilter(parseFilter('doc.year = 1'), [])).toThrow(
      /it has no filter attributes/
    )
  })
})
