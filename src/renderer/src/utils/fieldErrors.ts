import type { z } from 'zod'

/**
 * Field errors arrive from two places: main's zod check (`credential.apiKey`, `corpusKeys.0`)
 * and Vectara's `field_errors` (`corpus_keys`). Both become the form's own camelCase field name.
 */
export function normalizeFieldErrors(
  fieldErrors: Record<string, string> | undefined,
  aliases: Record<string, string> = {}
): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [path, message] of Object.entries(fieldErrors ?? {})) {
    const segments = path.split('.').filter((s) => s && !/^\d+$/.test(s) && s !== 'credential')
    const last = segments.at(-1)
    if (!last) continue
    const camel = last.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())
    const field = aliases[camel] ?? camel
    out[field] ??= message
  }
  return out
}

/** The first message per field from a failed zod parse, keyed like normalizeFieldErrors. */
export function zodFieldErrors(error: z.ZodError): Record<string, string> {
  const raw: Record<string, string> = {}
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.')
    if (key && !(key in raw)) raw[key] = issue.message
  }
  return normalizeFieldErrors(raw)
}
