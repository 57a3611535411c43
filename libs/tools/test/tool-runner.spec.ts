import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { loadAssistant, type AssistantDefinition } from '@parley/assistant';
import { PATHS } from '@parley/config';
import { Database, InboxRepository, PiiVaultRepository, ToolCallRepository } from '@parley/db';
import { startDemoShop, type DemoShop } from '@parley/demo-shop';
import { PiiIntake, VaultOpener, generateVaultKeys } from '@parley/guard';
import { query, testEnv } from '@parley/testing';

import { DEMO_CODE_TOOLS, ToolRunner, vaultReference } from '../src';

const TOKEN = 'shop-token-for-tests';

describe(ToolRunner.name, () => {
  let db: Database;
  let shop: DemoShop;
  let assistant: AssistantDefinition;
  const keys = generateVaultKeys();

  beforeAll(async () => {
    db = new Database({ url: testEnv().DATABASE_URL, poolSize: 2 });
    shop = await startDemoShop({ token: TOKEN });
    assistant = await loadAssistant(PATHS.demoAssistant);
  });

  afterAll(async () => {
    await shop?.close();
    await db?.close();
  });

  const runner = (overrides: { vault?: boolean; tools?: AssistantDefinition['tools'] } = {}) =>
    new ToolRunner({
      tools: overrides.tools ?? assistant.tools,
      settings: { config: { SHOP_API_URL: shop.url }, secret: { SHOP_API_TOKEN: TOKEN } },
      code: DEMO_CODE_TOOLS,
      ledger: new ToolCallRepository(db),
      actor: 'test',
      ...(overrides.vault === false
        ? {}
        : {
            vault: {
              repository: new PiiVaultRepository(db),
              opener: new VaultOpener(keys.privateKey),
            },
          }),
    });

  /** A stored message of a verified customer (tool calls belong to one), PII in it sealed. */
  async function message(text = 'hello') {
    const guarded = new PiiIntake({ vaultPublicKey: keys.publicKey, phoneRegions: ['US'] }).protect(
      'demo',
      text,
    );
    const result = await new InboxRepository(db).accept({
      assistantId: 'demo',
      channel: 'web',
      externalUserId: `tools-${randomUUID()}`,
      text: guarded.masked,
      messageId: guarded.messageId,
      vault: guarded.vault,
      providerMessageId: `msg:${randomUUID()}`,
      verified: true,
    });
    if (result.kind !== 'accepted') throw new Error(result.kind);
    const [conversation] = await query<{ customer_id: string }>(
      'SELECT customer_id FROM conversations WHERE id = $1',
      [result.conversationId],
    );
    return {
      ...result,
      assistantId: 'demo',
      customerId: conversation!.customer_id,
      masked: guarded.masked,
    };
  }

  it('calls an HTTP tool with the declared auth and maps the response', async () => {
    const m = await message();
    const result = await runner().run('get_order_status', { order_id: 'ORD-10482' }, m);
    // The response's status is mapped to `outcome`, and is a declared outcome.
    expect(result.outcome).toBe('shipped');
    expect(result.fields).toMatchObject({ status: 'shipped', carrier: 'UPS' });
    const request = shop.requests.at(-1)!;
    expect(request).toMatchObject({
      method: 'GET',
      path: '/orders/ORD-10482',
      customerId: m.customerId,
    });
  });

  it('maps declared HTTP statuses to outcomes', async () => {
    const m = await message();
    const result = await runner().run('get_order_status', { order_id: 'ORD-99999' }, m);
    expect(result.outcome).toBe('not_found');
  });

  it('fills result fields from the body of a declared outcome too', async () => {
    const m = await message();
    const result = await runner().run(
      'start_return',
      { order_id: 'ORD-30991', reason: 'too_small', window_days: 30 },
      m,
    );
    expect(result).toMatchObject({
      outcome: 'outside_window',
      fields: { days_since_delivery: 45 },
    });
  });

  it('acts once per turn: a replayed call returns the first result without calling again', async () => {
    const m = await message();
    const before = shop.requests.length;
    const first = await runner().run('cancel_order', { order_id: 'ORD-55120' }, m);
    const again = await runner().run('cancel_order', { order_id: 'ORD-55120' }, m);
    expect(first.outcome).toBe('success');
    expect(again.outcome).toBe('success');
    expect(shop.requests.length - before).toBe(1);
  });

  it('refuses invalid arguments without calling the API', async () => {
    const m = await message();
    const before = shop.requests.length;
    const result = await runner().run('get_order_status', { order_id: 'not an order' }, m);
    expect(result.outcome).toBe('failure');
    expect(result.error).toMatch(/invalid arguments: order_id/);
    expect(shop.requests.length).toBe(before);
  });

  /**
   * The demo's order-status tool pointed at a stand-in API served by `handler`, with `overrides`
   * to its declaration; the server lives for `use` only.
   */
  async function withOrderApi(
    handler: http.RequestListener,
    overrides: Partial<Extract<AssistantDefinition['tools'][string], { type: 'http' }>>,
    use: (tools: AssistantDefinition['tools']) => Promise<void>,
  ) {
    const api = http.createServer(handler);
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    try {
      const port = (api.address() as AddressInfo).port;
      await use({
        ...assistant.tools,
        get_order_status: {
          ...(assistant.tools.get_order_status as Extract<
            AssistantDefinition['tools'][string],
            { type: 'http' }
          >),
          url: `http://127.0.0.1:${port}/orders/{order_id}`,
          ...overrides,
        },
      });
    } finally {
      api.closeAllConnections();
      api.close();
    }
  }

  it('turns a timeout into a failure instead of hanging', async () => {
    await withOrderApi(
      () => undefined,
      { timeout_ms: 200 },
      async (tools) => {
        const m = await message();
        const result = await runner({ tools }).run(
          'get_order_status',
          { order_id: 'ORD-10482' },
          m,
        );
        expect(result).toMatchObject({ outcome: 'failure', error: 'timed out' });
      },
    );
  });

  it('masks personal data in a business API response before the engine sees it', async () => {
    const respond: http.RequestListener = (_, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(
        JSON.stringify({
          status: 'shipped',
          carrier: 'UPS',
          note: 'Delivery contact jane.doe@example.com, +1 415 555 2671',
        }),
      );
    };
    await withOrderApi(
      respond,
      { response: { outcome: '$.status', carrier: '$.carrier', note: '$.note' } },
      async (tools) => {
        const m = await message();
        const result = await runner({ tools }).run(
          'get_order_status',
          { order_id: 'ORD-10482' },
          m,
        );
        expect(result.outcome).toBe('shipped');
        expect(result.fields.note).toBe('Delivery contact j•••@example.com, •••• 2671');
        // The ledger keeps the masked form too.
        const [stored] = await query<{ result: { fields: { note: string } } }>(
          'SELECT result FROM tool_calls WHERE message_id = $1',
          [m.messageId],
        );
        expect(stored!.result.fields.note).not.toContain('jane.doe');
      },
    );
  });

  it('opens a vault reference for the call only, normalising phones, and audits the read', async () => {
    const m = await message('call me on (415) 555-0132 tomorrow');
    expect(m.masked).toBe('call me on [PHONE_1] tomorrow');
    const result = await runner().run(
      'schedule_callback',
      { phone: vaultReference(m.messageId, '[PHONE_1]'), time: '2030-01-07T10:00:00-08:00' },
      m,
    );
    expect(result.outcome).toBe('success');
    expect(shop.requests.at(-1)!.body).toMatchObject({ phone: '+14155550132' });
    const [stored] = await query<{ arguments: Record<string, string> }>(
      'SELECT arguments FROM tool_calls WHERE message_id = $1',
      [m.messageId],
    );
    expect(JSON.stringify(stored!.arguments)).not.toContain('555');
    const audit = await query<{ action: string; target_id: string }>(
      `SELECT action, target_id FROM audit_log WHERE target_id = $1`,
      [m.messageId],
    );
    expect(audit).toEqual([{ action: 'pii.read', target_id: m.messageId }]);
    // The call itself is audited with the masked arguments: the vault reference, not the number.
    const [called] = await query<{ details: { tool: string; arguments: { phone: string } } }>(
      `SELECT a.details FROM audit_log a JOIN tool_calls t ON t.id::text = a.target_id
       WHERE t.message_id = $1 AND a.action = 'tool.called'`,
      [m.messageId],
    );
    expect(called!.details).toMatchObject({
      tool: 'schedule_callback',
      arguments: { phone: vaultReference(m.messageId, '[PHONE_1]') },
    });
  });

  it('fails politely when a PII original is needed and the vault key is absent', async () => {
    const m = await message('my email is jane@example.com');
    const result = await runner({ vault: false }).run(
      'send_password_reset',
      { email: vaultReference(m.messageId, '[EMAIL_1]') },
      m,
    );
    expect(result.outcome).toBe('failure');
    expect(result.error).toMatch(/PARLEY_VAULT_PRIVATE_KEY/);
  });
});
