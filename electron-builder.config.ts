/**
 * Installers (`npm run dist`, see the README's "Build installers"): electron-builder packs the
 * electron-vite output (`out/`) with the production dependencies into an asar archive, then the
 * afterPack hook below flips Electron's fuses in the packed binary before anything is signed.
 */
import { join } from 'node:path'
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses'
import { Arch, type AfterPackContext, type Configuration } from 'electron-builder'

/**
 * Electron's fuses for every packaged build (DESIGN §9), by @electron/fuses' own names: no
 * running as plain Node, no NODE_OPTIONS or --inspect, cookies encrypted, and the app only from
 * its asar, checked against the hash embedded at packing (macOS and Windows; Electron does not
 * validate asar integrity on Linux).
 */
export const ELECTRON_FUSES = {
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true
} as const

/** Native addons must be real files to load, so these packages stay outside the asar. */
export const NATIVE_MODULES = ['better-sqlite3', '@github/keytar'] as const

const LINUX_EXECUTABLE = 'vectara-key-manager'

/** Where the packed Electron binary is, as electron-builder names it on each platform. */
export function packedElectronBinary(context: AfterPackContext): string {
  const { appOutDir, electronPlatformName, packager } = context
  const product = packager.appInfo.productFilename
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas')
    return join(appOutDir, `${product}.app`)
  if (electronPlatformName === 'win32') return join(appOutDir, `${product}.exe`)
  return join(appOutDir, LINUX_EXECUTABLE)
}

/**
 * Our pinned @electron/fuses, not electron-builder's `electronFuses` option: that one imports the
 * copy nested in app-builder-lib (1.8), so the fuse wire would follow electron-builder's version.
 */
export async function flipElectronFuses(context: AfterPackContext): Promise<void> {
  await flipFuses(packedElectronBinary(context), {
    version: FuseVersion.V1,
    // Flipping a fuse breaks the ad-hoc signature Apple silicon requires to launch at all.
    resetAdHocDarwinSignature:
      context.electronPlatformName === 'darwin' && context.arch === Arch.arm64,
    ...ELECTRON_FUSES
  })
}

const config: Configuration = {
  appId: 'com.vectara-key-manager.app',
  productName: 'Vectara Key Manager',
  directories: { output: 'dist' },
  // electron-builder adds package.json and the production node_modules itself; the SQLite C
  // sources in better-sqlite3 (10 MB) are only for building it, which we never do.
  files: ['out/**/*', '!node_modules/better-sqlite3/{deps,src}/**'],
  asar: true,
  asarUnpack: NATIVE_MODULES.map((name) => `node_modules/${name}/**`),
  // Both addons are Node-API builds: the binaries npm installed load in Electron as they are.
  npmRebuild: false,
  afterPack: flipElectronFuses,
  linux: {
    target: ['AppImage', 'deb'],
    executableName: LINUX_EXECUTABLE,
    category: 'Development',
    maintainer: 'Vectara Key Manager team'
  },
  mac: {
    target: ['dmg'],
    category: 'public.app-category.developer-tools',
    hardenedRuntime: true
  },
  win: { target: ['nsis'] },
  nsis: { oneClick: false, allowToChangeInstallationDirectory: true },
  publish: null
}

export default config
