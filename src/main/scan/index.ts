/**
 * The folder scanner's API for main. No Electron import: the service, tests, the web harness and
 * benches use it as is. runScan lists and reads in worker threads; findings carry the secret
 * for main's in-memory matching only: keep `secretFingerprint(secret)` and, for display,
 * `maskSecret(secret)` from `@shared/redact`, never the secret itself.
 */
export { closeScanThreads, prepareScanThreads, runScan, type ScanHooks } from './runScan'
export {
  replaceInFile,
  type ReplaceOutcome,
  type ReplaceRequest,
  type ReplaceSkipReason
} from './replaceInFile'
export { secretFingerprint } from './fingerprint'
export { SECRET_BODY_LENGTHS, SECRET_PREFIXES, detectSecrets, type SecretMatch } from './detector'
export {
  LARGE_FILE_BYTES,
  MAX_LISTED_SKIPS,
  type FileStamp,
  type ScanCounts,
  type ScanFinding,
  type ScanOptions,
  type ScanProgress,
  type ScanResult,
  type ScanSkip,
  type SecretKind,
  type SkipReason
} from './types'
