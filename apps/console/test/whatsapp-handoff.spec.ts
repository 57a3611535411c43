import { randomInt } from 'node:crypto';

import {
  eventually,
  graphMessageText,
  postWhatsAppMessage,
  query,
  seedDemoKnowledge,
  signInToConsole,
  startApp,
  startFakeGraphApi,
  startFakeSlack,
  startSuite,
  startWebhookReceiver,
  whatsappChoiceMessage,
  whatsappTextMessage,
  type FakeGraphApi,
  type FakeSlack,
  type GraphMessage,
  type RunningApp,
  type Suite,
  type WebhookReceiver,
} from '@parley/testing';

const PHONE_NUMBER_ID = '106540352242922';
const ACCESS_TOKEN = 'graph-access-token-for-handoff';
const APP_SECRET = 'meta-app-secret-for-handoff';
const SLACK_TOKEN = 'xoxb-support-team-whatsapp-handoff';
const SUPPORT_CHANNEL = 'CSUPPORTWA';
const WEBHOOK_SECRET = 'help-desk-webhook-secret-whatsapp-0123';
const ADMIN_EMAIL = 'whatsapp-handoff-admin@example.com';
const PASSWORD = 'a long test password';

interface ListRow {
  id: string;
  title: string;
}
interface Interactive {
  type: 'button' | 'list';
  body: { text: string };
  action: {
    buttons?: { reply: ListRow }[];
    sections?: { rows: ListRow[] }[];
  };
}

/**
 * A hand-over from WhatsApp (Cloud API) through the whole suite: Meta's signed webhooks in, the
 * Graph API out. The customer asks for a person; the support channel and the help desk hear of
 * it; the bot falls silent; the agent's console reply reaches the phone in WhatsApp's markup;
 * resolving brings the rating question as a list of the five ratings, and a tap on one is stored.
 */
describe('hand-over over WhatsApp', () => {
  let suite: Suite;
  let graph: FakeGraphApi;
  let slack: FakeSlack;
  let helpDesk: WebhookReceiver;
  let whatsapp: RunningApp;
  let consoleApp: RunningApp;

  beforeAll(async () => {
    await seedDemoKnowledge();
    graph = await startFakeGraphApi(PHONE_NUMBER_ID, ACCESS_TOKEN);
    slack = await startFakeSlack(SLACK_TOKEN);
    helpDesk = await startWebhookReceiver(WEBHOOK_SECRET);
    suite = await startSuite({ label: 'whatsapp-handoff' });
    [whatsapp, consoleApp] = await Promise.all([
      startApp('whatsapp', {
        ...suite.env,
        WHATSAPP_MODE: 'cloud',
        WHATSAPP_VERIFY_TOKEN: 'verify-token-for-handoff',
        WHATSAPP_APP_SECRET: APP_SECRET,
        WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
        WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
        WHATSAPP_GRAPH_URL: graph.url,
      }),
      startApp('console', {
        ...suite.env,
        CONSOLE_COOKIE_SECURE: 'false',
        CONSOLE_ADMIN_EMAIL: ADMIN_EMAIL,
        CONSOLE_ADMIN_PASSWORD: PASSWORD,
        HANDOFF_SLACK_BOT_TOKEN: SLACK_TOKEN,
        HANDOFF_SLACK_CHANNEL: SUPPORT_CHANNEL,
        HANDOFF_SLACK_API_URL: slack.url,
        HANDOFF_WEBHOOK_URL: helpDesk.url,
        HANDOFF_WEBHOOK_SECRET: WEBHOOK_SECRET,
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([whatsapp?.stop(), consoleApp?.stop()]);
    await suite?.stop();
    await graph?.close();
    await slack?.close();
    await helpDesk?.close();
  });

  const send = (message: { from: string } & Record<string, unknown>) =>
    postWhatsAppMessage(`${whatsapp.url}/whatsapp/webhook`, APP_SECRET, PHONE_NUMBER_ID, message);
  const sentTo = (to: string, count: number) =>
    eventually(
      () => Promise.resolve(graph.sentTo(to).length >= count ? graph.sentTo(to) : undefined),
      15_000,
      `${count} WhatsApp messages to ${to}`,
    );
  const interactiveOf = (message: GraphMessage) => message.body.interactive as Interactive;

  it('hands a WhatsApp customer to an agent and back, with the rating asked and taken by a tap', async () => {
    const customer = `1650555${String(randomInt(0, 100_000)).padStart(5, '0')}`;
    expect((await send(whatsappTextMessage(customer, 'I want to talk to a human'))).status).toBe(
      200,
    );
    // The hand-over reply, then where they are in the queue.
    const [, queued] = await sentTo(customer, 2);
    expect(graphMessageText(queued!)).toMatch(/in line/);

    const ticket = await eventually(async () => {
      const [row] = await query<{
        id: string;
        status: string;
        reason: string;
        conversation_id: string;
      }>(
        `SELECT t.id, t.status, t.reason, t.conversation_id FROM handoff_tickets t
         JOIN conversations c ON c.id = t.conversation_id
         JOIN channel_identities i ON i.id = c.channel_identity_id
         WHERE i.channel = 'whatsapp' AND i.external_id = $1`,
        [customer],
      );
      return row;
    });
    expect(ticket).toMatchObject({ status: 'open', reason: 'customer asked for a person' });

    // The support team hears of it: a notice with a Claim button, and a signed help-desk webhook.
    const notice = await eventually(
      () =>
        Promise.resolve(
          slack.messages.find(
            (m) =>
              m.channel === SUPPORT_CHANNEL &&
              m.blocks?.some((b) => b.block_id === `ticket:${ticket.id}`),
          ),
        ),
      15_000,
      'the ticket notice in the support channel',
    );
    expect(notice.blocks!.flatMap((b) => b.elements ?? [])).toContainEqual(
      expect.objectContaining({ action_id: 'ticket.claim', value: ticket.id }),
    );
    const hook = await eventually(
      () =>
        Promise.resolve(
          helpDesk.received.find(
            (r) => (r.body.ticket as { id?: string } | undefined)?.id === ticket.id,
          ),
        ),
      15_000,
      'the help-desk webhook',
    );
    expect(hook.verified).toBe(true);
    expect(hook.body).toMatchObject({
      event: 'ticket.created',
      ticket: { channel: 'whatsapp', reason: 'customer asked for a person' },
    });

    // While a person has it the bot is silent, but the agent sees what the customer wrote.
    await send(whatsappTextMessage(customer, 'Hello? Is anyone there?'));
    await eventually(async () => {
      const rows = await query(
        `SELECT 1 FROM messages WHERE conversation_id = $1 AND role = 'user' AND turn_status = 'done'`,
        [ticket.conversation_id],
      );
      return rows.length >= 2 ? true : undefined;
    });
    expect(graph.sentTo(customer)).toHaveLength(2);
    // Nothing was even written to be sent after it: the silence does not depend on timing.
    const spoken = await query(
      `SELECT 1 FROM messages WHERE conversation_id = $1 AND role = 'assistant'
         AND seq > (SELECT max(seq) FROM messages WHERE conversation_id = $1 AND role = 'user')`,
      [ticket.conversation_id],
    );
    expect(spoken).toEqual([]);
    const agent = await signInToConsole(consoleApp.url, ADMIN_EMAIL, PASSWORD);
    const detail = await agent.call<{ messages: { role: string; text: string }[] }>(
      'GET',
      `/tickets/${ticket.id}`,
    );
    expect(detail.body.messages).toContainEqual(
      expect.objectContaining({ role: 'user', text: 'Hello? Is anyone there?' }),
    );

    // The agent's Markdown reaches the phone in WhatsApp's markup.
    expect((await agent.call('POST', `/tickets/${ticket.id}/claim`)).status).toBe(200);
    const reply = '**Order** #123 is on its way: [track it](https://track.example.com/123).';
    expect((await agent.call('POST', `/tickets/${ticket.id}/reply`, { text: reply })).status).toBe(
      201,
    );
    const [, , fromAgent] = await sentTo(customer, 3);
    expect(fromAgent!.type).toBe('text');
    expect(graphMessageText(fromAgent!)).toBe(
      '*Order* #123 is on its way: track it (https://track.example.com/123).',
    );

    // Resolved: five ratings are more than WhatsApp's 3 reply buttons, so they come as a list.
    expect((await agent.call('POST', `/tickets/${ticket.id}/resolve`)).status).toBe(200);
    const [, , , question] = await sentTo(customer, 4);
    expect(question!.type).toBe('interactive');
    const interactive = interactiveOf(question!);
    expect(interactive.body.text).toMatch(/How would you rate the help you got/);
    expect(interactive.type).toBe('list');
    const rows = interactive.action.sections!.flatMap((s) => s.rows);
    expect(rows.map((r) => r.title)).toEqual(['1', '2', '3', '4', '5']);
    await send(
      whatsappChoiceMessage(
        customer,
        'list_reply',
        rows.find((r) => r.title === '4')!,
      ),
    );
    const [, , , , thanks] = await sentTo(customer, 5);
    expect(graphMessageText(thanks!)).toMatch(/Thank you for rating us 4 out of 5/);
    const [conversation] = await query<{ status: string; csat: number }>(
      'SELECT status, csat FROM conversations WHERE id = $1',
      [ticket.conversation_id],
    );
    expect(conversation).toEqual({ status: 'bot', csat: 4 });
    const feedback = await query<{ rating: number }>(
      'SELECT rating FROM feedback WHERE conversation_id = $1',
      [ticket.conversation_id],
    );
    expect(feedback).toEqual([{ rating: 4 }]);

    // The bot is back: it answers the next question itself.
    await send(whatsappTextMessage(customer, 'How long does a refund take?'));
    const [, , , , , answer] = await sentTo(customer, 6);
    expect(graphMessageText(answer!)).toMatch(/5 to 10 business days/);
  });
});
