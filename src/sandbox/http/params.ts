import { FieldErrors } from './fields'

const INTEGER = /^-?\d{1,10}$/
/** RFC 3339 date-time, the spec's `format: date-time`. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i

/** Typed reads of query-string parameters, collecting field errors like `Fields`. */
export class Params {
  constructor(
    private readonly search: URLSearchParams,
    readonly errors = new FieldErrors()
  ) {}

  raw(name: string): string | undefined {
    const value = this.search.get(name)
    return value === null || value === '' ? undefined : value
  }

  all(name: string): string[] {
    return this.search.getAll(name).filter((value) => value !== '')
  }

  string(
    name: string,
    rules: { required?: boolean; maxLength?: number; pattern?: RegExp; patternHint?: string } = {}
  ): string | undefined {
    const value = this.raw(name)
    if (value === undefined) {
      if (rules.required) this.errors.add(name, 'is required')
      return undefined
    }
    if (rules.maxLength !== undefined && value.length > rules.maxLength) {
      return this.fail(name, `must be at most ${rules.maxLength} characters`)
    }
    if (rules.pattern && !rules.pattern.test(value)) {
      return this.fail(name, rules.patternHint ?? `must match ${rules.pattern.source}`)
    }
    return value
  }

  int(name: string, rules: { min?: number; max?: number; default: number }): number
  int(name: string, rules?: { min?: number; max?: number }): number | undefined
  int(
    name: string,
    rules: { min?: number; max?: number; default?: number } = {}
  ): number | undefined {
    const value = this.raw(name)
    if (value === undefined) return rules.default
    if (!INTEGER.test(value)) return this.fail(name, 'must be an integer') ?? rules.default
    const n = Number(value)
    if (rules.min !== undefined && n < rules.min)
      return this.fail(name, `must be at least ${rules.min}`) ?? rules.default
    if (rules.max !== undefined && n > rules.max)
      return this.fail(name, `must be at most ${rules.max}`) ?? rules.default
    return n
  }

  bool(name: string): boolean | undefined {
    const value = this.raw(name)
    if (value === undefined) return undefined
    if (value === 'true') return true
    if (value === 'false') return false
    return this.fail(name, 'must be true or false')
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const value = this.raw(name)
    if (value === undefined) return undefined
    if (!(allowed as readonly string[]).includes(value)) {
      return this.fail(name, `must be one of: ${allowed.join(', ')}`)
    }
    return value as T
  }

  /** An RFC 3339 date-time, as epoch milliseconds. */
  dateTime(name: string): number | undefined {
    const value = this.raw(name)
    if (value === undefined) return undefined
    const ms = DATE_TIME.test(value) ? Date.parse(value) : Number.NaN
    if (Number.isNaN(ms))
      return this.fail(name, 'must be an RFC 3339 date-time, e.g. 2025-01-31T12:00:00Z')
    return ms
  }

  fail(name: string, problem: string): undefined {
    this.errors.add(name, problem)
    return undefined
  }
}
