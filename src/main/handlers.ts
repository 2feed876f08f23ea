import { AppError } from '@shared/errors'
import type { Handlers } from './router'
import type { AppService } from './services/appService'

export interface Services {
  app: AppService
}

/** One line per call: behaviour lives in the services, not here. */
export function createHandlers(services: Services): Handlers {
  return {
    'app.status': () => services.app.status(),
    ...pendingHandlers()
  }
}

// Temporary while the accounts and keys services are wired (issue 4); replaced in this session.
function pendingHandlers(): Omit<Handlers, 'app.status'> {
  const pending = (): never => {
    throw new AppError('INTERNAL', 'Accounts and keys are being wired in.')
  }
  return {
    'accounts.list': pending,
    'accounts.add': pending,
    'accounts.update': pending,
    'accounts.remove': pending,
    'accounts.switch': pending,
    'accounts.check': pending,
    'keys.list': pending,
    'keys.refresh': pending,
    'keys.create': pending,
    'keys.setEnabled': pending,
    'keys.delete': pending,
    'keys.copySecret': pending,
    'keys.revealSecret': pending,
    'keys.storeSecret': pending,
    'corpora.list': pending
  }
}
