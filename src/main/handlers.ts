import type { Handlers } from './router'
import type { AccountsService } from './services/accountsService'
import type { AppService } from './services/appService'
import type { CorporaService } from './services/corporaService'
import type { ExpiryService } from './services/expiryService'
import type { HealthService } from './services/healthService'
import type { KeySecretsService } from './services/keySecretsService'
import type { KeysService } from './services/keysService'
import type { PlaygroundService } from './services/playgroundService'
import type { ScanService } from './services/scan/scanService'
import type { RotationService } from './rotation/rotationService'
import type { UsageService } from './services/usageService'

export interface Services {
  app: AppService
  accounts: AccountsService
  keys: KeysService
  keySecrets: KeySecretsService
  corpora: CorporaService
  playground: PlaygroundService
  usage: UsageService
  scan: ScanService
  rotations: RotationService
  health: HealthService
  expiry: ExpiryService
}

/** One line per call: behaviour lives in the services, not here. */
export function createHandlers(services: Services): Handlers {
  const {
    app,
    accounts,
    keys,
    keySecrets,
    corpora,
    playground,
    usage,
    scan,
    rotations,
    health,
    expiry
  } = services
  return {
    'app.status': () => app.status(),
    'accounts.list': () => accounts.list(),
    'accounts.add': (input) => accounts.add(input),
    'accounts.update': (input) => accounts.update(input),
    'accounts.remove': ({ id }) => accounts.remove(id),
    'accounts.switch': ({ id }) => accounts.switch(id),
    'accounts.check': ({ id }) => accounts.check(id),
    'keys.list': ({ accountId }) => keys.list(accountId),
    'keys.refresh': ({ accountId }) => keys.refresh(accountId),
    'keys.create': (input) => keys.create(input),
    'keys.setEnabled': (input) => keys.setEnabled(input),
    'keys.delete': (input) => keys.delete(input),
    'keys.copySecret': (input) => keySecrets.copySecret(input),
    'keys.revealSecret': (input) => keySecrets.revealSecret(input),
    'keys.fetchSecret': (input) => keySecrets.fetchSecret(input),
    'keys.storeSecret': (input) => keySecrets.storeSecret(input),
    'corpora.list': ({ accountId }) => corpora.list(accountId),
    'playground.run': (input) => playground.run(input),
    'playground.cancel': ({ runId }) => playground.cancel(runId),
    'playground.rememberSecret': (input) => playground.rememberSecret(input),
    'playground.history': (input) => playground.history(input),
    'playground.saveEntry': (input) => playground.saveEntry(input),
    'playground.deleteEntry': ({ id }) => playground.deleteEntry(id),
    'playground.clearHistory': (input) => playground.clearHistory(input),
    'playground.copyText': ({ text }) => playground.copyText(text),
    'usage.charts': (filters) => usage.charts(filters),
    'usage.events': (input) => usage.events(input),
    'usage.exportCsv': (filters) => usage.exportCsv(filters),
    'usage.syncRemote': ({ accountId }) => usage.syncRemote(accountId),
    'usage.remoteStatus': ({ accountId }) => usage.remoteStatus(accountId),
    'usage.staleKeys': ({ accountId }) => usage.staleKeys(accountId),
    'usage.retention': () => usage.retention(),
    'scan.state': () => scan.state(),
    'scan.prepare': () => scan.prepare(),
    'scan.chooseFolder': () => scan.chooseFolder(),
    'scan.addFolder': (input) => scan.addFolder(input),
    'scan.removeFolder': ({ folderId }) => scan.removeFolder(folderId),
    'scan.setOptions': (options) => scan.setOptions(options),
    'scan.start': () => scan.start(),
    'scan.cancel': () => scan.cancel(),
    'scan.results': () => scan.results(),
    'scan.ignore': ({ findingId, ignored }) => scan.ignore(findingId, ignored),
    'scan.showInFolder': ({ findingId }) => scan.showInFolder(findingId),
    'scan.disableKey': ({ findingId }) => scan.disableKey(findingId),
    'scan.keyFiles': ({ accountId, keyId }) => scan.keyFiles(accountId, keyId),
    'rotations.plan': (input) => rotations.plan(input),
    'rotations.start': (input) => rotations.start(input),
    'rotations.list': (input) => rotations.list(input),
    'rotations.retry': (input) => rotations.retry(input),
    'rotations.confirmSwap': (input) => rotations.confirmSwap(input),
    'rotations.confirmDisable': (input) => rotations.confirmDisable(input),
    'rotations.confirmDelete': (input) => rotations.confirmDelete(input),
    'rotations.cancel': (input) => rotations.cancel(input),
    'rotations.findings': (input) => rotations.findings(input),
    'rotations.replaceInFiles': (input) => rotations.replaceInFiles(input),
    'health.findings': ({ accountId }) => health.findings(accountId),
    'health.dismiss': (input) => health.dismiss(input),
    'health.restore': (input) => health.restore(input),
    'health.coverage': (input) => health.coverage(input),
    'health.exportInventory': (input) => health.exportInventory(input),
    'expiry.set': (input) => expiry.set(input)
  }
}
