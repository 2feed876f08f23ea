import { z } from 'zod'

/**
 * Every failure that crosses IPC carries one of these codes. The renderer decides what to show
 * from the code, never from the message text.
 */
export const errorCodes = [
  'BAD_INPUT',
  'UNKNOWN_CALL',
  'FORBIDDEN_SENDER',
  'INTERNAL',
  'NOT_FOUND',
  /** The app holds no secret for a key and the API will not return it: offer "Paste secret…". */
  'SECRET_UNKNOWN',
  'CONFLICT',
  'KEYCHAIN_UNAVAILABLE',
  'KEYCHAIN_TIMEOUT',
  'DB_ERROR',
  'API_BAD_REQUEST',
  'API_UNAUTHORIZED',
  'API_FORBIDDEN',
  'API_NOT_FOUND',
  'API_CONFLICT',
  'API_RATE_LIMITED',
  'API_SERVER_ERROR',
  'API_INVALID_RESPONSE',
  'API_TIMEOUT',
  'NETWORK_ERROR',
  'CANCELLED'
] as const

export const ErrorCodeSchema = z.enum(errorCodes)
export type ErrorCode = z.infer<typeof ErrorCodeSchema>

export const AppErrorShapeSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  status: z.number().int().optional(),
  requestId: z.string().optional(),
  fieldErrors: z.record(z.string(), z.string()).optional()
})
export type AppErrorShape = z.infer<typeof AppErrorShapeSchema>

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorShape }

/** A failure with a code the renderer understands. Messages must never contain a secret. */
export class AppError extends Error {
  readonly code: ErrorCode
  readonly status?: number
  readonly requestId?: string
  readonly fieldErrors?: Record<string, string>

  constructor(
    code: ErrorCode,
    message: string,
    extra: Omit<AppErrorShape, 'code' | 'message'> = {}
  ) {
    super(message)
    this.name = 'AppError'
    this.code = code
    this.status = extra.status
    this.requestId = extra.requestId
    this.fieldErrors = extra.fieldErrors
  }

  toShape(): AppErrorShape {
    const shape: AppErrorShape = { code: this.code, message: this.message }
    if (this.status !== undefined) shape.status = this.status
    if (this.requestId !== undefined) shape.requestId = this.requestId
    if (this.fieldErrors !== undefined) shape.fieldErrors = this.fieldErrors
    return shape
  }

  static fromShape(shape: AppErrorShape): AppError {
    const { code, message, ...extra } = shape
    return new AppError(code, message, extra)
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError
}
