import { redactSecrets } from '@shared/redact'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'

export interface Logger {
  debug(message: string): void
  info(message: string): void
  warn(message: string, error?: unknown): void
  error(message: string, error?: unknown): void
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

/**
 * Writes one redacted line per entry. Callers pass messages, never payloads: IPC inputs may
 * hold secrets, so they are not logged at all.
 */
export function createLogger(
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
  minLevel: LogLevel = (process.env.VKM_LOG_LEVEL as LogLevel | undefined) ?? 'info'
): Logger {
  const emit = (level: LogLevel, message: string, error?: unknown): void => {
    if (order[level] < (order[minLevel] ?? order.info)) return
    const detail = error === undefined ? '' : ` | ${describe(error)}`
    write(redactSecrets(`${new Date().toISOString()} ${level.toUpperCase()} ${message}${detail}`))
  }
  return {
    debug: (m) => emit('debug', m),
    info: (m) => emit('info', m),
    warn: (m, e) => emit('warn', m, e),
    error: (m, e) => emit('error', m, e)
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`
  return typeof error === 'string' ? error : 'non-error value thrown'
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }
