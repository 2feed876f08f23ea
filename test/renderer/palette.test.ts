/// <reference types="node" />
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

// Read as a file (vitest hands the renderer project's CSS imports over empty), from the
// project root, where vitest runs.
const css = readFileSync('src/renderer/src/assets/main.css', 'utf8')

/**
 * The palette's promise, checked on the tokens themselves: every text colour reads at 4.5:1 or
 * more (WCAG AA, small text) on every background of its theme. axe (the accessibility spec)
 * checks the screens; this names the token pair at fault, and runs in milliseconds.
 */
const [lightPart, darkPart] = css.split('@media (prefers-color-scheme: dark)')

function tokens(part: string): Record<string, string> {
  const block = part.slice(part.indexOf(':root'), part.indexOf('}', part.indexOf(':root')))
  return Object.fromEntries(
    [...block.matchAll(/--([\w-]+):\s*(#[0-9a-f]{6})\b/gi)].map((m) => [m[1]!, m[2]!])
  )
}

const light = tokens(lightPart!)
const dark = { ...light, ...tokens(darkPart!) }

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!
}

function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x)
  return (hi! + 0.05) / (lo! + 0.05)
}

const backgrounds = ['bg', 'bg-raised', 'bg-sunken', 'bg-hover', 'bg-selected', 'sidebar-bg']
const texts = ['text', 'text-muted', 'text-faint', 'accent', 'success', 'warning', 'danger', 'info']
const kinds = ['kind-personal', 'kind-query', 'kind-index']
/** Coloured text on its own tint: badges, callouts, the kind prefixes. */
const tinted = [...texts.slice(3), ...kinds].map((fg) => [fg, `${fg}-soft`])
/** Text on a filled button. */
const filled = [
  ['accent-text', 'accent'],
  ['accent-text', 'accent-hover'],
  ['danger-text', 'danger'],
  ['danger-text', 'danger-hover']
]

describe.each([
  ['light', light],
  ['dark', dark]
] as const)('the %s palette', (_theme, palette) => {
  const pairs = [
    ...[...texts, ...kinds].flatMap((fg) => backgrounds.map((bg) => [fg, bg])),
    ...tinted,
    ...filled
  ]

  it('defines every token the checks below read', () => {
    const missing = pairs.flat().filter((name) => !(name in palette))
    expect(missing).toEqual([])
  })

  it('keeps every text colour at 4.5:1 or more on every background', () => {
    const low = pairs
      .map(([fg, bg]) => ({ pair: `${fg} on ${bg}`, ratio: contrast(palette[fg]!, palette[bg]!) }))
      .filter(({ ratio }) => ratio < 4.5)
      .map(({ pair, ratio }) => `${pair}: ${ratio.toFixed(2)}:1`)
    expect(low).toEqual([])
  })
})
