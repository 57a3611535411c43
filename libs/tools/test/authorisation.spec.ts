import { randomUUID } from 'node:crypto';

import { loadAssistant, type AssistantDefinition } from '@parley/assistant';
import { PATHS } from '@parley/config';
import { Database, InboxRepository, ToolCallRepository } from '@parley/db';
import { startDemoShop, type DemoShop } from '@parley/demo-shop';
import { query, testEnv } from '@parley/testing';

import { DEMO_CODE_TOOLS, FORBIDDEN, IDENTITY_REQUIRED, ToolRunner } from '../src';

const TOKEN = 'shop-token-for-tests';

type AuditRow = {
  action: string;
  details: { tool: string; outcome: string; reason?: string; arguments: Record<string, unknown> };
};

describe('tool authorisation', () => {
  let db: Database;
  let shop: DemoShop;
  let assistant: AssistantDefinition;
  let runner: ToolRunner;

  beforeAll(async () => {
    db = new Database({ url: testEnv().DATABASE_URL, poolSize: 2 });
    shop = await startDemoShop({ token: TOKEN });
    assistant = await loadAssistant(PATHS.demoAssistant);
    runner = new ToolRunner({
      tools: assistant.tools,
      settings: { config: { SHOP_API_URL: shop.url }, secret: { SHOP_API_TOKEN: TOKEN } },
      code: DEMO_CODE_TOOLS,
      ledger: new ToolCallRepository(db),
      actor: 'test',
    });
  });

  afterAll(async () => {
    await shop?.close();
    await db?.close();
  });

  /** A web customer's stored message: verified (signed userHash) or an anonymous visitor. */
  async function customer(verified: boolean) {
    const result = await new InboxRepository(db).accept({
      assistantId: 'demo',
      channel: 'web',
      externalUserId: `auth-${randomUUID()}`,
      text: 'hello',
      messageId: randomUUID(),
      providerMessageId: `msg:${randomUUID()}`,
      verified,
    });
    if (result.kind !== 'accepted') throw new Error(result.kind);
    const [row] = await query<{ customer_id: string }>(
      'SELECT customer_id FROM conversations WHERE id = $1',
      [result.conversationId],
    );
    return { ...result, assistantId: 'demo', customerId: row!.customer_id };
  }

  const auditOf = (messageId: string) =>
    query<AuditRow>(
      `SELECT a.action, a.details FROM audit_log a JOIN tool_calls t ON t.id::text = a.target_id
       WHERE t.message_id = $1`,
      [messageId],
    );
  const shopCallsFor = (customerId: string) =>
    shop.requests.filter((r) => r.customerId === customerId).length;

  it("refuses an unverified visitor a tool on a customer's account, without calling the API", async () => {
    const visitor = await customer(false);
    const result = await runner.run('get_order_status', { order_id: 'ORD-10482' }, visitor);
    expect(result).toMatchObject({ outcome: IDENTITY_REQUIRED, fields: {} });
    expect(shopCallsFor(visitor.customerId)).toBe(0);
    expect(await auditOf(visitor.messageId)).toEqual([
      {
        action: 'tool.refused',
        details: expect.objectContaining({
          tool: 'get_order_status',
          outcome: IDENTITY_REQUIRED,
          reason: 'the customer is not verified',
          arguments: { order_id: 'ORD-10482' },
        }) as unknown,
      },
    ]);
  });

  it('lets an unverified visitor use a public tool', async () => {
    const visitor = await customer(false);
    const email = `locked-out-${randomUUID()}@example.com`;
    const result = await runner.run('send_password_reset', { email }, visitor);
    expect(result.outcome).toBe('success');
    expect(
      shop.requests.filter((r) => (r.body as { email?: string }).email === email),
    ).toHaveLength(1);
  });

  it("refuses a call made in a conversation's name for someone else", async () => {
    const verified = await customer(true);
    const other = await customer(true);
    const result = await runner.run(
      'get_order_status',
      { order_id: 'ORD-10482' },
      { ...verified, customerId: other.customerId },
    );
    expect(result.outcome).toBe(FORBIDDEN);
    expect(shopCallsFor(other.customerId) + shopCallsFor(verified.customerId)).toBe(0);
    const [audit] = await auditOf(verified.messageId);
    expect(audit).toMatchObject({
      action: 'tool.refused',
      details: { reason: "not the conversation's customer" },
    });
  });

  it("refuses and audits a verified customer asking for another customer's order", async () => {
    const verified = await customer(true);
    const result = await runner.run('get_order_status', { order_id: 'ORD-77001' }, verified);
    // The shop answered 403: nothing of the other order reaches the engine.
    expect(result).toMatchObject({ outcome: FORBIDDEN });
    expect(Object.values(result.fields).every((v) => v === undefined)).toBe(true);
    const [audit] = await auditOf(verified.messageId);
    expect(audit).toMatchObject({
      action: 'tool.refused',
      details: {
        tool: 'get_order_status',
        outcome: FORBIDDEN,
        arguments: { order_id: 'ORD-77001' },
      },
    });
  });

  it('audits an allowed call as called, with its outcome', async () => {
    const verified = await customer(true);
    const result = await runner.run('get_order_status', { order_id: 'ORD-10482' }, verified);
    expect(result.outcome).toBe('shipped');
    const [audit] = await auditOf(verified.messageId);
    expect(audit).toMatchObject({
      action: 'tool.called',
      details: { tool: 'get_order_status', outcome: 'shipped' },
    });
  });
});
