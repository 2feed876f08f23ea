#!/usr/bin/env node
/**
 * `npm test`: lint, typecheck, vitest (main + renderer), build, Playwright (web, then electron).
 *
 * Keychain tests need a Secret Service. When none is reachable and gnome-keyring is installed,
 * this script re-runs itself inside a private D-Bus session with a freshly unlocked keyring on
 * a temp data dir (never the user's login keyring). Under CI=true a missing prerequisite fails.
 *
 * The last line is the only one CI reads: "N passed, M failed, K skipped".
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const inCi = process.env.CI === 'true'
const bin = (name) => join(root, 'node_modules/.bin', name)
const resultsDir = join(root, 'test-results')

function which(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0
}

function secretServiceReachable() {
  if (!process.env.DBUS_SESSION_BUS_ADDRESS || !which('dbus-send')) return false
  const ping = spawnSync(
    'dbus-send',
    [
      '--session',
      '--dest=org.freedesktop.secrets',
      '--print-reply',
      '--reply-timeout=3000',
      '/org/freedesktop/secrets',
      'org.freedesktop.DBus.Peer.Ping'
    ],
    { stdio: 'ignore', timeout: 5000 }
  )
  return ping.status === 0
}

if (!process.env.VKM_TEST_KEYRING_SESSION && !secretServiceReachable()) {
  if (which('dbus-run-session') && which('gnome-keyring-daemon')) {
    const dataHome = mkdtempSync(join(tmpdir(), 'vkm-keyring-'))
    console.log(
      `test: no Secret Service reachable; starting a private gnome-keyring session in ${dataHome}`
    )
    const inner = `printf '%s' "$VKM_KEYRING_PASSWORD" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec "${process.execPath}" "${fileURLToPath(import.meta.url)}"`
    const run = spawnSync('dbus-run-session', ['--', 'sh', '-c', inner], {
      stdio: 'inherit',
      env: {
        ...process.env,
        XDG_DATA_HOME: dataHome,
        VKM_TEST_KEYRING_SESSION: '1',
        VKM_KEYRING_PASSWORD: 'vkm-test-keyring'
      }
    })
    rmSync(dataHome, { recursive: true, force: true })
    process.exit(run.status ?? 1)
  }
  const message =
    'No Secret Service is reachable and gnome-keyring/dbus-run-session are not installed (apt-get install gnome-keyring dbus).'
  if (inCi) {
    console.error(`test: ${message}`)
    console.log('0 passed, 1 failed')
    process.exit(1)
  }
  console.warn(`test: ${message} Keychain tests will be skipped with that reason.`)
}

const env = { ...process.env, VKM_KEYCHAIN_SERVICE: 'vectara-key-manager-test' }
const tally = { passed: 0, failed: 0, skipped: 0 }
const rows = []

function run(label, command, args) {
  console.log(
    `\n=== ${label}: ${[command, ...args].map((a) => a.replace(root + '/', '')).join(' ')}`
  )
  const started = Date.now()
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  return { ok: result.status === 0, seconds, status: result.status }
}

/** A check with no test count of its own (lint, typecheck, build) counts as one test. */
function check(label, command, args) {
  const result = run(label, command, args)
  tally[result.ok ? 'passed' : 'failed']++
  rows.push(`${label.padEnd(22)} ${result.ok ? 'passed' : 'FAILED'} (${result.seconds} s)`)
  return result.ok
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return undefined
  }
}

mkdirSync(resultsDir, { recursive: true })

check('lint', bin('eslint'), ['--max-warnings', '0', '.'])
check('format', bin('prettier'), ['--check', '.'])
check('typecheck (node)', bin('tsc'), ['--noEmit', '-p', 'tsconfig.node.json'])
check('typecheck (web)', bin('vue-tsc'), ['--noEmit', '-p', 'tsconfig.web.json'])

// vitest: main and sandbox (Node) and renderer (happy-dom) projects.
const vitestJson = join(resultsDir, 'vitest.json')
rmSync(vitestJson, { force: true })
const vitest = run('vitest', bin('vitest'), [
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${vitestJson}`
])
const v = readJson(vitestJson)
if (v) {
  const skipped = (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0)
  tally.passed += v.numPassedTests
  tally.failed += v.numFailedTests
  tally.skipped += skipped
  if (!vitest.ok && v.numFailedTests === 0) tally.failed++ // e.g. a file that failed to load
  rows.push(
    `${'vitest'.padEnd(22)} ${v.numPassedTests} passed, ${v.numFailedTests} failed, ${skipped} skipped (${vitest.seconds} s)`
  )
} else {
  tally.failed++
  rows.push(`${'vitest'.padEnd(22)} FAILED before reporting (exit ${vitest.status})`)
}

// Build, then the end-to-end suites against the built renderer.
const built = check('build', bin('electron-vite'), ['build'])

const playwrightJson = join(resultsDir, 'playwright.json')
if (built) {
  rmSync(playwrightJson, { force: true })
  const pw = run('playwright (web, electron)', bin('playwright'), ['test'])
  const p = readJson(playwrightJson)
  if (p?.stats) {
    const passed = p.stats.expected + p.stats.flaky
    tally.passed += passed
    tally.failed += p.stats.unexpected
    tally.skipped += p.stats.skipped
    if (!pw.ok && p.stats.unexpected === 0) tally.failed++
    rows.push(
      `${'playwright'.padEnd(22)} ${passed} passed, ${p.stats.unexpected} failed, ${p.stats.skipped} skipped (${pw.seconds} s)`
    )
    for (const reason of skipReasons(p)) rows.push(`  skipped: ${reason}`)
  } else {
    tally.failed++
    rows.push(`${'playwright'.padEnd(22)} FAILED before reporting (exit ${pw.status})`)
  }
} else {
  tally.failed++
  rows.push(`${'playwright'.padEnd(22)} not run: the build failed`)
}

function skipReasons(report) {
  const reasons = new Set()
  const visit = (suite) => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests ?? []) {
        for (const a of t.annotations ?? [])
          if (a.type === 'skip' && a.description) reasons.add(a.description)
      }
    }
    for (const child of suite.suites ?? []) visit(child)
  }
  for (const suite of report.suites ?? []) visit(suite)
  return [...reasons]
}

console.log('\n=== summary')
for (const row of rows) console.log(row)
if (!existsSync(join(root, 'node_modules/electron/path.txt'))) {
  console.log(
    'note: the Electron suite needs the Electron binary, which this machine does not have.'
  )
}
console.log(`${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`)
process.exit(tally.failed === 0 ? 0 : 1)
