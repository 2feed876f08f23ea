/**
 * JavaScript regular expressions backtrack, so a pattern such as `(a+)+$` can pin the event
 * loop for minutes on a 30-character name and stall every other client. Corpus list filters
 * come from users, so patterns that can backtrack catastrophically are refused: quantified
 * groups that themselves contain a quantifier or an alternation, and backreferences.
 */
export const MAX_PATTERN_LENGTH = 256

export function compileUserRegex(pattern: string): RegExp | string {
  if (pattern.length > MAX_PATTERN_LENGTH) return `must be at most ${MAX_PATTERN_LENGTH} characters`
  const problem = backtrackingRisk(pattern)
  if (problem) return problem
  try {
    return new RegExp(pattern, 'u')
  } catch {
    return 'is not a valid regular expression'
  }
}

interface Group {
  repeats: boolean
  alternates: boolean
}

function backtrackingRisk(pattern: string): string | undefined {
  const stack: Group[] = [{ repeats: false, alternates: false }]
  let lastGroup: Group | undefined
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]
    const top = stack[stack.length - 1]
    if (ch === '\\') {
      if (/[1-9k]/.test(pattern[i + 1] ?? '')) return 'may not use backreferences'
      i++
      lastGroup = undefined
      continue
    }
    if (ch === '[') {
      i = skipClass(pattern, i)
      lastGroup = undefined
      continue
    }
    if (ch === '(') {
      stack.push({ repeats: false, alternates: false })
      lastGroup = undefined
      continue
    }
    if (ch === ')') {
      lastGroup = stack.length > 1 ? stack.pop() : undefined
      // A risky inner group makes every enclosing group risky to repeat: ((a+))+ is (a+)+.
      const parent = stack[stack.length - 1]
      parent.repeats ||= lastGroup?.repeats ?? false
      parent.alternates ||= lastGroup?.alternates ?? false
      continue
    }
    if (ch === '|') top.alternates = true
    const repeat =
      ch === '*' || ch === '+' || (ch === '{' && /^\{\d*,\d*\}|^\{\d{2,}\}/.test(pattern.slice(i)))
    if (repeat) {
      if (lastGroup && (lastGroup.repeats || lastGroup.alternates)) {
        return 'is too complex: a repeated group may not contain another repetition or an alternation'
      }
      top.repeats = true
    }
    if (ch !== '?' && !repeat) lastGroup = undefined
  }
  return undefined
}

function skipClass(pattern: string, start: number): number {
  for (let i = start + 1; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++
    else if (pattern[i] === ']' && i > start + 1) return i
  }
  return pattern.length
}
