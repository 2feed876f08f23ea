import { ApiError } from './errors'

/** Collects every problem in a request so one 400 can name them all, as Vectara's does. */
export class FieldErrors {
  private readonly errors: Record<string, string> = {}

  add(field: string, problem: string): void {
    if (!(field in this.errors)) this.errors[field] = problem
  }

  get count(): number {
    return Object.keys(this.errors).length
  }

  throwIfAny(): void {
    if (this.count === 0) return
    const summary = Object.entries(this.errors)
      .slice(0, 3)
      .map(([field, problem]) => `${field} ${problem}`)
      .join('; ')
    throw new ApiError(400, [`Invalid request: ${summary}`], { fieldErrors: { ...this.errors } })
  }
}

export type JsonObject = Record<string, unknown>

export const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

interface Presence {
  required?: boolean
}
interface StringRules extends Presence {
  nonEmpty?: boolean
  maxLength?: number
  pattern?: RegExp
  patternHint?: string
}
interface NumberRules extends Presence {
  min?: number
  max?: number
}

const INT32_MAX = 2 ** 31 - 1

/**
 * Typed reads from an untrusted JSON object. Each getter records a field error and returns
 * undefined instead of throwing, so the caller reads everything, then calls `errors.throwIfAny()`.
 * `null` counts as absent, as the spec's optional fields allow.
 */
export class Fields {
  constructor(
    readonly value: JsonObject,
    readonly errors: FieldErrors,
    private readonly prefix = ''
  ) {}

  /** The request body must be a JSON object; anything else is a 400 at once. */
  static root(body: unknown, errors = new FieldErrors()): Fields {
    if (!isObject(body)) {
      throw new ApiError(400, ['Invalid request: the body must be a JSON object.'], {
        fieldErrors: { body: 'must be a JSON object' }
      })
    }
    return new Fields(body, errors)
  }

  path(name: string): string {
    return this.prefix + name
  }

  has(name: string): boolean {
    return this.value[name] !== undefined && this.value[name] !== null
  }

  private present(name: string, rules: Presence): boolean {
    if (this.has(name)) return true
    if (rules.required) this.errors.add(this.path(name), 'is required')
    return false
  }

  string(name: string, rules: StringRules = {}): string | undefined {
    if (!this.present(name, rules)) return undefined
    const value = this.value[name]
    if (typeof value !== 'string') return this.fail(name, 'must be a string')
    if (rules.nonEmpty && value.trim() === '') return this.fail(name, 'must not be empty')
    if (rules.maxLength !== undefined && value.length > rules.maxLength) {
      return this.fail(name, `must be at most ${rules.maxLength} characters`)
    }
    if (rules.pattern && !rules.pattern.test(value)) {
      return this.fail(name, rules.patternHint ?? `must match ${rules.pattern.source}`)
    }
    return value
  }

  number(name: string, rules: NumberRules = {}): number | undefined {
    if (!this.present(name, rules)) return undefined
    const value = this.value[name]
    if (typeof value !== 'number' || !Number.isFinite(value))
      return this.fail(name, 'must be a number')
    return this.inRange(name, value, rules)
  }

  integer(name: string, rules: NumberRules = {}): number | undefined {
    if (!this.present(name, rules)) return undefined
    const value = this.value[name]
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      return this.fail(name, 'must be an integer')
    }
    return this.inRange(name, value, { min: -INT32_MAX - 1, max: INT32_MAX, ...rules })
  }

  boolean(name: string, rules: Presence = {}): boolean | undefined {
    if (!this.present(name, rules)) return undefined
    const value = this.value[name]
    if (typeof value !== 'boolean') return this.fail(name, 'must be true or false')
    return value
  }

  oneOf<T extends string>(
    name: string,
    allowed: readonly T[],
    rules: Presence = {}
  ): T | undefined {
    if (!this.present(name, rules)) return undefined
    const value = this.value[name]
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      return this.fail(name, `must be one of: ${allowed.join(', ')}`)
    }
    return value as T
  }

  /** A nested object read with the same rules; its errors carry the dotted path. */
  object(name: string, rules: Presence = {}): Fields | undefined {
    if (!this.present(name, rules)) return undefined
    const value = this.value[name]
    if (!isObject(value)) return this.fail(name, 'must be an object')
    return new Fields(value, this.errors, `${this.path(name)}.`)
  }

  /** A free-form JSON object such as metadata. */
  record(name: string, rules: Presence = {}): JsonObject | undefined {
    return this.object(name, rules)?.value
  }

  /** A free-form map of numbers (custom dimensions). */
  numberMap(name: string): Record<string, number> | undefined {
    const map = this.record(name)
    if (!map) return undefined
    for (const [key, value] of Object.entries(map)) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return this.fail(name, `value of "${key}" must be a number`)
      }
    }
    return map as Record<string, number>
  }

  /** An array whose items are checked by `item`; an item returning undefined is dropped. */
  array<T>(
    name: string,
    item: (value: unknown, path: string) => T | undefined,
    rules: Presence & { minItems?: number; maxItems?: number } = {}
  ): T[] | undefined {
    if (!this.present(name, rules)) return undefined
    const value = this.value[name]
    if (!Array.isArray(value)) return this.fail(name, 'must be an array')
    if (rules.minItems !== undefined && value.length < rules.minItems) {
      return this.fail(
        name,
        `must have at least ${rules.minItems} item${rules.minItems === 1 ? '' : 's'}`
      )
    }
    if (rules.maxItems !== undefined && value.length > rules.maxItems) {
      return this.fail(name, `must have at most ${rules.maxItems} items`)
    }
    const out: T[] = []
    value.forEach((entry, index) => {
      const result = item(entry, `${this.path(name)}[${index}]`)
      if (result !== undefined) out.push(result)
    })
    return out
  }

  /** Array items that are objects, each read through its own Fields. */
  objects<T>(
    name: string,
    read: (fields: Fields, index: number) => T | undefined,
    rules: Presence & { minItems?: number; maxItems?: number } = {}
  ): T[] | undefined {
    let index = 0
    return this.array(
      name,
      (value, path) => {
        const at = index++
        if (!isObject(value)) {
          this.errors.add(path, 'must be an object')
          return undefined
        }
        return read(new Fields(value, this.errors, `${path}.`), at)
      },
      rules
    )
  }

  fail(name: string, problem: string): undefined {
    this.errors.add(this.path(name), problem)
    return undefined
  }

  private inRange(name: string, value: number, rules: NumberRules): number | undefined {
    if (rules.min !== undefined && value < rules.min)
      return this.fail(name, `must be at least ${rules.min}`)
    if (rules.max !== undefined && value > rules.max)
      return this.fail(name, `must be at most ${rules.max}`)
    return value
  }
}
