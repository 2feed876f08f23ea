import type { Fields, JsonObject } from '../http/fields'
import type { NewPart } from '../store/documentsTable'
import type { FilterAttribute } from '../store/corporaTable'
import { splitSentences } from '../search/text'

const MAX_PARTS = 20_000
const MAX_SECTION_DEPTH = 16

export interface ParsedDocument {
  id: string
  metadata: JsonObject
  tables?: unknown[]
  parts: NewPart[]
}

/** Reads a CoreDocument or StructuredDocument into the parts that search will index. */
export function readDocument(fields: Fields): ParsedDocument | undefined {
  const type = fields.oneOf('type', ['core', 'structured'] as const, { required: true })
  const id = fields.string('id', { required: true, nonEmpty: true, maxLength: 512 })
  const metadata = fields.record('metadata') ?? {}
  const tables = fields.array('tables', (value, path) => {
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value
    fields.errors.add(path, 'must be an object')
    return undefined
  })
  fields.array('images', (value) => value)
  if (!type || id === undefined) return undefined
  const parts = type === 'core' ? readCoreParts(fields) : readStructuredParts(fields, metadata)
  if (parts && parts.length > MAX_PARTS)
    fields.fail(
      type === 'core' ? 'document_parts' : 'sections',
      `yields more than ${MAX_PARTS} parts`
    )
  if (parts && parts.length === 0)
    fields.fail(type === 'core' ? 'document_parts' : 'sections', 'contain no text to index')
  return { id, metadata, ...(tables?.length ? { tables } : {}), parts: parts ?? [] }
}

function readCoreParts(fields: Fields): NewPart[] | undefined {
  return fields.objects(
    'document_parts',
    (part): NewPart | undefined => {
      const text = part.string('text', { required: true })
      const metadata = part.record('metadata') ?? {}
      const context = part.string('context')
      const tableId = part.string('table_id')
      const imageId = part.string('image_id')
      const customDimensions = part.numberMap('custom_dimensions')
      if (text === undefined || text.trim() === '') return undefined
      return { text, metadata, context, tableId, imageId, customDimensions }
    },
    { required: true, minItems: 1 }
  )
}

function readStructuredParts(fields: Fields, metadata: JsonObject): NewPart[] | undefined {
  const title = fields.string('title')
  const description = fields.string('description')
  const customDimensions = fields.numberMap('custom_dimensions')
  // Vectara keeps a structured document's title and description as document metadata.
  if (title !== undefined && metadata.title === undefined) metadata.title = title
  if (description !== undefined && metadata.description === undefined)
    metadata.description = description
  const chunking = fields.object('chunking_strategy')
  const strategy = chunking?.oneOf(
    'type',
    ['sentence_chunking_strategy', 'max_chars_chunking_strategy'] as const,
    {
      required: true
    }
  )
  const maxChars =
    strategy === 'max_chars_chunking_strategy'
      ? chunking!.integer('max_chars_per_chunk', { required: true, min: 100 })
      : undefined
  const parts: NewPart[] = []
  const readSections = (owner: Fields, depth: number): void => {
    owner.objects(
      'sections',
      (section) => {
        section.integer('id')
        section.string('title')
        const text = section.string('text', { required: true })
        const sectionMetadata = section.record('metadata') ?? {}
        section.array('tables', (value) => value)
        section.array('images', (value) => value)
        for (const chunk of chunkText(text ?? '', maxChars)) {
          parts.push({
            text: chunk,
            metadata: { ...sectionMetadata },
            ...(customDimensions ? { customDimensions } : {})
          })
        }
        if (section.has('sections')) {
          if (depth >= MAX_SECTION_DEPTH)
            section.fail('sections', `nest deeper than ${MAX_SECTION_DEPTH} levels`)
          else readSections(section, depth + 1)
        }
        return true
      },
      { required: depth === 0, minItems: depth === 0 ? 1 : 0 }
    )
  }
  readSections(fields, 0)
  return parts
}

/**
 * Vectara's default chunking makes one part per sentence; `max_chars_per_chunk` packs sentences
 * up to the limit and splits only a sentence longer than the limit.
 */
export function chunkText(text: string, maxChars?: number): string[] {
  const sentences = splitSentences(text)
  if (maxChars === undefined) return sentences
  const chunks: string[] = []
  let current = ''
  for (const sentence of sentences) {
    if (sentence.length > maxChars) {
      if (current) chunks.push(current)
      current = ''
      for (let i = 0; i < sentence.length; i += maxChars)
        chunks.push(sentence.slice(i, i + maxChars))
      continue
    }
    const joined = current ? `${current} ${sentence}` : sentence
    if (joined.length > maxChars) {
      chunks.push(current)
      current = sentence
    } else {
      current = joined
    }
  }
  if (current) chunks.push(current)
  return chunks
}

/**
 * Values of declared filter attributes must have the declared type; Vectara validates this at
 * indexing time, so a filter never meets a value it cannot compare.
 */
export function checkAttributeTypes(
  doc: ParsedDocument,
  attributes: FilterAttribute[],
  fields: Fields
): void {
  for (const attribute of attributes) {
    if (attribute.level === 'document') {
      checkValue(
        valueAt(doc.metadata, attribute.name),
        attribute,
        `metadata.${attribute.name}`,
        fields
      )
    } else {
      doc.parts.forEach((part, i) =>
        checkValue(
          valueAt(part.metadata, attribute.name),
          attribute,
          `parts[${i}].metadata.${attribute.name}`,
          fields
        )
      )
    }
  }
}

function valueAt(metadata: JsonObject, path: string): unknown {
  let value: unknown = metadata
  for (const segment of path.split('.')) {
    if (typeof value !== 'object' || value === null) return undefined
    value = (value as JsonObject)[segment]
  }
  return value
}

const TYPE_CHECKS: Record<string, (value: unknown) => boolean> = {
  integer: (v) => Number.isInteger(v),
  real_number: (v) => typeof v === 'number' && Number.isFinite(v),
  text: (v) => typeof v === 'string',
  boolean: (v) => typeof v === 'boolean'
}

function checkValue(
  value: unknown,
  attribute: FilterAttribute,
  path: string,
  fields: Fields
): void {
  if (value === undefined || value === null) return
  const list = /^list\[(.+)\]$/.exec(attribute.type)
  const ok = list
    ? Array.isArray(value) && value.every(TYPE_CHECKS[list[1]])
    : TYPE_CHECKS[attribute.type](value)
  if (!ok)
    fields.errors.add(
      path,
      `must be ${attribute.type}: it is a ${attribute.level} filter attribute`
    )
}
