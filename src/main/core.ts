import { join } from 'node:path'
import type { Database } from 'better-sqlite3'
import { MemoryClipboard, type Clipboard } from './clipboard'
import { systemClock, type Clock } from './clock'
import { HeadlessDesktop, type Desktop } from './desktop'
import { openDatabase, DB_FILE_NAME } from './db/database'
import { AuditTable } from './db/tables/auditTable'
import { CorpusCacheTable } from './db/tables/corpusCacheTable'
import { KeyCacheTable } from './db/tables/keyCacheTable'
import { AccountsTable } from './db/tables/accountsTable'
import { SettingsTable } from './db/tables/settingsTable'
import { UsageEventsTable } from './db/tables/usageEventsTable'
import { PlaygroundHistoryTable } from './db/tables/playgroundHistoryTable'
import { RemoteQueriesTable } from './db/tables/remoteQueriesTable'
import { RotationsTable } from './db/tables/rotationsTable'
import { ScanFindingsTable } from './db/tables/scanFindingsTable'
import { ScanFoldersTable } from './db/tables/scanFoldersTable'
import { ScanStampsTable } from './db/tables/scanStampsTable'
import { KeyExpiryTable } from './db/tables/keyExpiryTable'
import { ExpiryRemindersTable } from './db/tables/expiryRemindersTable'
import { FindingDismissalsTable } from './db/tables/findingDismissalsTable'
import { KeyDisabledSinceTable } from './db/tables/keyDisabledSinceTable'
import type { HealthPorts } from './health/facts'
import { newKeyExpiryHooks } from './health/rotationExpiry'
import { createHandlers, type Services } from './handlers'
import { createLogger, type Logger } from './log'
import { EventBus, Router } from './router'
import { KeytarSecretStore } from './secrets/keytarSecretStore'
import type { SecretStore } from './secrets/secretStore'
import { AccountsService } from './services/accountsService'
import { AppService } from './services/appService'
import { CorporaService } from './services/corporaService'
import { EmbeddedSandbox } from './services/embeddedSandbox'
import { ExpiryService } from './services/expiryService'
import { HealthService } from './services/healthService'
import { KeySecretsService } from './services/keySecretsService'
import { KeysService } from './services/keysService'
import { PlaygroundService } from './services/playgroundService'
import { PropagationService } from './services/propagationService'
import { ScanService, type Scanner } from './services/scan/scanService'
import type { KeyLocations } from './rotation/keyLocations'
import { RotationService, type RotationHooks } from './rotation/rotationService'
import { scanKeyLocations } from './rotation/scanKeyLocations'
import { waitingRotations } from './rotation/waitingRotations'
import { UsageService } from './services/usageService'
import { UsageRetention } from './usage/retention'
import { UsageRecorder } from './services/usageRecorder'
import { VectaraClients, type VectaraClientsDeps } from './services/vectaraClients'
import { vectaraErrorMapper } from './vectara'

export const DEFAULT_KEYCHAIN_SERVICE = 'vectara-key-manager'
/** The built-in Sandbox behaves like Vectara: a disabled key keeps working for a while. */
export const SANDBOX_PROPAGATION_MS = 20_000

export interface CoreConfig {
  runtime: 'electron' | 'harness'
  appVersion: string
  platform?: string
  /** Folder for vkm.db and the Sandbox's data; `VKM_DB_PATH` overrides the database file. */
  dataDir: string
  /** Keychain service name; tests use another one so they never touch real entries. */
  keychainService?: string
  /** Replaces the OS keychain (unit tests, harness fault injection). */
  secrets?: SecretStore
  clipboard?: Clipboard
  /** Folder picker, show in folder, notifications; headless (harness, tests) when absent. */
  desktop?: Desktop
  logger?: Logger
  sandboxPropagationMs?: number
  sandboxSeedKeys?: number
  /** Test seam for every API client: a fetch that reshapes or breaks answers, a retry policy. */
  vectaraClient?: VectaraClientsDeps['clientOptions']
  /** Playground request timeout (default 30 s); tests shorten it. */
  playgroundTimeoutMs?: number
  /** Start hourly usage pruning (off in unit tests, which prune explicitly). Default true. */
  pruneUsage?: boolean
  /** The folder scanner's engine; tests replace it to hold a scan open. Default: worker threads. */
  scanner?: Scanner
  /** Time for rotations, key actions, propagation, expiry and health; tests and the harness move it forward. */
  clock?: Clock
  /** Where key secrets sit on this machine (rotation's "Replace in files"); the scan's by default. */
  keyLocations?: KeyLocations
  /** Features that extend a rotation plan (e.g. the new key's expiry). */
  rotationHooks?: RotationHooks
  /** Watch expiry dates (reminders, "Disable at expiry"). Default true. */
  watchExpiry?: boolean
  /** Facts for Health beside the scanner's and rotation's (wired here): test stand-ins. */
  healthPorts?: HealthPorts
}

/** Everything behind the bridge, wired once. Electron's main and the web harness both use it. */
export interface AppCore {
  router: Router
  events: EventBus
  services: Services
  secrets: SecretStore
  sandbox: EmbeddedSandbox
  clipboard: Clipboard
  desktop: Desktop
  db: Database
  dbPath: string
  logger: Logger
  close(): Promise<void>
}

export function resolveDbPath(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.VKM_DB_PATH || join(dataDir, DB_FILE_NAME)
}

export function resolveKeychainService(env: NodeJS.ProcessEnv = process.env): string {
  return env.VKM_KEYCHAIN_SERVICE || DEFAULT_KEYCHAIN_SERVICE
}

export async function createAppCore(config: CoreConfig): Promise<AppCore> {
  const logger = config.logger ?? createLogger()
  const clock = config.clock ?? systemClock
  const now = (): number => clock.now()
  const dbPath = resolveDbPath(config.dataDir)
  const opened = openDatabase(dbPath)
  if (opened.recoveredFrom) {
    logger.warn(`database could not be read; moved aside to ${opened.recoveredFrom} and recreated`)
  }
  const db = opened.db
  const secrets =
    config.secrets ??
    new KeytarSecretStore({ service: config.keychainService ?? resolveKeychainService() })
  const clipboard = config.clipboard ?? new MemoryClipboard()
  const events = new EventBus()
  const desktop = config.desktop ?? new HeadlessDesktop({ clipboard, events })
  const sandbox = new EmbeddedSandbox({
    dataDir: join(config.dataDir, 'sandbox'),
    propagationMs: config.sandboxPropagationMs ?? SANDBOX_PROPAGATION_MS,
    seedKeys: config.sandboxSeedKeys,
    logger
  })
  try {
    await sandbox.start()
  } catch (error) {
    db.close()
    throw error
  }

  // Each service below is handed the tables it uses, by name: the wiring shows who touches what.
  const tables = {
    settings: new SettingsTable(db),
    accounts: new AccountsTable(db),
    usageEvents: new UsageEventsTable(db, {
      onFlushError: (error) => logger.warn('could not record usage events', error)
    }),
    keyCache: new KeyCacheTable(db),
    corpusCache: new CorpusCacheTable(db),
    audit: new AuditTable(db),
    playgroundHistory: new PlaygroundHistoryTable(db),
    remoteQueries: new RemoteQueriesTable(db),
    scanFolders: new ScanFoldersTable(db),
    scanStamps: new ScanStampsTable(db),
    scanFindings: new ScanFindingsTable(db),
    rotations: new RotationsTable(db),
    keyExpiry: new KeyExpiryTable(db),
    expiryReminders: new ExpiryRemindersTable(db),
    findingDismissals: new FindingDismissalsTable(db),
    keyDisabledSince: new KeyDisabledSinceTable(db)
  }
  const usageRecorder = new UsageRecorder({
    usage: tables.usageEvents,
    logger,
    onRecorded: (accountId) => events.emit('usage.recorded', { accountId }),
    now
  })
  const clients = new VectaraClients({
    secrets,
    usage: usageRecorder,
    sandbox: () => sandbox.endpoint(),
    clientOptions: config.vectaraClient
  })
  const accounts = new AccountsService({
    accounts: tables.accounts,
    settings: tables.settings,
    audit: tables.audit,
    secrets,
    clients,
    events,
    sandbox,
    now
  })
  accounts.ensureSandboxAccount(sandbox.url())
  const propagation = new PropagationService({
    events,
    logger,
    probeClient: (account, keyId, secret) => clients.forKey(account, keyId, secret, 'probe'),
    now
  })
  const retention = new UsageRetention({
    usage: tables.usageEvents,
    remote: tables.remoteQueries,
    playground: tables.playgroundHistory,
    logger
  })
  const keys = new KeysService({
    accounts,
    clients,
    secrets,
    keyCache: tables.keyCache,
    usage: tables.usageEvents,
    settings: tables.settings,
    audit: tables.audit,
    propagation,
    events,
    logger,
    now,
    keyExpiry: tables.keyExpiry,
    foundInFiles: (accountId) => tables.scanFindings.fileCountsByKey(accountId)
  })
  const expiry = new ExpiryService({
    accounts,
    keys,
    keyCache: tables.keyCache,
    keyExpiry: tables.keyExpiry,
    reminders: tables.expiryReminders,
    settings: tables.settings,
    audit: tables.audit,
    desktop,
    events,
    logger,
    now
  })
  const scan = new ScanService({
    folders: tables.scanFolders,
    stamps: tables.scanStamps,
    findings: tables.scanFindings,
    settings: tables.settings,
    transaction: (work) => db.transaction(work)(),
    accounts: () => accounts.all(),
    keys,
    secrets,
    clients,
    desktop,
    events,
    logger,
    scanner: config.scanner
  })
  const keySecrets = new KeySecretsService({
    keys,
    accounts,
    clients,
    secrets,
    keyCache: tables.keyCache,
    audit: tables.audit,
    clipboard,
    logger,
    now
  })
  const rotations = new RotationService({
    rotations: tables.rotations,
    keyCache: tables.keyCache,
    usage: tables.usageEvents,
    audit: tables.audit,
    keys,
    keySecrets,
    accounts,
    clients,
    secrets,
    propagation,
    events,
    desktop,
    locations: config.keyLocations ?? scanKeyLocations(scan),
    hooks: config.rotationHooks ?? newKeyExpiryHooks(expiry),
    logger,
    clock
  })
  const playground = new PlaygroundService({
    accounts,
    clients,
    keySecrets,
    keyCache: tables.keyCache,
    history: tables.playgroundHistory,
    events,
    clipboard,
    logger,
    timeoutMs: config.playgroundTimeoutMs
  })
  const services: Services = {
    app: new AppService({
      appVersion: config.appVersion,
      platform: config.platform ?? process.platform,
      runtime: config.runtime,
      secrets,
      database: {
        path: opened.path,
        schemaVersion: opened.schemaVersion,
        recoveredFrom: opened.recoveredFrom
      }
    }),
    accounts,
    keys,
    keySecrets,
    corpora: new CorporaService({ accounts, clients, corpusCache: tables.corpusCache }),
    playground,
    usage: new UsageService({
      usage: tables.usageEvents,
      remote: tables.remoteQueries,
      keyCache: tables.keyCache,
      settings: tables.settings,
      accounts,
      clients,
      retention,
      now
    }),
    scan,
    rotations,
    health: new HealthService({
      accounts,
      keyCache: tables.keyCache,
      corpusCache: tables.corpusCache,
      usage: tables.usageEvents,
      playgroundHistory: tables.playgroundHistory,
      settings: tables.settings,
      keyExpiry: tables.keyExpiry,
      disabledSince: tables.keyDisabledSince,
      dismissals: tables.findingDismissals,
      audit: tables.audit,
      ports: {
        fileFindings: scan.fileFindings,
        rotations: waitingRotations(tables.rotations),
        ...config.healthPorts
      },
      now
    }),
    expiry
  }
  const router = new Router(createHandlers(services), {
    errorMappers: [vectaraErrorMapper],
    onUnexpectedError: (name, error) => logger.error(`call ${name} failed unexpectedly`, error)
  })
  if (config.pruneUsage !== false) retention.start()
  if (config.watchExpiry !== false) expiry.start()
  // Steps that fell due while the app was closed run now; the call itself must not wait on them.
  void rotations.resume().catch((error: unknown) => logger.error('rotations did not resume', error))
  let closing: Promise<void> | undefined
  return {
    router,
    events,
    services,
    secrets,
    sandbox,
    clipboard,
    desktop,
    db,
    dbPath: opened.path,
    logger,
    close() {
      closing ??= (async () => {
        await rotations.stop()
        propagation.stopAll()
        playground.cancelAll()
        // Stops a running scan and ends the scan threads, so nothing keeps the process alive.
        await scan.close()
        await expiry.stop()
        usageRecorder.stop()
        await retention.stop()
        await sandbox.stop()
        try {
          tables.usageEvents.flush()
        } catch (error) {
          logger.warn('could not record the last usage events', error)
        }
        db.close()
      })()
      return closing
    }
  }
}
