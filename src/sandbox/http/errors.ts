/**
 * Errors a handler throws to answer with one of Vectara's error bodies. Anything else thrown is
 * a bug and becomes a 500 without its message (which might echo input).
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly messages: string[],
    readonly extra: {
      fieldErrors?: Record<string, string>
      id?: string
      headers?: Record<string, string>
    } = {}
  ) {
    super(messages.join(' '))
    this.name = 'ApiError'
  }
}

export const badRequest = (message: string, fieldErrors?: Record<string, string>): ApiError =>
  new ApiError(400, [message], { fieldErrors })

export const unauthorized = (message: string): ApiError => new ApiError(401, [message])
export const forbidden = (message: string): ApiError => new ApiError(403, [message])
export const notFound = (id: string, message: string): ApiError =>
  new ApiError(404, [message], { id })
export const conflict = (message: string): ApiError => new ApiError(409, [message])
