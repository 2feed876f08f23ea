export interface TextSegment {
  text: string
  highlighted: boolean
}

/**
 * Splits result text on the highlight tags the app asked Vectara for, so the renderer can show
 * highlights as elements with plain text inside: untrusted text is never parsed as HTML. A start
 * tag without its end highlights to the end; a stray end tag is dropped.
 */
export function splitHighlights(text: string, startTag: string, endTag: string): TextSegment[] {
  const segments: TextSegment[] = []
  if (!startTag || !endTag) return text ? [{ text, highlighted: false }] : []
  let rest = text
  let inside = false
  while (rest.length > 0) {
    const tag = inside ? endTag : startTag
    const at = rest.indexOf(tag)
    const strayEnd = !inside ? rest.indexOf(endTag) : -1
    if (strayEnd >= 0 && (at < 0 || strayEnd < at)) {
      push(segments, rest.slice(0, strayEnd), false)
      rest = rest.slice(strayEnd + endTag.length)
      continue
    }
    if (at < 0) {
      push(segments, rest, inside)
      break
    }
    push(segments, rest.slice(0, at), inside)
    rest = rest.slice(at + tag.length)
    inside = !inside
  }
  return segments
}

function push(segments: TextSegment[], text: string, highlighted: boolean): void {
  if (!text) return
  const last = segments[segments.length - 1]
  if (last && last.highlighted === highlighted) last.text += text
  else segments.push({ text, highlighted })
}

export type SummaryPart = { kind: 'text'; text: string } | { kind: 'citation'; numbers: number[] }

/**
 * Finds numeric citations (`[1]`, `[2, 3]`) in a summary so each can point at its result.
 * Everything else stays text, whatever it looks like.
 */
export function splitCitations(summary: string): SummaryPart[] {
  const parts: SummaryPart[] = []
  const pattern = /\[(\d{1,3}(?:\s*,\s*\d{1,3})*)\]/g
  let last = 0
  for (const match of summary.matchAll(pattern)) {
    const at = match.index ?? 0
    if (at > last) parts.push({ kind: 'text', text: summary.slice(last, at) })
    parts.push({ kind: 'citation', numbers: match[1].split(',').map((n) => Number(n.trim())) })
    last = at + match[0].length
  }
  if (last < summary.length) parts.push({ kind: 'text', text: summary.slice(last) })
  return parts
}
