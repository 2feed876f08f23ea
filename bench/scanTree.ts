/**
 * The scan benchmark's folder tree: 30,000 text files, about 380 MB, in nested folders, with a mix
 * of sizes and kinds (code, docs, data, logs, notebooks, dotfiles), secrets planted in a handful
 * of them, and near misses that must not count. Deterministic: every run writes the same tree,
 * except for the planted secrets, which are random so none sits in the repository.
 */
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export interface PlantedKey {
  path: string
  secret: string
}

export interface ScanTree {
  files: number
  bytes: number
  planted: PlantedKey[]
}

const FILES = 30_000
const TARGET_BYTES = 380 * 1000 * 1000
const POOL_BYTES = 4 * 1024 * 1024

const EXTENSIONS = ['ts', 'js', 'py', 'md', 'json', 'yaml', 'txt', 'log', 'csv', 'html', 'go', 'rs']
const DOTFILES = ['.env', '.env.local', '.bash_history', '.zsh_history', '.npmrc', '.gitignore']

/** A deterministic generator, so every run measures the same data. */
function lcg(seed: number): () => number {
  let state = seed
  return () => ((state = (state * 48271) % 2147483647) - 1) / 2147483646
}

/**
 * Words of code and prose, with about three `z` per KB: five times as many as in TypeScript's own
 * compiler, on purpose, since the detector's search stops at each `z`.
 */
const WORDS = (
  'the of and to in is for on that with as by this from are at be or an it was which not ' +
  'function const let return import export default class interface type async await new ' +
  'if else for while switch case break continue try catch finally throw null undefined true ' +
  'false self def lambda yield print len range dict list str int float get_value set_value ' +
  'test_case init_db parse_args user_id created_at updated_at request_id api_version ' +
  'size lazy value key name path file line error result data count items index start end ' +
  'vectara corpus query search results score metadata filter document part offset limit'
).split(' ')

/** Identifiers with a prefix's letters that are not keys, as other code has them. */
const LOOKALIKES = [
  'zwt_perched = 0.25',
  'SELECT id FROM zqt_quotes',
  'ZQT_MODE=1',
  'password = "Zqt_1997"',
  'zut_tier1',
  'do_action("zwt_get_lang_code_flag")'
]

function textPool(random: () => number): Buffer {
  const lines: string[] = []
  let size = 0
  while (size < POOL_BYTES) {
    const words: string[] = []
    const count = 3 + Math.floor(random() * 14)
    const word = (): string => WORDS[Math.floor(random() * WORDS.length)]
    // Identifiers of two words (`zqt_zone`): shapes near a key's, never its length.
    for (let i = 0; i < count; i++) words.push(random() < 0.3 ? `${word()}_${word()}` : word())
    const indent = '  '.repeat(Math.floor(random() * 4))
    const line = indent + words.join(' ') + (random() < 0.2 ? ';' : '')
    lines.push(line)
    size += line.length + 1
  }
  return Buffer.from(lines.join('\n') + '\n')
}

/** Sizes: mostly small files, some medium, a few large, scaled to the target total. */
function fileSizes(random: () => number): number[] {
  const sizes = Array.from({ length: FILES }, () => {
    const r = random()
    if (r < 0.6) return 500 + random() * 7_500
    if (r < 0.9) return 8_000 + random() * 32_000
    if (r < 0.995) return 40_000 + random() * 160_000
    return 200_000 + random() * 1_300_000
  })
  const scale = TARGET_BYTES / sizes.reduce((a, b) => a + b, 0)
  return sizes.map((size) => Math.max(1, Math.round(size * scale)))
}

function vectaraShaped(prefix: string, length = 38): string {
  return prefix + randomBytes(48).toString('base64url').slice(0, length)
}

function sandboxShaped(prefix: string): string {
  let body = ''
  while (body.length < 40) body += randomBytes(48).toString('base64').replace(/[+/=]/g, '')
  return prefix + body.slice(0, 40)
}

/** Lines to append, each with the secrets it plants. */
function plantings(): { text: string; secrets: string[]; name?: string }[] {
  const q = vectaraShaped('zqt_')
  const w = vectaraShaped('zwt_')
  const u = vectaraShaped('zut_')
  const sq = sandboxShaped('zqt_')
  const sw = sandboxShaped('zwt_')
  const su = sandboxShaped('zut_')
  const two = [vectaraShaped('zqt_'), vectaraShaped('zwt_')]
  const nb = vectaraShaped('zqt_')
  const crlf = vectaraShaped('zut_')
  const eof = vectaraShaped('zwt_')
  const json = sandboxShaped('zqt_')
  const yaml = vectaraShaped('zqt_')
  return [
    { text: `\nVECTARA_API_KEY=${q}\n`, secrets: [q], name: '.env' },
    { text: `\nexport VECTARA_API_KEY='${u}'\n`, secrets: [u], name: '.bash_history' },
    { text: `\n: 1700000000:0;curl -H "x-api-key: ${w}" https://api.vectara.io\n`, secrets: [w] },
    { text: `\nconst apiKey = "${sq}"\n`, secrets: [sq] },
    { text: `\nheaders = {'x-api-key': '${sw}'}\n`, secrets: [sw] },
    { text: `\nvectara --api-key ${su}\n`, secrets: [su] },
    { text: `\nQUERY=${two[0]} INDEX=${two[1]}\n`, secrets: two },
    {
      text: `\n${JSON.stringify({ cells: [{ source: [`os.environ["VECTARA_API_KEY"] = "${nb}"\n`] }] })}\n`,
      secrets: [nb],
      name: 'notebook.ipynb'
    },
    { text: `\r\nVECTARA_API_KEY=${crlf}\r\nNEXT=1\r\n`, secrets: [crlf] },
    { text: `\nlast_line_without_newline = ${eof}`, secrets: [eof] },
    { text: `\n{"vectara": {"api_key": "${json}"}}\n`, secrets: [json], name: 'settings.json' },
    { text: `\nvectara:\n  api_key: ${yaml}\n`, secrets: [yaml], name: 'config.yaml' }
  ]
}

/** Secret-like strings that are not keys: one character short or long, glued, wrong case. */
function nearMisses(): string[] {
  return [
    vectaraShaped('zqt_', 37),
    vectaraShaped('zwt_', 39),
    vectaraShaped('zut_', 41),
    vectaraShaped('ZQT_'),
    vectaraShaped('Zwt_'),
    'x' + vectaraShaped('zqt_'),
    'my-' + vectaraShaped('zwt_'),
    vectaraShaped('zqt_') + '_prod',
    vectaraShaped('zqt-'),
    "api_key = 'zwt_your_api_key'",
    "-H 'x-api-key: zwt_123456'",
    vectaraShaped('zqt_', 60)
  ]
}

export function writeScanTree(root: string): ScanTree {
  const random = lcg(20261201)
  const pool = textPool(random)
  const sizes = fileSizes(random)
  const planted: PlantedKey[] = []
  const plants = plantings()
  const misses = nearMisses()
  const plantAt = new Map<number, (typeof plants)[number]>()
  const missAt = new Map<number, string>()
  for (let i = 0; i < plants.length; i++) plantAt.set(1_000 + i * 2_311, plants[i])
  for (let i = 0; i < misses.length; i++) missAt.set(1_500 + i * 2_203, misses[i])

  let bytes = 0
  const folders = new Set<string>()
  const used = new Set<string>()
  for (let i = 0; i < FILES; i++) {
    const folder = join(root, `pkg${i % 12}`, `mod${(i >> 4) % 16}`, `part${i % 9}`)
    if (!folders.has(folder)) mkdirSync(folder, { recursive: true })
    folders.add(folder)
    const plant = plantAt.get(i)
    let name =
      plant?.name ??
      (i % 97 === 0
        ? DOTFILES[i % DOTFILES.length]
        : `file${i}.${EXTENSIONS[i % EXTENSIONS.length]}`)
    // A dotfile's name may come round again in the same folder: keep every file.
    if (used.has(join(folder, name))) name = `${name}.${i}`
    const path = join(folder, name)
    used.add(path)
    const start = Math.floor(random() * (pool.length - 1))
    let content = slice(pool, start, sizes[i])
    const lookalike = i % 150 === 11 ? `\n${LOOKALIKES[i % LOOKALIKES.length]}\n` : ''
    const miss = missAt.has(i) ? `\nnot_a_key = ${missAt.get(i)}\n` : ''
    const extra = plant?.text ?? miss + lookalike
    if (extra) content = Buffer.concat([content, Buffer.from(extra)])
    writeFileSync(path, content)
    bytes += content.length
    for (const secret of plant?.secrets ?? []) planted.push({ path, secret })
  }
  return { files: FILES, bytes, planted }
}

/** `length` bytes of the pool from `start`, wrapping around. */
function slice(pool: Buffer, start: number, length: number): Buffer {
  if (start + length <= pool.length) return pool.subarray(start, start + length)
  const parts: Buffer[] = []
  let left = length
  let at = start
  while (left > 0) {
    const take = Math.min(left, pool.length - at)
    parts.push(pool.subarray(at, at + take))
    left -= take
    at = 0
  }
  return Buffer.concat(parts)
}
