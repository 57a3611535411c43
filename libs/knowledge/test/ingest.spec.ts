import { randomUUID } from 'node:crypto';

import { AssistantRepository, Database, KnowledgeRepository } from '@parley/db';
import { query, testEnv } from '@parley/testing';

import { ingestDocument } from '../src';

const ENGLISH = `# Delivery

## Delivery times

Standard delivery within the United States takes three to five business days. Express delivery
takes one to two business days and costs eighteen dollars.`;

const GERMAN = `# Lieferung

## Lieferzeiten

Die Lieferung nach Deutschland dauert sieben bis vierzehn Werktage. Bestellungen werden von
Montag bis Freitag aus unserem Lager verschickt.`;

const FRENCH = `# Livraison

## Délais de livraison

La livraison en France prend entre sept et quatorze jours ouvrables. Les commandes partent de
notre entrepôt du lundi au vendredi.`;

describe(ingestDocument.name, () => {
  let db: Database;
  let repository: KnowledgeRepository;
  const assistantId = `kb-lang-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    db = new Database({ url: testEnv().DATABASE_URL, poolSize: 2 });
    repository = new KnowledgeRepository(db);
    await new AssistantRepository(db).ensure(assistantId, assistantId);
    for (const [source, content] of [
      ['delivery.md', ENGLISH],
      ['de/lieferung.md', GERMAN],
      ['fr/livraison.md', FRENCH],
    ] as const) {
      await ingestDocument(repository, { assistantId, source, format: 'markdown', content });
    }
  });

  afterAll(async () => {
    await query('DELETE FROM knowledge_documents WHERE assistant_id = $1', [assistantId]);
    await db?.close();
  });

  it('indexes each document in the language it is written in', async () => {
    const rows = await query<{ source: string; language: string }>(
      'SELECT source, language FROM knowledge_documents WHERE assistant_id = $1 ORDER BY source',
      [assistantId],
    );
    expect(rows).toEqual([
      { source: 'de/lieferung.md', language: 'german' },
      { source: 'delivery.md', language: 'english' },
      { source: 'fr/livraison.md', language: 'french' },
    ]);
  });

  it('uses the language it is told, for every chunk', async () => {
    const result = await ingestDocument(repository, {
      assistantId,
      source: 'notes.txt',
      format: 'text',
      content: 'Lieferungen dauern lange.',
      language: 'simple',
    });
    expect(result.language).toBe('simple');
    const [chunk] = await query<{ language: string }>(
      `SELECT c.language FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
       WHERE d.assistant_id = $1 AND d.source = 'notes.txt'`,
      [assistantId],
    );
    expect(chunk!.language).toBe('simple');
    await repository.removeDocument(assistantId, 'notes.txt');
  });

  it('finds a German document by German stems, whatever language is preferred', async () => {
    // "Lieferzeiten" and "Werktagen" match the document's "Lieferzeiten" and "Werktage" only
    // once both are stemmed as German.
    for (const preferred of ['german', 'english']) {
      const [hit] = await repository.search(
        assistantId,
        'Wie viele Werktagen brauchen Lieferungen?',
        preferred,
        1,
      );
      expect(hit).toMatchObject({ title: 'Lieferung', language: 'german' });
    }
  });

  it('answers an English question from the English document', async () => {
    const [hit] = await repository.search(
      assistantId,
      'How long does express delivery take?',
      'english',
      1,
    );
    expect(hit).toMatchObject({ title: 'Delivery', language: 'english' });
  });

  it("prefers the customer's language when two documents cover a question alike", async () => {
    await ingestDocument(repository, {
      assistantId,
      source: 'de/portland.md',
      format: 'markdown',
      content:
        '# Lager\n\nUnser Lager in Portland verschickt alle Bestellungen schnell und sorgfältig.',
    });
    await ingestDocument(repository, {
      assistantId,
      source: 'portland.md',
      format: 'markdown',
      content: '# Warehouse\n\nOur warehouse in Portland ships every order quickly and with care.',
    });
    const [german] = await repository.search(assistantId, 'Portland', 'german', 1);
    const [english] = await repository.search(assistantId, 'Portland', 'english', 1);
    expect(german!.title).toBe('Lager');
    expect(english!.title).toBe('Warehouse');
  });
});
