import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, matchesGlob } from 'node:path'
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses'
import { Arch, type AfterPackContext } from 'electron-builder'
import { describe, expect, it } from 'vitest'
import config, { ELECTRON_FUSES, NATIVE_MODULES } from '../../../electron-builder.config'

const ROOT = join(import.meta.dirname, '../../..')

/** What DESIGN §9 and the installers issue ask of every packaged build. */
const REQUIRED_FUSES: Record<string, boolean> = {
  RunAsNode: false,
  EnableNodeOptionsEnvironmentVariable: false,
  EnableNodeCliInspectArguments: false,
  EnableCookieEncryption: true,
  EnableEmbeddedAsarIntegrityValidation: true,
  OnlyLoadAppFromAsar: true
}

/**
 * electron-builder's `files`: patterns in order, a `!` pattern takes back what came before.
 * Production node_modules are packed whatever the list says, unless a `!` pattern excludes them.
 */
function packed(path: string): boolean {
  const patterns = (config.files ?? []) as string[]
  return patterns.reduce(
    (kept, pattern) =>
      pattern.startsWith('!')
        ? kept && !matchesGlob(path, pattern.slice(1))
        : kept || matchesGlob(path, pattern),
    path.startsWith('node_modules/')
  )
}

function unpacked(path: string): boolean {
  const patterns = [config.asarUnpack ?? []].flat() as string[]
  return patterns.some((pattern) => matchesGlob(path, pattern))
}

function nativeAddonsOf(packageName: string): string[] {
  const dir = join('node_modules', packageName)
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.node'))
    .map((file) => join(dir, file))
}

// The marker Electron's binary carries in front of its fuse wire (see @electron/fuses).
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
// A stock Electron binary's first fuses: RunAsNode, NODE_OPTIONS and --inspect on, the rest off.
const STOCK_WIRE = [1, 0, 1, 1, 0, 0, 0, 1, 1].map((on) =>
  on ? FuseState.ENABLE : FuseState.DISABLE
)

/** A file that carries a fuse wire where electron-builder leaves the packed binary. */
function fakePackedApp(binaryPath: (appOutDir: string) => string): string {
  const appOutDir = mkdtempSync(join(tmpdir(), 'vkm-packed-'))
  const binary = binaryPath(appOutDir)
  mkdirSync(dirname(binary), { recursive: true })
  const wire = Buffer.from([1, STOCK_WIRE.length, ...STOCK_WIRE])
  writeFileSync(binary, Buffer.concat([Buffer.alloc(64), Buffer.from(SENTINEL), wire]))
  return appOutDir
}

describe('installers (electron-builder.config.ts)', () => {
  it('sets every fuse the app relies on, to the value it needs', () => {
    for (const [name, value] of Object.entries(REQUIRED_FUSES)) {
      const option = FuseV1Options[name as keyof typeof FuseV1Options]
      expect(ELECTRON_FUSES, name).toHaveProperty(String(option), value)
    }
  })

  const product = config.productName!
  const platforms = [
    // electron-builder names the Linux binary after linux.executableName.
    { platform: 'linux', binary: (dir: string) => join(dir, config.linux!.executableName!) },
    { platform: 'win32', binary: (dir: string) => join(dir, `${product}.exe`) },
    {
      platform: 'darwin',
      binary: (dir: string) =>
        join(
          dir,
          `${product}.app/Contents/Frameworks/Electron Framework.framework/Electron Framework`
        )
    }
  ]
  for (const { platform, binary } of platforms) {
    it(`flips those fuses in the packed ${platform} binary after packing`, async () => {
      const appOutDir = fakePackedApp(binary)
      const context = {
        appOutDir,
        electronPlatformName: platform,
        arch: Arch.x64,
        packager: { appInfo: { productFilename: product } }
      } as unknown as AfterPackContext
      expect(config.afterPack).toBeTypeOf('function')
      await (config.afterPack as (context: AfterPackContext) => Promise<void>)(context)

      const wire = await getCurrentFuseWire(binary(appOutDir))
      for (const [name, value] of Object.entries(REQUIRED_FUSES)) {
        const option = FuseV1Options[name as keyof typeof FuseV1Options]
        expect(wire[option], name).toBe(value ? FuseState.ENABLE : FuseState.DISABLE)
      }
      // Fuses the app does not set keep Electron's defaults.
      expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(STOCK_WIRE[7])
    })
  }

  it('keeps the native modules out of the asar, with every addon they ship', () => {
    expect(config.asar).not.toBe(false)
    expect(NATIVE_MODULES).toEqual(expect.arrayContaining(['better-sqlite3', '@github/keytar']))
    const dependencies = Object.keys(
      (
        JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
          dependencies: Record<string, string>
        }
      ).dependencies
    )
    const addons = dependencies.flatMap(nativeAddonsOf)
    expect(addons.length).toBeGreaterThan(0)
    for (const addon of addons) {
      expect(unpacked(addon), `${addon} is unpacked`).toBe(true)
      expect(packed(addon), `${addon} is packed at all`).toBe(true)
    }
  })

  it('packs the whole electron-vite output', () => {
    const main = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string })
      .main
    const output = [
      main.replace(/^\.\//, ''),
      'out/preload/index.cjs',
      'out/renderer/index.html',
      'out/renderer/assets/index-abc123.js'
    ]
    for (const file of output) expect(packed(file), file).toBe(true)
  })

  it('builds an AppImage and a deb on Linux, a dmg on macOS and an NSIS installer on Windows', () => {
    expect(config.linux?.target).toEqual(expect.arrayContaining(['AppImage', 'deb']))
    expect(config.mac?.target).toEqual(expect.arrayContaining(['dmg']))
    expect(config.win?.target).toEqual(expect.arrayContaining(['nsis']))
    expect(config.directories?.output).toBe('dist')
  })
})
