import bash from 'highlight.js/lib/languages/bash'
import javascript from 'highlight.js/lib/languages/javascript'
import python from 'highlight.js/lib/languages/python'
import type { ElementContent, RootContent } from 'hast'
import { createLowlight } from 'lowlight'
import type { SnippetGrammar } from '@shared/playground/snippets'

/** A run of code and the highlight.js classes it sits in (`hljs-string`, …). */
export interface CodeToken {
  text: string
  classes: string[]
}

// Only the three grammars the snippets are written in: the rest of highlight.js stays out of
// the bundle.
const lowlight = createLowlight({ bash, javascript, python })

/**
 * Highlighted code as flat tokens, for the template to render as text in spans: highlight.js
 * (through lowlight) gives a syntax tree, never HTML, so nothing is parsed and no v-html is needed.
 */
export function codeTokens(code: string, grammar: SnippetGrammar): CodeToken[] {
  const tokens: CodeToken[] = []
  for (const node of lowlight.highlight(grammar, code).children) collect(node, [], tokens)
  return tokens
}

function collect(node: RootContent | ElementContent, classes: string[], into: CodeToken[]): void {
  if (node.type === 'text') {
    const last = into.at(-1)
    // Neighbouring text in the same classes is one token: fewer spans to render.
    if (last && sameClasses(last.classes, classes)) last.text += node.value
    else into.push({ text: node.value, classes })
    return
  }
  if (node.type !== 'element') return
  const own = node.properties.className
  const nested = Array.isArray(own) ? [...classes, ...own.map(String)] : classes
  for (const child of node.children) collect(child, nested, into)
}

function sameClasses(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i])
}
