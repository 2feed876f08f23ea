/**
 * The main-process Vectara REST API v2 client. No Electron import: services, tests, the web
 * harness and benches all use it as is. Shared API types live in `@shared/vectara`.
 */
export { VectaraClient } from './client'
export type {
  CallOptions,
  CreateApiKeyInput,
  ListApiKeysFilter,
  ListQueriesFilter,
  QueryEventStream,
  VectaraClientOptions
} from './client'
export { DEFAULT_TOKEN_URL, type VectaraAuth } from './auth'
export {
  VectaraError,
  describeForUser,
  isVectaraError,
  toAppError,
  vectaraErrorMapper,
  type VectaraErrorCode
} from './errors'
export type { VectaraRequestInfo } from './http'
export type { RetryPolicy } from './retry'
export { checkServiceUrl, isLoopbackHost } from './urlPolicy'
