import { randomUUID } from 'node:crypto';

import type { Database } from '../database';

export interface ChunkInput {
  heading: string;
  content: string;
}

export interface DocumentInput {
  assistantId: string;
  source: string;
  title: string;
  format: string;
  /** A Postgres text search configuration: english, french, german, simple, … */
  language: string;
  contentHash: string;
  chunks: ChunkInput[];
}

export interface KnowledgeHit {
  chunkId: string;
  heading: string;
  content: string;
  title: string;
  source: string;
  /** The document's text search configuration (english, german, …). */
  language: string;
  rank: number;
  /** Share of the question's distinct terms that this chunk contains (0..1). */
  coverage: number;
}

export type UpsertOutcome = 'created' | 'updated' | 'unchanged';

/** Best-ranked chunks considered before ordering by coverage. */
const SEARCH_CANDIDATES = 10;
/** How much more of the question another language's document must cover to win. */
const PREFERRED_LANGUAGE_BONUS = 0.1;

export class KnowledgeRepository {
  constructor(private readonly db: Database) {}

  /** Creates or replaces a document and all its chunks in one transaction. */
  async upsertDocument(input: DocumentInput): Promise<UpsertOutcome> {
    const existing = await this.db.prisma.knowledgeDocument.findUnique({
      where: { assistantId_source: { assistantId: input.assistantId, source: input.source } },
      select: { id: true, contentHash: true },
    });
    if (existing?.contentHash === input.contentHash) return 'unchanged';
    await this.db.prisma.$transaction(async (tx) => {
      const document = await tx.knowledgeDocument.upsert({
        where: { assistantId_source: { assistantId: input.assistantId, source: input.source } },
        create: {
          assistantId: input.assistantId,
          source: input.source,
          title: input.title,
          format: input.format,
          language: input.language,
          contentHash: input.contentHash,
        },
        update: {
          title: input.title,
          format: input.format,
          language: input.language,
          contentHash: input.contentHash,
        },
        select: { id: true },
      });
      await tx.knowledgeChunk.deleteMany({ where: { documentId: document.id } });
      const chunks = input.chunks.map((chunk, ordinal) => ({
        id: randomUUID(),
        ordinal,
        ...chunk,
      }));
      // Headings weigh more than body text (A > B) when ranking.
      await tx.$executeRaw`
        INSERT INTO knowledge_chunks (id, assistant_id, document_id, ordinal, heading, content,
                                      language, search_vector)
        SELECT c.id, ${input.assistantId}, ${document.id}::uuid, c.ordinal, c.heading, c.content,
               ${input.language},
               setweight(to_tsvector(${input.language}::regconfig, c.heading), 'A') ||
               setweight(to_tsvector(${input.language}::regconfig, c.content), 'B')
        FROM jsonb_to_recordset(${JSON.stringify(chunks)}::jsonb)
          AS c(id uuid, ordinal int, heading text, content text)`;
      await bumpVersion(tx, input.assistantId);
    });
    return existing ? 'updated' : 'created';
  }

  /** Removes one document and its chunks; false when there was none. */
  async removeDocument(assistantId: string, source: string): Promise<boolean> {
    const count = await this.db.prisma.$transaction(async (tx) => {
      const removed = await tx.knowledgeDocument.deleteMany({ where: { assistantId, source } });
      if (removed.count > 0) await bumpVersion(tx, assistantId);
      return removed.count;
    });
    return count > 0;
  }

  /** Changes with every change to the assistant's documents (0 for an unknown assistant). */
  async version(assistantId: string): Promise<number> {
    const rows = await this.db.rows<{ knowledge_version: number }>(
      'knowledge.version',
      'SELECT knowledge_version FROM assistants WHERE id = $1',
      [assistantId],
    );
    return rows[0]?.knowledge_version ?? 0;
  }

  /** Whether Postgres has this text search configuration (english, german, simple, …). */
  async textSearchConfigExists(name: string): Promise<boolean> {
    const rows = await this.db.rows<{ found: boolean }>(
      'knowledge.ts-config-exists',
      'SELECT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = $1) AS found',
      [name],
    );
    return rows[0]?.found === true;
  }

  /** Removes documents of the assistant whose source is not in `keep` (a folder re-ingest). */
  async removeDocumentsExcept(assistantId: string, keep: string[]): Promise<number> {
    return this.db.prisma.$transaction(async (tx) => {
      const { count } = await tx.knowledgeDocument.deleteMany({
        where: { assistantId, source: { notIn: keep } },
      });
      if (count > 0) await bumpVersion(tx, assistantId);
      return count;
    });
  }

  /** One chunk with its document's title, for showing more of an answer already given. */
  async chunk(
    assistantId: string,
    chunkId: string,
  ): Promise<{ content: string; title: string; language: string } | null> {
    const row = await this.db.prisma.knowledgeChunk.findFirst({
      where: { id: chunkId, assistantId },
      select: { content: true, language: true, document: { select: { title: true } } },
    });
    return row ? { content: row.content, title: row.document.title, language: row.language } : null;
  }

  /** Titles of the assistant's documents, in one text search configuration when given. */
  async documentTitles(assistantId: string, language?: string): Promise<string[]> {
    const rows = await this.db.prisma.knowledgeDocument.findMany({
      where: { assistantId, ...(language ? { language } : {}) },
      orderBy: { title: 'asc' },
      select: { title: true },
    });
    return rows.map((row) => row.title);
  }

  /**
   * Full-text search that matches any of the question's terms (GIN index) and ranks candidates
   * by how many distinct terms they cover, then by ts_rank_cd, so callers can tell a strong match
   * from a weak one. The question is parsed once per language the assistant's documents are in,
   * and each chunk is matched by its own language's stems: a German question finds a German
   * document whatever language the customer was guessed to write in. On a near tie, a document in
   * `preferred` (a text search configuration) wins. Coverage is counted here, not in SQL:
   * per-term sub-queries cost more than the search itself.
   */
  async search(
    assistantId: string,
    question: string,
    preferred: string,
    limit: number,
  ): Promise<KnowledgeHit[]> {
    const rows = await this.db.rows<{
      id: string;
      heading: string;
      content: string;
      title: string;
      source: string;
      language: string;
      rank: number;
      terms: string[];
      chunk_terms: string[];
    }>(
      'knowledge.search',
      // MATERIALIZED: the question is parsed once per language the documents are in, not once
      // per document (the planner would push the term-count filter below the DISTINCT), and each
      // language's query is built once, not again for every chunk compared.
      `WITH langs AS MATERIALIZED (
         SELECT DISTINCT language FROM knowledge_documents WHERE assistant_id = $1),
       q AS MATERIALIZED (
         SELECT l.language, parsed.terms, to_tsquery('simple', array_to_string(
                  ARRAY(SELECT quote_literal(t) FROM unnest(parsed.terms) AS t), ' | ')) AS query
         FROM langs AS l,
              LATERAL (SELECT tsvector_to_array(to_tsvector(l.language::regconfig, $2)) AS terms)
                AS parsed
         WHERE cardinality(parsed.terms) > 0)
       SELECT c.id, c.heading, c.content, d.title, d.source, d.language,
              ts_rank_cd(c.search_vector, q.query)::float8 AS rank, q.terms,
              tsvector_to_array(c.search_vector) AS chunk_terms
       FROM q
       JOIN knowledge_chunks c ON c.language = q.language AND c.search_vector @@ q.query
       JOIN knowledge_documents d ON d.id = c.document_id
       WHERE c.assistant_id = $1
       ORDER BY rank DESC
       LIMIT $3`,
      [assistantId, question, SEARCH_CANDIDATES],
    );
    return rows
      .map((row) => {
        const present = new Set(row.chunk_terms);
        const covered = row.terms.filter((term) => present.has(term)).length;
        const hit: KnowledgeHit = {
          chunkId: row.id,
          heading: row.heading,
          content: row.content,
          title: row.title,
          source: row.source,
          language: row.language,
          rank: row.rank,
          coverage: row.terms.length > 0 ? covered / row.terms.length : 0,
        };
        const order = hit.coverage + (row.language === preferred ? PREFERRED_LANGUAGE_BONUS : 0);
        return { hit, order };
      })
      .sort((a, b) => b.order - a.order || b.hit.rank - a.hit.rank)
      .slice(0, limit)
      .map(({ hit }) => hit);
  }
}

type Transaction = Parameters<Parameters<Database['prisma']['$transaction']>[0]>[0];

/**
 * In the transaction that changes the documents: cached answers keyed on the old version go
 * stale. Knowledge may be ingested before anything else made the assistant's row.
 */
async function bumpVersion(tx: Transaction, assistantId: string): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO assistants (id, name, knowledge_version) VALUES (${assistantId}, ${assistantId}, 1)
    ON CONFLICT (id) DO UPDATE SET knowledge_version = assistants.knowledge_version + 1`;
}
