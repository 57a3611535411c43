import { randomUUID } from 'node:crypto';

import type {
  PostMessageAccepted,
  PostMessageResponse,
  TranscriptResponse,
} from '@parley/contracts';
import { VaultOpener, generateVaultKeys, vaultContext } from '@parley/guard';
import {
  getJson,
  postMessage,
  query,
  seedDemoKnowledge,
  startApp,
  startSuite,
  testEnv,
  uniquePrefix,
  type RunningApp,
  type Suite,
} from '@parley/testing';

const user = () => `user-${randomUUID()}`;
const CARD = '4111 1111 1111 1111';
const PHONE = '+44 20 7123 4567';
const EMAIL = 'jane.doe@example.com';

interface VaultRow extends Record<string, unknown> {
  placeholder: string;
  pii_type: string;
  key_id: string;
  sealed: Buffer;
  assistant_id: string;
}

const vaultRows = (messageId: string) =>
  query<VaultRow>(
    'SELECT placeholder, pii_type, key_id, sealed, assistant_id FROM pii_vault WHERE message_id = $1 ORDER BY placeholder',
    [messageId],
  );

const storedText = async (messageId: string) =>
  (await query<{ text: string }>('SELECT text FROM messages WHERE id = $1', [messageId]))[0]?.text;

describe('PII in customer messages', () => {
  const keys = generateVaultKeys();
  let suite: Suite;

  beforeAll(async () => {
    await seedDemoKnowledge();
    suite = await startSuite({ label: 'pii', env: { PARLEY_VAULT_PUBLIC_KEY: keys.publicKey } });
  });

  afterAll(() => suite?.stop());

  it('stores and shows only masked text, and seals contact details for the tools', async () => {
    const res = await postMessage<PostMessageResponse>(suite.web.url, {
      userId: user(),
      text: `Please call me back on ${PHONE} or mail ${EMAIL} about my refund`,
    });
    expect(res.status).toBe(200);

    const transcript = await getJson<TranscriptResponse>(
      `${suite.web.url}/api/v1/conversations/${res.body.conversationId}/messages`,
    );
    const [customer] = transcript.body.messages;
    expect(customer!.text).toBe(
      'Please call me back on [PHONE_1] or mail [EMAIL_1] about my refund',
    );
    expect(await storedText(customer!.id)).toBe(customer!.text);

    const rows = await vaultRows(customer!.id);
    expect(rows.map((r) => [r.placeholder, r.pii_type])).toEqual([
      ['[EMAIL_1]', 'EMAIL'],
      ['[PHONE_1]', 'PHONE'],
    ]);
    const opener = new VaultOpener(keys.privateKey);
    for (const row of rows) {
      expect(row.sealed.toString('latin1')).not.toContain('7123');
      expect(row.key_id).toBe(opener.keyId);
    }
    const opened = rows.map((r) =>
      opener.open(r.sealed, vaultContext(r.assistant_id, customer!.id, r.placeholder)),
    );
    expect(opened).toEqual([EMAIL, PHONE]);
  });

  it('warns about a card number, never echoes it, and keeps no copy at all', async () => {
    const res = await postMessage<PostMessageResponse>(suite.web.url, {
      userId: user(),
      text: `My card is ${CARD}, how long does a refund take?`,
    });
    expect(res.status).toBe(200);
    const replies = res.body.replies.map((r) => r.text).join('\n');
    expect(replies).toMatch(/please don't share card numbers/i);
    expect(replies).toMatch(/5 to 10 business days/);
    expect(replies).not.toMatch(/4111|\[CARD_1\]/);

    const [row] = await query<{ id: string; text: string }>(
      `SELECT id, text FROM messages WHERE conversation_id = $1 AND role = 'user'`,
      [res.body.conversationId],
    );
    expect(row!.text).toBe('My card is [CARD_1], how long does a refund take?');
    expect(await vaultRows(row!.id)).toEqual([]);
    const anywhere = await query(`SELECT 1 FROM messages WHERE text LIKE '%1111 1111%'`);
    expect(anywhere).toEqual([]);
  });

  it('answers a message that is only a card number with the warning alone', async () => {
    const res = await postMessage<PostMessageResponse>(suite.web.url, {
      userId: user(),
      text: CARD,
    });
    expect(res.body.replies.map((r) => r.text)).toEqual([
      expect.stringMatching(/please don't share card numbers/i),
    ]);
  });
});

describe('PII without a vault key', () => {
  let web: RunningApp;

  beforeAll(async () => {
    web = await startApp('web', { ...testEnv(), PARLEY_QUEUE_PREFIX: uniquePrefix('pii-nokey') });
  });

  afterAll(() => web?.stop('SIGTERM'));

  it('masks, drops the originals, and says so at start-up', async () => {
    const res = await postMessage<PostMessageAccepted>(
      web.url,
      { userId: user(), text: `text me on ${PHONE}` },
      { wait: false },
    );
    expect(res.status).toBe(202);
    const [row] = await query<{ id: string; text: string }>(
      `SELECT id, text FROM messages WHERE conversation_id = $1`,
      [res.body.conversationId],
    );
    expect(row!.text).toBe('text me on [PHONE_1]');
    expect(await vaultRows(row!.id)).toEqual([]);
    expect(web.output()).toMatch(/PARLEY_VAULT_PUBLIC_KEY is not set/);
  });

  it('refuses to start with a malformed vault key, naming the setting', async () => {
    const bad = await startApp(
      'web',
      { ...testEnv(), PARLEY_VAULT_PUBLIC_KEY: 'not-a-key' },
      { waitReady: false },
    );
    await bad.exited;
    expect(bad.output()).toMatch(/PARLEY_VAULT_PUBLIC_KEY/);
    expect(bad.output()).not.toMatch(/at .*\.js:\d+/);
  });
});
