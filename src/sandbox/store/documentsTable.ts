import type { Database, Statement } from 'better-sqlite3'
import type { JsonObject } from '../http/fields'
import type { SqlFilter } from '../filter/compile'

export interface NewPart {
  text: string
  metadata: JsonObject
  context?: string
  customDimensions?: Record<string, number>
  tableId?: string
  imageId?: string
}

export interface NewDocument {
  corpusSeq: number
  id: string
  metadata: JsonObject
  tables?: unknown[]
  parts: NewPart[]
  createdAt: number
}

export interface StoredDocument {
  seq: number
  id: string
  metadata: JsonObject
  tables?: unknown[]
}

export interface StoredPart extends NewPart {
  ordinal: number
}

interface DocumentRow {
  seq: number
  id: string
  metadata: string
  tables: string | null
}

interface PartRow {
  ordinal: number
  text: string
  metadata: string
  context: string | null
  custom_dimensions: string | null
  table_id: string | null
  image_id: string | null
}

export class DocumentsTable {
  // Parts are the unit of search (one FTS row each). The FTS index reads its text from `parts`
  // (external content), and triggers keep it in step, including on cascading deletes.
  static readonly createSql = `
    CREATE TABLE documents (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      corpus_seq INTEGER NOT NULL REFERENCES corpora (seq) ON DELETE CASCADE,
      id TEXT NOT NULL,
      metadata TEXT NOT NULL DEFAULT '{}',
      tables TEXT,
      created_at INTEGER NOT NULL,
      UNIQUE (corpus_seq, id)
    ) STRICT;
    CREATE TABLE parts (
      id INTEGER PRIMARY KEY,
      doc_seq INTEGER NOT NULL REFERENCES documents (seq) ON DELETE CASCADE,
      corpus_seq INTEGER NOT NULL,
      ordinal INTEGER NOT NULL,
      text TEXT NOT NULL,
      metadata TEXT NOT NULL DEFAULT '{}',
      context TEXT,
      custom_dimensions TEXT,
      table_id TEXT,
      image_id TEXT
    ) STRICT;
    CREATE INDEX parts_by_doc ON parts (doc_seq, ordinal);
    CREATE INDEX parts_by_corpus ON parts (corpus_seq);
    CREATE VIRTUAL TABLE parts_fts USING fts5 (
      text, content = 'parts', content_rowid = 'id', tokenize = 'porter unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER parts_fts_insert AFTER INSERT ON parts BEGIN
      INSERT INTO parts_fts (rowid, text) VALUES (new.id, new.text);
    END;
    CREATE TRIGGER parts_fts_delete AFTER DELETE ON parts BEGIN
      INSERT INTO parts_fts (parts_fts, rowid, text) VALUES ('delete', old.id, old.text);
    END;`

  private readonly insertDocStmt: Statement<[number, string, string, string | null, number]>
  private readonly insertPartStmt: Statement<{
    doc_seq: number
    corpus_seq: number
    ordinal: number
    text: string
    metadata: string
    context: string | null
    custom_dimensions: string | null
    table_id: string | null
    image_id: string | null
  }>
  private readonly byIdStmt: Statement<[number, string], DocumentRow>
  private readonly partsStmt: Statement<[number], PartRow>
  private readonly partsRangeStmt: Statement<[number, number, number], PartRow>
  private readonly listStmt: Statement<[number, number, number], DocumentRow>
  private readonly deleteStmt: Statement<[number, string]>
  private readonly insertTx: (doc: NewDocument) => number
  private readonly insertAllTx: (docs: NewDocument[]) => void
  private readonly filteredListStatements = new Map<string, Statement<unknown[], DocumentRow>>()

  constructor(private readonly db: Database) {
    this.insertDocStmt = db.prepare(
      'INSERT INTO documents (corpus_seq, id, metadata, tables, created_at) VALUES (?, ?, ?, ?, ?)'
    )
    this.insertPartStmt = db.prepare(`
      INSERT INTO parts (doc_seq, corpus_seq, ordinal, text, metadata, context, custom_dimensions, table_id, image_id)
      VALUES (@doc_seq, @corpus_seq, @ordinal, @text, @metadata, @context, @custom_dimensions, @table_id, @image_id)`)
    this.byIdStmt = db.prepare(
      'SELECT seq, id, metadata, tables FROM documents WHERE corpus_seq = ? AND id = ?'
    )
    this.partsStmt = db.prepare(
      'SELECT ordinal, text, metadata, context, custom_dimensions, table_id, image_id FROM parts WHERE doc_seq = ? ORDER BY ordinal'
    )
    this.partsRangeStmt = db.prepare(`
      SELECT ordinal, text, metadata, context, custom_dimensions, table_id, image_id FROM parts
      WHERE doc_seq = ? AND ordinal BETWEEN ? AND ? ORDER BY ordinal`)
    this.listStmt = db.prepare(`
      SELECT seq, id, metadata, tables FROM documents
      WHERE corpus_seq = ? AND seq > ? ORDER BY seq LIMIT ?`)
    this.deleteStmt = db.prepare('DELETE FROM documents WHERE corpus_seq = ? AND id = ?')
    this.insertTx = db.transaction((doc: NewDocument) => this.insertOne(doc))
    this.insertAllTx = db.transaction((docs: NewDocument[]) => {
      for (const doc of docs) this.insertOne(doc)
    })
  }

  get database(): Database {
    return this.db
  }

  insert(doc: NewDocument): number {
    return this.insertTx(doc)
  }

  insertAll(docs: NewDocument[]): void {
    this.insertAllTx(docs)
  }

  byId(corpusSeq: number, id: string): StoredDocument | undefined {
    const row = this.byIdStmt.get(corpusSeq, id)
    return row && toDocument(row)
  }

  parts(docSeq: number): StoredPart[] {
    return this.partsStmt.all(docSeq).map(toPart)
  }

  /** Parts `from`..`to` (inclusive ordinals) of one document, for result context. */
  partsBetween(docSeq: number, from: number, to: number): StoredPart[] {
    return this.partsRangeStmt.all(docSeq, from, to).map(toPart)
  }

  /** `limit + 1` rows after the cursor; the extra row signals another page. */
  listAfter(corpusSeq: number, after: number, limit: number): StoredDocument[] {
    return this.listStmt.all(corpusSeq, after, limit + 1).map(toDocument)
  }

  /** Like `listAfter`, keeping documents that pass a compiled document-level filter. */
  listFilteredAfter(
    corpusSeq: number,
    after: number,
    limit: number,
    filter: SqlFilter
  ): StoredDocument[] {
    let statement = this.filteredListStatements.get(filter.sql)
    if (!statement) {
      statement = this.db.prepare<unknown[], DocumentRow>(`
        SELECT d.seq, d.id, d.metadata, d.tables FROM documents d
        WHERE d.corpus_seq = ? AND d.seq > ? AND ${filter.sql} ORDER BY d.seq LIMIT ?`)
      if (this.filteredListStatements.size > 100) this.filteredListStatements.clear()
      this.filteredListStatements.set(filter.sql, statement)
    }
    return statement.all(corpusSeq, after, ...filter.params, limit + 1).map(toDocument)
  }

  delete(corpusSeq: number, id: string): boolean {
    return this.deleteStmt.run(corpusSeq, id).changes > 0
  }

  private insertOne(doc: NewDocument): number {
    const seq = Number(
      this.insertDocStmt.run(
        doc.corpusSeq,
        doc.id,
        JSON.stringify(doc.metadata),
        doc.tables ? JSON.stringify(doc.tables) : null,
        doc.createdAt
      ).lastInsertRowid
    )
    doc.parts.forEach((part, ordinal) => {
      this.insertPartStmt.run({
        doc_seq: seq,
        corpus_seq: doc.corpusSeq,
        ordinal,
        text: part.text,
        metadata: JSON.stringify(part.metadata),
        context: part.context ?? null,
        custom_dimensions: part.customDimensions ? JSON.stringify(part.customDimensions) : null,
        table_id: part.tableId ?? null,
        image_id: part.imageId ?? null
      })
    })
    return seq
  }
}

function toDocument(row: DocumentRow): StoredDocument {
  return {
    seq: row.seq,
    id: row.id,
    metadata: JSON.parse(row.metadata) as JsonObject,
    ...(row.tables ? { tables: JSON.parse(row.tables) as unknown[] } : {})
  }
}

export function toPart(row: PartRow): StoredPart {
  return {
    ordinal: row.ordinal,
    text: row.text,
    metadata: JSON.parse(row.metadata) as JsonObject,
    ...(row.context !== null ? { context: row.context } : {}),
    ...(row.custom_dimensions !== null
      ? { customDimensions: JSON.parse(row.custom_dimensions) as Record<string, number> }
      : {}),
    ...(row.table_id !== null ? { tableId: row.table_id } : {}),
    ...(row.image_id !== null ? { imageId: row.image_id } : {})
  }
}
