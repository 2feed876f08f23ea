import type { Database, Statement } from 'better-sqlite3'

export const FILTER_ATTRIBUTE_TYPES = [
  'integer',
  'real_number',
  'text',
  'boolean',
  'list[integer]',
  'list[real_number]',
  'list[text]'
] as const
export type FilterAttributeType = (typeof FILTER_ATTRIBUTE_TYPES)[number]

export interface FilterAttribute {
  name: string
  level: 'document' | 'part'
  description?: string
  indexed: boolean
  type: FilterAttributeType
}

export interface CustomDimension {
  name: string
  description?: string
  indexing_default: number
  querying_default: number
}

export interface Corpus {
  /** Numeric row id; the API shows it as `crp_<seq>`. */
  seq: number
  key: string
  name: string
  description: string
  enabled: boolean
  saveHistory: boolean
  queriesAreAnswers: boolean
  documentsAreQuestions: boolean
  encoderName: string
  filterAttributes: FilterAttribute[]
  customDimensions: CustomDimension[]
  createdAt: number
}

export type NewCorpus = Omit<Corpus, 'seq' | 'enabled'>

export interface CorpusUsage {
  docs: number
  parts: number
  characters: number
}

interface CorpusRow {
  seq: number
  key: string
  name: string
  description: string
  enabled: number
  save_history: number
  queries_are_answers: number
  documents_are_questions: number
  encoder_name: string
  filter_attributes: string
  custom_dimensions: string
  created_at: number
}

export const corpusId = (corpus: Pick<Corpus, 'seq'>): string => `crp_${corpus.seq}`

export class CorporaTable {
  // AUTOINCREMENT so a deleted corpus's crp_ id is never handed out again.
  static readonly createSql = `
    CREATE TABLE corpora (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      key TEXT NOT NULL UNIQUE,
      name TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      enabled INTEGER NOT NULL DEFAULT 1,
      save_history INTEGER NOT NULL DEFAULT 0,
      queries_are_answers INTEGER NOT NULL DEFAULT 0,
      documents_are_questions INTEGER NOT NULL DEFAULT 0,
      encoder_name TEXT NOT NULL,
      filter_attributes TEXT NOT NULL DEFAULT '[]',
      custom_dimensions TEXT NOT NULL DEFAULT '[]',
      created_at INTEGER NOT NULL
    ) STRICT;`

  private readonly insertStmt: Statement<Omit<CorpusRow, 'seq' | 'enabled'>>
  private readonly byKeyStmt: Statement<[string], CorpusRow>
  private readonly bySeqStmt: Statement<[number], CorpusRow>
  private readonly afterStmt: Statement<[number], CorpusRow>
  private readonly deleteStmt: Statement<[number]>
  private readonly usageStmt: Statement<{ seq: number }, CorpusUsage>

  constructor(db: Database) {
    this.insertStmt = db.prepare(`
      INSERT INTO corpora (key, name, description, save_history, queries_are_answers,
        documents_are_questions, encoder_name, filter_attributes, custom_dimensions, created_at)
      VALUES (@key, @name, @description, @save_history, @queries_are_answers,
        @documents_are_questions, @encoder_name, @filter_attributes, @custom_dimensions, @created_at)`)
    this.byKeyStmt = db.prepare('SELECT * FROM corpora WHERE key = ?')
    this.bySeqStmt = db.prepare('SELECT * FROM corpora WHERE seq = ?')
    this.afterStmt = db.prepare('SELECT * FROM corpora WHERE seq > ? ORDER BY seq')
    this.deleteStmt = db.prepare('DELETE FROM corpora WHERE seq = ?')
    this.usageStmt = db.prepare(`
      SELECT
        (SELECT count(*) FROM documents WHERE corpus_seq = @seq) AS docs,
        (SELECT count(*) FROM parts WHERE corpus_seq = @seq) AS parts,
        (SELECT coalesce(sum(length(text)), 0) FROM parts WHERE corpus_seq = @seq) AS characters`)
  }

  insert(corpus: NewCorpus): Corpus {
    const { lastInsertRowid } = this.insertStmt.run({
      key: corpus.key,
      name: corpus.name,
      description: corpus.description,
      save_history: Number(corpus.saveHistory),
      queries_are_answers: Number(corpus.queriesAreAnswers),
      documents_are_questions: Number(corpus.documentsAreQuestions),
      encoder_name: corpus.encoderName,
      filter_attributes: JSON.stringify(corpus.filterAttributes),
      custom_dimensions: JSON.stringify(corpus.customDimensions),
      created_at: corpus.createdAt
    })
    return { ...corpus, seq: Number(lastInsertRowid), enabled: true }
  }

  byKey(key: string): Corpus | undefined {
    const row = this.byKeyStmt.get(key)
    return row && toCorpus(row)
  }

  bySeq(seq: number): Corpus | undefined {
    const row = this.bySeqStmt.get(seq)
    return row && toCorpus(row)
  }

  /**
   * Corpora after a cursor, in creation order, that pass `keep`. Reads lazily and stops once
   * `count` rows are found, so a selective filter does not load the whole table.
   */
  listAfter(after: number, count: number, keep: (corpus: Corpus) => boolean): Corpus[] {
    const out: Corpus[] = []
    for (const row of this.afterStmt.iterate(after)) {
      const corpus = toCorpus(row)
      if (!keep(corpus)) continue
      out.push(corpus)
      if (out.length >= count) break
    }
    return out
  }

  delete(seq: number): boolean {
    return this.deleteStmt.run(seq).changes > 0
  }

  usage(seq: number): CorpusUsage {
    return this.usageStmt.get({ seq }) ?? { docs: 0, parts: 0, characters: 0 }
  }
}

function toCorpus(row: CorpusRow): Corpus {
  return {
    seq: row.seq,
    key: row.key,
    name: row.name,
    description: row.description,
    enabled: row.enabled === 1,
    saveHistory: row.save_history === 1,
    queriesAreAnswers: row.queries_are_answers === 1,
    documentsAreQuestions: row.documents_are_questions === 1,
    encoderName: row.encoder_name,
    filterAttributes: JSON.parse(row.filter_attributes) as FilterAttribute[],
    customDimensions: JSON.parse(row.custom_dimensions) as CustomDimension[],
    createdAt: row.created_at
  }
}
