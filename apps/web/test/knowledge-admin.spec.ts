import { randomUUID } from 'node:crypto';

import type { ApiError, PostMessageResponse } from '@parley/contracts';
import {
  postMessage,
  query,
  startApp,
  startSuite,
  testEnv,
  uniquePrefix,
  type Suite,
} from '@parley/testing';

const TOKEN = `admin-${randomUUID()}`;
const SOURCE = `uploads/gift-wrapping-${randomUUID()}.md`;

async function admin<T>(
  baseUrl: string,
  method: 'PUT' | 'DELETE',
  path: string,
  body?: unknown,
  token: string | null = TOKEN,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as T };
}

const ask = (suite: Suite, text: string) =>
  postMessage<PostMessageResponse>(suite.web.url, { userId: `u-${randomUUID()}`, text });

describe('knowledge admin API', () => {
  let suite: Suite;

  beforeAll(async () => {
    suite = await startSuite({ label: 'kb-admin', env: { PARLEY_ADMIN_TOKEN: TOKEN } });
  });

  afterAll(() => suite?.stop());

  it('ingests an uploaded document that the assistant then answers from, naming it', async () => {
    const put = await admin<{ outcome: string; title: string; chunks: number }>(
      suite.web.url,
      'PUT',
      '/api/v1/admin/knowledge/documents',
      {
        source: SOURCE,
        format: 'markdown',
        content:
          '# Gift wrapping\n\n## Wrapping options\n\nEvery order can be gift wrapped in recycled kraft paper for 4 dollars.',
      },
    );
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ outcome: 'created', title: 'Gift wrapping', chunks: 1 });

    const res = await ask(suite, 'Can my order be gift wrapped?');
    expect(res.body.replies[0]!.text).toMatch(/recycled kraft paper/);
    expect(res.body.replies[0]!.text).toMatch(/Source: Gift wrapping/);
  });

  it('replaces the old chunks when the same source is uploaded again', async () => {
    const put = await admin<{ outcome: string }>(
      suite.web.url,
      'PUT',
      '/api/v1/admin/knowledge/documents',
      {
        source: SOURCE,
        format: 'text',
        title: 'Gift wrapping',
        content: 'Gift wrapping uses reusable cotton cloth and costs 6 dollars per order.',
      },
    );
    expect(put.body.outcome).toBe('updated');
    const chunks = await query<{ content: string }>(
      `SELECT c.content FROM knowledge_chunks c JOIN knowledge_documents d ON d.id = c.document_id
       WHERE d.source = $1`,
      [SOURCE],
    );
    expect(chunks.map((c) => c.content)).toEqual([
      'Gift wrapping uses reusable cotton cloth and costs 6 dollars per order.',
    ]);
    const res = await ask(suite, 'How much does gift wrapping cost?');
    expect(res.body.replies[0]!.text).toMatch(/cotton cloth/);
    expect(res.body.replies[0]!.text).not.toMatch(/kraft/);
  });

  it('deletes a document, after which the assistant no longer knows it', async () => {
    const removed = await admin(
      suite.web.url,
      'DELETE',
      `/api/v1/admin/knowledge/documents?source=${encodeURIComponent(SOURCE)}`,
    );
    expect(removed.status).toBe(200);
    const again = await admin<ApiError>(
      suite.web.url,
      'DELETE',
      `/api/v1/admin/knowledge/documents?source=${encodeURIComponent(SOURCE)}`,
    );
    expect(again.status).toBe(404);
    const res = await ask(suite, 'How much does gift wrapping cost?');
    expect(res.body.replies[0]!.text).not.toMatch(/cotton cloth/);
  });

  it('refuses a missing or wrong token, and bad documents, storing nothing', async () => {
    const doc = { source: 'x.md', format: 'markdown', content: '# X\n\nx' };
    const none = await admin<ApiError>(
      suite.web.url,
      'PUT',
      '/api/v1/admin/knowledge/documents',
      doc,
      null,
    );
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('unauthorized');
    const wrong = await admin<ApiError>(
      suite.web.url,
      'PUT',
      '/api/v1/admin/knowledge/documents',
      doc,
      `${TOKEN}x`,
    );
    expect(wrong.status).toBe(401);

    const badFormat = await admin<ApiError>(
      suite.web.url,
      'PUT',
      '/api/v1/admin/knowledge/documents',
      { ...doc, format: 'pdf' },
    );
    expect(badFormat.status).toBe(400);
    expect(badFormat.body.error.message).toMatch(/format/);
    const badLanguage = await admin<ApiError>(
      suite.web.url,
      'PUT',
      '/api/v1/admin/knowledge/documents',
      { ...doc, language: 'klingon' },
    );
    expect(badLanguage.status).toBe(400);
    expect(badLanguage.body.error.message).toMatch(/klingon/);
    expect(await query(`SELECT 1 FROM knowledge_documents WHERE source = 'x.md'`)).toEqual([]);
  });

  it('is off, with a clear error, when no admin token is configured', async () => {
    const web = await startApp('web', {
      ...testEnv(),
      PARLEY_QUEUE_PREFIX: uniquePrefix('kb-off'),
    });
    try {
      const res = await admin<ApiError>(
        web.url,
        'PUT',
        '/api/v1/admin/knowledge/documents',
        {},
        'anything',
      );
      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(/PARLEY_ADMIN_TOKEN/);
    } finally {
      await web.stop('SIGTERM');
    }
  });
});
