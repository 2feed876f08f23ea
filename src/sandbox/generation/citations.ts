import type { JsonObject } from '../http/fields'

export const CITATION_STYLES = ['none', 'numeric', 'html', 'markdown'] as const
export type CitationStyle = (typeof CITATION_STYLES)[number]

export interface CitationOptions {
  style: CitationStyle
  urlPattern?: string
  textPattern?: string
}

export interface CitedSource {
  /** 1-based position among the results given to the generator. */
  index: number
  documentId: string
  documentMetadata: JsonObject
  partMetadata: JsonObject
}

/**
 * The marker placed after a cited sentence, in the requested style. Patterns may name
 * `{doc.id}`, `{doc.<field>}` and `{part.<field>}`; a missing field becomes an empty string.
 */
export function citationMarker(source: CitedSource, options: CitationOptions): string {
  switch (options.style) {
    case 'none':
      return ''
    case 'numeric':
      return ` [${source.index}]`
    case 'html':
      return ` <a href="${escapeHtml(fill(options.urlPattern ?? '', source))}">${escapeHtml(label(source, options))}</a>`
    case 'markdown':
      return ` [${label(source, options)}](${fill(options.urlPattern ?? '', source)})`
  }
}

const label = (source: CitedSource, options: CitationOptions): string =>
  options.textPattern ? fill(options.textPattern, source) : String(source.index)

function fill(pattern: string, source: CitedSource): string {
  return pattern.replace(/\{(doc|part)\.([A-Za-z0-9_.]+)\}/g, (_, level: string, field: string) => {
    if (level === 'doc' && field === 'id') return source.documentId
    const value = (level === 'doc' ? source.documentMetadata : source.partMetadata)[field]
    return value === undefined || value === null ? '' : String(value)
  })
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)
}
