import type { AppStatus } from '@shared/contract/app'
import type { SecretStore } from '../secrets/secretStore'

export interface AppServiceDeps {
  appVersion: string
  platform: string
  runtime: AppStatus['runtime']
  secrets: SecretStore
  database: { path: string; schemaVersion: number; recoveredFrom?: string }
}

export class AppService {
  constructor(private readonly deps: AppServiceDeps) {}

  async status(): Promise<AppStatus> {
    const problem = await this.deps.secrets.checkAvailable()
    const keychain: AppStatus['keychain'] = {
      available: problem === null,
      backend: this.deps.secrets.backend
    }
    if (problem !== null) keychain.problem = problem
    const database: AppStatus['database'] = {
      path: this.deps.database.path,
      schemaVersion: this.deps.database.schemaVersion
    }
    if (this.deps.database.recoveredFrom) database.recoveredFrom = this.deps.database.recoveredFrom
    return {
      appVersion: this.deps.appVersion,
      platform: this.deps.platform,
      runtime: this.deps.runtime,
      keychain,
      database
    }
  }
}
