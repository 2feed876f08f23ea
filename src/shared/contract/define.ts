import type { z } from 'zod'

/** One request/response call: what the renderer may send and what main promises to answer. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I
  output: O
}

export function defineCall<I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O
): CallSpec<I, O> {
  return { input, output }
}
