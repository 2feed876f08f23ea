import type { Handlers } from './router'
import type { AccountsService } from './services/accountsService'
import type { AppService } from './services/appService'
import type { KeysService } from './services/keysService'

export interface Services {
  app: AppService
  accounts: AccountsService
  keys: KeysService
}

/** One line per call: behaviour lives in the services, not here. */
export function createHandlers(services: Services): Handlers {
  const { app, accounts, keys } = services
  return {
    'app.status': () => app.status(),
    'accounts.list': () => accounts.list(),
    'accounts.add': (input) => accounts.add(input),
    'accounts.update': (input) => accounts.update(input),
    'accounts.remove': ({ id }) => accounts.remove(id),
    'accounts.switch': ({ id }) => accounts.switchTo(id),
    'accounts.check': ({ id }) => accounts.check(id),
    'keys.list': ({ accountId }) => keys.list(accountId),
    'keys.refresh': ({ accountId }) => keys.refresh(accountId),
    'keys.create': (input) => keys.create(input),
    'keys.setEnabled': (input) => keys.setEnabled(input),
    'keys.delete': (input) => keys.delete(input),
    'keys.copySecret': (input) => keys.copySecret(input),
    'keys.revealSecret': (input) => keys.revealSecret(input),
    'keys.storeSecret': (input) => keys.storeSecret(input),
    'corpora.list': ({ accountId }) => keys.corpora(accountId)
  }
}
