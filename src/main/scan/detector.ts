/**
 * The one rule for "this looks like a Vectara secret", run on raw bytes.
 *
 * Shape: a kind prefix, then a body of the key alphabet at a key's exact length.
 * - Prefixes: `zut_` Personal, `zqt_` Query, `zwt_` Index (Vectara's console identifies a key by
 *   them). Lower case only: `ZQT_` is an identifier, never a key.
 * - Body: base64url characters (`A-Z a-z 0-9 _ -`), exactly 38 of them (Vectara: every public key
 *   has 38, which is 28 random bytes in base64url, and `_` and `-` do occur) or exactly 40 (the
 *   Sandbox's base62 secrets, `src/sandbox/ids.ts`).
 *
 * Near misses that do not match, on purpose (one token, read as a whole, is a key or is not):
 * - a prefix glued to a longer token (`xzqt_…`, `my-zqt_…`, `_zqt_…`): the character before the
 *   prefix must not be a key character. Escapes are the exception, because the byte before the
 *   key is then part of punctuation: a JSON or notebook string's `\n`, `\t`, `\r`, `\uXXXX`, and
 *   URL percent-encoding (`key%3Dzqt_…`);
 * - a body that runs on: 39, 41 or more key characters (`zqt_<38>_prod`), or fewer than 38
 *   (`zwt_your_api_key`, `zwt_123456` in Vectara's own docs);
 * - text in UTF-16 or another encoding that puts NUL bytes between characters (such a file is
 *   binary to the scanner).
 *
 * Lines count `\n`, `\r\n` and a lone `\r` as one break each; columns are 1-based and count
 * characters (Unicode code points) from the start of the line, so a tab or an `é` is one.
 */

export type SecretKind = 'personal' | 'query' | 'index'

/**
 * The prefixes and kinds of src/shared/keyKinds.ts, restated because the scan worker runs these
 * files on their own (from source, types stripped) and may import only Node built-ins and its
 * neighbours. test/main/scan/detector.test.ts fails if the two ever disagree.
 */
export const SECRET_PREFIXES: Readonly<Record<string, SecretKind>> = {
  zut_: 'personal',
  zqt_: 'query',
  zwt_: 'index'
}

/** 38: Vectara's keys; 40: the Sandbox's. */
export const SECRET_BODY_LENGTHS: readonly number[] = [38, 40]

const PREFIX_LENGTH = 4
const MAX_BODY = 40
/** Bytes a candidate needs after its prefix's first byte to be decided: prefix, body, one more. */
const LOOKAHEAD = PREFIX_LENGTH + MAX_BODY + 1
/** How far back, on the same line, the context word may start. */
const CONTEXT_BYTES = 200
/** What a caller scanning a file in windows must keep before the undecided position. */
export const WINDOW_OVERLAP = CONTEXT_BYTES + 8

const Z = 0x7a
const T = 0x74
const UNDERSCORE = 0x5f
const LF = 0x0a
const CR = 0x0d
const BACKSLASH = 0x5c

const KEY_CHAR = new Uint8Array(256)
const HEX = new Uint8Array(256)
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-') {
  KEY_CHAR[c.charCodeAt(0)] = 1
}
for (const c of '0123456789ABCDEFabcdef') HEX[c.charCodeAt(0)] = 1

const KIND_BY_SECOND_BYTE: Record<number, SecretKind> = {}
for (const [prefix, kind] of Object.entries(SECRET_PREFIXES)) {
  KIND_BY_SECOND_BYTE[prefix.charCodeAt(1)] = kind
}

export interface SecretMatch {
  /** Byte offset of the prefix in the scanned buffer. */
  offset: number
  line: number
  column: number
  kind: SecretKind
  secret: string
  /** The word that assigns or names the value on the same line (`VECTARA_API_KEY=`), if any. */
  context: string | null
}

/**
 * Where the previous match (or window) left off: byte `pos` is on `line`, at `column`.
 * Scanning a big file in windows carries one cursor from window to window.
 */
export class LineCursor {
  pos = 0
  line = 1
  column = 1
  /** Byte offset of the current line's start when it lies in this buffer, else -1. */
  lineStart = 0

  /** A cursor at the start of data that begins in `buf`; a UTF-8 byte order mark is no column. */
  static atStartOf(buf: Uint8Array): LineCursor {
    const cursor = new LineCursor()
    if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) cursor.pos = cursor.lineStart = 3
    return cursor
  }

  /** Moves to byte `to` (>= pos, < the buffer's filled length). */
  advance(filled: Uint8Array, to: number): void {
    // Bounded, so that no search runs past `to` (a file with many keys and no CR would otherwise be
    // searched to its end once per key). The byte at `to` tells a CRLF from a lone CR.
    const buf = filled.subarray(0, to + 1)
    let lastBreakEnd = -1
    let breaks = 0
    for (let i = buf.indexOf(LF, this.pos); i !== -1 && i < to; i = buf.indexOf(LF, i + 1)) {
      breaks++
      lastBreakEnd = i + 1
    }
    for (let i = buf.indexOf(CR, this.pos); i !== -1 && i < to; i = buf.indexOf(CR, i + 1)) {
      if (buf[i + 1] === LF) continue
      breaks++
      if (i + 1 > lastBreakEnd) lastBreakEnd = i + 1
    }
    if (breaks > 0) {
      this.line += breaks
      this.column = 1 + codePoints(buf, lastBreakEnd, to)
      this.lineStart = lastBreakEnd
    } else {
      this.column += codePoints(buf, this.pos, to)
    }
    this.pos = to
  }

  /** The buffer's bytes before `by` were dropped: offsets move down by that much. */
  shift(by: number): void {
    this.pos -= by
    this.lineStart = this.lineStart >= by ? this.lineStart - by : -1
  }
}

function codePoints(buf: Uint8Array, from: number, to: number): number {
  let count = 0
  for (let i = from; i < to; i++) if ((buf[i] & 0xc0) !== 0x80) count++
  return count
}

export interface ScanWindow {
  /** First byte where a prefix may start. */
  from: number
  /** End of the filled part of the buffer. */
  end: number
  /** True when `end` is the end of the data, so a candidate touching it can be decided. */
  final: boolean
}

/**
 * Finds secrets whose prefix starts in [from, end) and appends them to `out`. Returns the first
 * offset it could not decide (a candidate too close to `end` when not final): the next window
 * must start scanning there, with at least WINDOW_OVERLAP bytes kept before it.
 */
export function scanWindow(
  filled: Buffer,
  window: ScanWindow,
  cursor: LineCursor,
  out: SecretMatch[]
): number {
  const { end, final } = window
  // A reused buffer holds an earlier file's bytes past `end`: never search or read them.
  const buf = filled.length === end ? filled : filled.subarray(0, end)
  // Without more data, a prefix in the last bytes may be cut, and a body may run on.
  const decidable = final ? end : end - LOOKAHEAD
  let p = buf.indexOf(Z, window.from)
  while (p !== -1 && p < end) {
    if (p >= decidable) return p
    const kind = KIND_BY_SECOND_BYTE[buf[p + 1]]
    if (
      kind !== undefined &&
      buf[p + 2] === T &&
      buf[p + 3] === UNDERSCORE &&
      startsToken(buf, p)
    ) {
      const bodyStart = p + PREFIX_LENGTH
      let j = bodyStart
      while (j < end && KEY_CHAR[buf[j]] === 1 && j - bodyStart <= MAX_BODY) j++
      const length = j - bodyStart
      if (length === 38 || length === 40) {
        cursor.advance(buf, p)
        out.push({
          offset: p,
          line: cursor.line,
          column: cursor.column,
          kind,
          secret: buf.toString('latin1', p, j),
          context: contextWord(buf, p, cursor)
        })
        p = buf.indexOf(Z, j)
        continue
      }
    }
    p = buf.indexOf(Z, p + 1)
  }
  return final ? end : Math.max(window.from, decidable)
}

/** All secrets in a whole buffer (the data ends at `end`). */
export function detectSecrets(buf: Buffer, end = buf.length): SecretMatch[] {
  const out: SecretMatch[] = []
  scanWindow(buf, { from: 0, end, final: true }, LineCursor.atStartOf(buf), out)
  return out
}

/**
 * True when `buf[start, end)` is a whole token by the detector's rule: it starts one (see
 * startsToken) and the byte after it is not a key character. replaceInFile uses it, so that it
 * only ever rewrites what the scan would report, never part of a longer token.
 */
export function isWholeToken(buf: Buffer, start: number, end: number): boolean {
  return startsToken(buf, start) && (end >= buf.length || KEY_CHAR[buf[end]] !== 1)
}

function startsToken(buf: Buffer, p: number): boolean {
  if (p === 0) return true
  const before = buf[p - 1]
  if (KEY_CHAR[before] !== 1) return true
  // `\n`, `\t`, `\r` inside a JSON or notebook string.
  if ((before === 0x6e || before === 0x74 || before === 0x72) && buf[p - 2] === BACKSLASH) {
    return true
  }
  if (HEX[before] === 1 && HEX[buf[p - 2]] === 1) {
    if (buf[p - 3] === 0x25) return true // %3D
    if (HEX[buf[p - 3]] === 1 && HEX[buf[p - 4]] === 1 && buf[p - 5] === 0x75) {
      return buf[p - 6] === BACKSLASH // \u003d
    }
  }
  return false
}

/**
 * The word before the value on its line, with its operator: `VECTARA_API_KEY=` (env files, shell,
 * Python), `api_key:` (YAML, JSON), `x-api-key:` (HTTP headers, cURL), `--api-key` (flags),
 * `x-api-key` (a call's name-value pair). Quotes, brackets and JSON escapes between are ignored.
 */
const CONTEXT_TAIL =
  /(--?[A-Za-z][\w.-]*|[A-Za-z_$@][\w$.@-]*)[\\"'`\])]*[ \t]*(:=|=>|=|:|,)?[ \t]*[\\"'`([]*[ \t]*$/
const SECRET_HEAD = /^z[uqw]t_/

function contextWord(buf: Buffer, p: number, cursor: LineCursor): string | null {
  const lineStart = cursor.lineStart
  const from = Math.max(lineStart === -1 ? 0 : lineStart, p - CONTEXT_BYTES)
  if (from >= p) return null
  const match = CONTEXT_TAIL.exec(buf.toString('utf8', from, p))
  if (!match) return null
  const [, word, operator] = match
  if (SECRET_HEAD.test(word)) return null
  if (operator === undefined) return word.startsWith('-') ? word : null
  return operator === ',' ? word : word + operator
}
