import type { Handlers } from './router'
import type { AppService } from './services/appService'

export interface Services {
  app: AppService
}

/** One line per call: behaviour lives in the services, not here. */
export function createHandlers(services: Services): Handlers {
  return {
    'app.status': () => services.app.status()
  }
}
