import { describe, expect, it } from 'vitest'
import { kindOfSecret, SECRET_PREFIXES as APP_PREFIXES } from '@shared/keyKinds'
import {
  LineCursor,
  SECRET_PREFIXES,
  WINDOW_OVERLAP,
  detectSecrets,
  scanWindow,
  type SecretMatch
} from '../../../src/main/scan/detector'
import { sandboxKey, vectaraKey } from './keys'

const detect = (text: string | Buffer): SecretMatch[] =>
  detectSecrets(typeof text === 'string' ? Buffer.from(text, 'utf8') : text)
const secrets = (text: string): string[] => detect(text).map((m) => m.secret)

describe('detector: shapes', () => {
  it('knows the same prefixes and kinds as the app (src/shared/keyKinds.ts)', () => {
    for (const [prefix, kind] of Object.entries(SECRET_PREFIXES)) {
      expect(kindOfSecret(prefix + 'x')).toBe(kind)
    }
    expect(Object.keys(SECRET_PREFIXES).sort()).toEqual([...APP_PREFIXES].sort())
  })

  it('finds each kind at Vectara length and at Sandbox length', () => {
    for (const [prefix, kind] of [
      ['zut_', 'personal'],
      ['zqt_', 'query'],
      ['zwt_', 'index']
    ] as const) {
      for (const key of [vectaraKey(prefix), sandboxKey(prefix)]) {
        const [match] = detect(`KEY=${key}\n`)
        expect(match).toMatchObject({ kind, secret: key, line: 1, column: 5, offset: 4 })
      }
    }
  })

  it('finds a key at the very start and at the end of a file without a newline', () => {
    const key = vectaraKey('zwt_')
    expect(detect(key)).toMatchObject([{ secret: key, line: 1, column: 1 }])
    expect(detect(`a\nb\n${key}`)).toMatchObject([{ secret: key, line: 3, column: 1 }])
  })

  it('finds a key inside single, double and back quotes', () => {
    const key = vectaraKey()
    for (const quote of ["'", '"', '`']) {
      expect(secrets(`const k = ${quote}${key}${quote};`)).toEqual([key])
    }
  })

  it('finds two keys on one line, with their columns', () => {
    const a = vectaraKey('zqt_')
    const b = sandboxKey('zut_')
    const found = detect(`A=${a} B="${b}"`)
    expect(found).toMatchObject([
      { secret: a, column: 3, context: 'A=' },
      { secret: b, column: 2 + a.length + 5, context: 'B=' }
    ])
  })

  it('counts lines across LF, CRLF and lone CR, and never takes the CR into the key', () => {
    const key = vectaraKey()
    expect(detect(`one\r\ntwo\r\nVECTARA_API_KEY=${key}\r\nfour\r\n`)).toMatchObject([
      { secret: key, line: 3, column: 17 }
    ])
    expect(detect(`one\rtwo\r  ${key}\r`)).toMatchObject([{ line: 3, column: 3 }])
    expect(detect(`one\n\r\n\n${key}`)).toMatchObject([{ line: 4 }])
  })

  it('counts columns in characters, not bytes', () => {
    const key = vectaraKey()
    // "é" is two bytes, "😀" four bytes and one code point, a tab one character.
    expect(detect(`é😀\t${key}`)).toMatchObject([{ column: 4, offset: 7 }])
  })

  it('does not count a UTF-8 byte order mark as a column', () => {
    const key = vectaraKey()
    const buf = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`K=${key}`)])
    expect(detect(buf)).toMatchObject([{ column: 3 }])
  })

  it('finds keys in .env, JSON, YAML, shell history and a notebook', () => {
    const [a, b, c, d, e] = [
      vectaraKey(),
      vectaraKey('zwt_'),
      sandboxKey(),
      vectaraKey('zut_'),
      vectaraKey()
    ]
    const env = `# comment\nVECTARA_CUSTOMER_ID=123\nVECTARA_API_KEY=${a}\n`
    const json = JSON.stringify({ vectara: { api_key: b, corpus: 'docs' } }, null, 2)
    const yaml = `vectara:\n  apiKey: ${c}\n  corpus: docs\n`
    const history = `ls\nexport VECTARA_API_KEY='${d}'\ncurl -H "x-api-key: $VECTARA_API_KEY"\n`
    const notebook = JSON.stringify({
      cells: [
        {
          cell_type: 'code',
          source: ['import os\n', `os.environ["VECTARA_API_KEY"] = "${e}"\n`, 'print(1)\n']
        }
      ]
    })
    expect(detect(env)).toMatchObject([{ secret: a, line: 3, context: 'VECTARA_API_KEY=' }])
    expect(detect(json)).toMatchObject([{ secret: b, line: 3, context: 'api_key:' }])
    expect(detect(yaml)).toMatchObject([{ secret: c, line: 2, column: 11, context: 'apiKey:' }])
    expect(detect(history)).toMatchObject([{ secret: d, line: 2, context: 'VECTARA_API_KEY=' }])
    expect(detect(notebook)).toMatchObject([{ secret: e, line: 1, context: 'VECTARA_API_KEY=' }])
  })

  it('finds keys after escapes in JSON strings and in URL encoding', () => {
    const key = vectaraKey()
    expect(secrets(`"first line\\n${key}\\n"`)).toEqual([key])
    expect(secrets(`"tab\\t${key}"`)).toEqual([key])
    expect(secrets(`"a\\u003d${key}"`)).toEqual([key])
    expect(secrets(`https://example.test/?api_key%3D${key}%26x`)).toEqual([key])
  })
})

describe('detector: near misses', () => {
  const body38 = vectaraKey().slice(4)

  it('ignores a body one character short or long, and one that runs on', () => {
    for (const length of [8, 36, 37, 39, 41, 44, 60]) {
      expect(secrets(`K=${vectaraKey('zqt_', length)}\n`)).toEqual([])
    }
    expect(secrets(`K=zqt_${body38}_prod`)).toEqual([])
    expect(secrets(`K=zqt_${body38}-v2`)).toEqual([])
    // Two more characters make a Sandbox-length body: that one is a key.
    expect(secrets(`K=zqt_${body38}-2`)).toHaveLength(1)
  })

  it('ignores a prefix glued to a longer token', () => {
    for (const before of ['x', 'A', '9', '_', '-', 'zqt_', '\\u00']) {
      expect(secrets(`${before}zqt_${body38}`)).toEqual([])
    }
  })

  it('ignores other cases and other letters', () => {
    for (const prefix of [
      'ZQT_',
      'Zqt_',
      'zQt_',
      'zat_',
      'zxt_',
      'zq_',
      'zqt-',
      'zqtt_',
      'zqt__'
    ]) {
      expect(secrets(`K=${prefix}${body38}`)).toEqual([])
    }
  })

  it("ignores placeholders and Vectara's own doc example", () => {
    expect(secrets("api_key = 'zwt_your_api_key'\n-H 'x-api-key: zwt_123456'")).toEqual([])
  })

  it('stops a body at characters outside the alphabet', () => {
    for (const after of [
      '.',
      ',',
      ';',
      '"',
      "'",
      ' ',
      '\n',
      '\r',
      '\\',
      '%',
      '/',
      '+',
      '=',
      '&',
      '}'
    ]) {
      expect(secrets(`zqt_${body38}${after}tail`)).toEqual([`zqt_${body38}`])
    }
  })
})

describe('detector: context word', () => {
  const cases: [string, string | null][] = [
    ['VECTARA_API_KEY=$KEY', 'VECTARA_API_KEY='],
    ['export VECTARA_API_KEY="$KEY"', 'VECTARA_API_KEY='],
    ['VECTARA_API_KEY: $KEY', 'VECTARA_API_KEY:'],
    ['  "api_key": "$KEY",', 'api_key:'],
    ["curl -H 'x-api-key: $KEY' https://api.vectara.io/v2/corpora", 'x-api-key:'],
    ["headers = {'x-api-key': '$KEY'}", 'x-api-key:'],
    ["os.environ['VECTARA_API_KEY'] = '$KEY'", 'VECTARA_API_KEY='],
    ['  apiKey: "$KEY",', 'apiKey:'],
    ['vectara --api-key $KEY', '--api-key'],
    ['vectara --api-key=$KEY', '--api-key='],
    ['myHeaders.append("x-api-key", "$KEY");', 'x-api-key'],
    ['api_key := "$KEY"', 'api_key:='],
    ['my key is $KEY, keep it safe', null],
    ['$KEY', null],
    ['keys = ["$OTHER", "$KEY"]', null]
  ]
  it.each(cases)('%s → %s', (line, context) => {
    const key = vectaraKey()
    const text = line.replace('$KEY', key).replace('$OTHER', vectaraKey())
    const match = detect(`first line\n${text}\n`).find((m) => m.secret === key)
    expect(match?.context).toBe(context)
  })

  it('looks only at the same line', () => {
    const key = vectaraKey()
    expect(detect(`VECTARA_API_KEY=\n${key}`)[0].context).toBeNull()
    expect(detect(`VECTARA_API_KEY=\r${key}`)[0].context).toBeNull()
  })
})

describe('detector: windows', () => {
  /** Scans `data` in windows of `size` bytes as the file reader does, carrying the overlap. */
  function scanInWindows(data: Buffer, size: number): SecretMatch[] {
    const buf = Buffer.alloc(size)
    const out: SecretMatch[] = []
    const cursor = LineCursor.atStartOf(data)
    let base = 0 // offset in `data` of buf[0]
    let filled = 0
    let from = 0
    let read = 0
    for (;;) {
      const n = data.copy(buf, filled, read, read + size - filled)
      read += n
      filled += n
      const final = read === data.length
      const found: SecretMatch[] = []
      const resume = scanWindow(buf, { from, end: filled, final }, cursor, found)
      for (const m of found) out.push({ ...m, offset: m.offset + base })
      if (final) return out
      const keepFrom = Math.max(0, resume - WINDOW_OVERLAP)
      if (cursor.pos < keepFrom) cursor.advance(buf, keepFrom)
      buf.copy(buf, 0, keepFrom, filled)
      cursor.shift(keepFrom)
      base += keepFrom
      filled -= keepFrom
      from = resume - keepFrom
    }
  }

  it('finds the same matches, lines and columns whatever the window size', () => {
    const keys = Array.from({ length: 40 }, (_, i) => (i % 2 ? vectaraKey() : sandboxKey('zwt_')))
    const lines: string[] = []
    for (let i = 0; i < keys.length; i++) {
      lines.push(`filler ${'é'.repeat(i % 7)} line ${i} zebra zqt zqt_ z`.repeat(1 + (i % 5)))
      lines.push(
        i % 3 ? `KEY_${i}=${keys[i]}` : `${'x'.repeat(i)} "${keys[i]}" ${keys[(i + 1) % 40]}`
      )
    }
    // Mixed breaks, so that windows also split CRLF pairs.
    const breaks = ['\n', '\r\n', '\r']
    const text = lines.map((line, i) => line + breaks[i % 3]).join('')
    const data = Buffer.from(text, 'utf8')
    const whole = detectSecrets(data)
    expect(whole.length).toBeGreaterThan(40)
    for (const size of [300, 301, 512, 1000, 4096]) {
      expect(scanInWindows(data, size)).toEqual(whole)
    }
  })
})

describe('secretFingerprint', () => {
  it('is the SHA-256 of the secret, the same for the same secret', async () => {
    const { secretFingerprint } = await import('../../../src/main/scan/index')
    const key = vectaraKey()
    expect(secretFingerprint(key)).toMatch(/^[0-9a-f]{64}$/)
    expect(secretFingerprint(key)).toBe(secretFingerprint(`${key}`))
    expect(secretFingerprint(key)).not.toBe(secretFingerprint(vectaraKey()))
    expect(secretFingerprint(key)).not.toContain(key.slice(4, 12))
  })
})
