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
