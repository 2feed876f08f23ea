import { LANGUAGES, type Language } from '@shared/vectara'

/** The spec's `Language` enum, shared with the client and the playground. */
export { LANGUAGES, type Language }

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value)
