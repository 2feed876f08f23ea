import { join } from 'node:path'
import type { Database } from 'better-sqlite3'
import { openDatabase, DB_FILE_NAME } from './db/database'
import { createHandlers, type Services } from './handlers'
import { createLogger, type Logger } from './log'
import { EventBus, Router } from './router'
import { KeytarSecretStore } from './secrets/keytarSecretStore'
import type { SecretStore } from './secrets/secretStore'
import { AppService } from './services/appService'

export const DEFAULT_KEYCHAIN_SERVICE = 'vectara-key-manager'

export interface CoreConfig {
  runtime: 'electron' | 'harness'
  appVersion: string
  platform?: string
  /** Folder for vkm.db; `VKM_DB_PATH` overrides the file path (tests). */
  dataDir: string
  /** Keychain service name; tests use another one so they never touch real entries. */
  keychainService?: string
  /** Replaces the OS keychain (unit tests). */
  secrets?: SecretStore
  logger?: Logger
}

/** Everything behind the bridge, wired once. Electron's main and the web harness both use it. */
export interface AppCore {
  router: Router
  events: EventBus
  services: Services
  secrets: SecretStore
  db: Database
  dbPath: string
  logger: Logger
  close(): void
}

export function resolveDbPath(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.VKM_DB_PATH || join(dataDir, DB_FILE_NAME)
}

export function resolveKeychainService(env: NodeJS.ProcessEnv = process.env): string {
  return env.VKM_KEYCHAIN_SERVICE || DEFAULT_KEYCHAIN_SERVICE
}

export function createAppCore(config: CoreConfig): AppCore {
  const logger = config.logger ?? createLogger()
  const dbPath = resolveDbPath(config.dataDir)
  const opened = openDatabase(dbPath)
  if (opened.recoveredFrom) {
    logger.warn(`database could not be read; moved aside to ${opened.recoveredFrom} and recreated`)
  }
  const secrets =
    config.secrets ??
    new KeytarSecretStore({ service: config.keychainService ?? resolveKeychainService() })
  const events = new EventBus()
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
    })
  }
  const router = new Router(createHandlers(services), {
    onUnexpectedError: (name, error) => logger.error(`call ${name} failed unexpectedly`, error)
  })
  let closed = false
  return {
    router,
    events,
    services,
    secrets,
    db: opened.db,
    dbPath: opened.path,
    logger,
    close() {
      if (closed) return
      closed = true
      opened.db.close()
    }
  }
}
