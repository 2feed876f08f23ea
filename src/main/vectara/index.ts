/**
 * The main-process Vectara REST API v2 client. No Electron import: services, tests, the web
 * harness and benches all use it as is. Shared API types live in `@shared/vectara`.
 */
export { VectaraClient, type VectaraClientOptions } from './client'
export { isVectaraError, vectaraErrorMapper } from './errors'
export type { VectaraRequestInfo } from './http'
