import { randomInt } from 'node:crypto';

import {
  eventually,
  graphMessageText,
  postWhatsAppMessage,
  seedDemoKnowledge,
  botMessagesAfterLastCustomerMessage,
  customerTurnsDone,
  handoffTicketOf,
  ratingOf,
  signInToConsole,
  handoffConsoleEnv,
  ticketAnnouncements,
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
  type TicketAnnouncers,
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
  /** Where the console announces new tickets: the support team's Slack channel and help desk. */
  let announcers: TicketAnnouncers;
  let whatsapp: RunningApp;
  let consoleApp: RunningApp;

  beforeAll(async () => {
    await seedDemoKnowledge();
    graph = await startFakeGraphApi(PHONE_NUMBER_ID, ACCESS_TOKEN);
    slack = await startFakeSlack(SLACK_TOKEN);
    helpDesk = await startWebhookReceiver(WEBHOOK_SECRET);
    announcers = {
      slack,
      slackToken: SLACK_TOKEN,
      supportChannel: SUPPORT_CHANNEL,
      helpDesk,
      webhookSecret: WEBHOOK_SECRET,
    };
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
        ...handoffConsoleEnv({ email: ADMIN_EMAIL, password: PASSWORD }, announcers),
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

    const ticket = await handoffTicketOf('whatsapp', customer);
    expect(ticket).toMatchObject({ status: 'open', reason: 'customer asked for a person' });

    // The support team hears of it: a notice with a Claim button, and a signed help-desk webhook.
    const { notice, hook } = await ticketAnnouncements(ticket.id, announcers);
    expect(notice.blocks!.flatMap((b) => b.elements ?? [])).toContainEqual(
      expect.objectContaining({ action_id: 'ticket.claim', value: ticket.id }),
    );
    expect(hook.verified).toBe(true);
    expect(hook.body).toMatchObject({
      event: 'ticket.created',
      ticket: { channel: 'whatsapp', reason: 'customer asked for a person' },
    });

    // While a person has it the bot is silent, but the agent sees what the customer wrote.
    await send(whatsappTextMessage(customer, 'Hello? Is anyone there?'));
    await customerTurnsDone(ticket.conversation_id, 2);
    expect(graph.sentTo(customer)).toHaveLength(2);
    // Nothing was even written to be sent after it: the silence does not depend on timing.
    expect(await botMessagesAfterLastCustomerMessage(ticket.conversation_id)).toEqual([]);
    const agent = await signInToConsole(consoleApp.url, ADMIN_EMAIL, PASSWORD);
    expect(await agent.ticketMessages(ticket.id)).toContainEqual(
      expect.objectContaining({ role: 'user', text: 'Hello? Is anyone there?' }),
    );

    // The agent's Markdown reaches the phone in WhatsApp's markup.
    await agent.claim(ticket.id);
    const reply = '**Order** #123 is on its way: [track it](https://track.example.com/123).';
    await agent.reply(ticket.id, reply);
    const [, , fromAgent] = await sentTo(customer, 3);
    expect(fromAgent!.type).toBe('text');
    expect(graphMessageText(fromAgent!)).toBe(
      '*Order* #123 is on its way: track it (https://track.example.com/123).',
    );

    // Resolved: five ratings are more than WhatsApp's 3 reply buttons, so they come as a list.
    await agent.resolve(ticket.id);
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
    expect(await ratingOf(ticket.conversation_id)).toEqual({
      conversation: { status: 'bot', csat: 4 },
      feedback: [{ rating: 4 }],
    });

    // The bot is back: it answers the next question itself.
    await send(whatsappTextMessage(customer, 'How long does a refund take?'));
    const [, , , , , answer] = await sentTo(customer, 6);
    expect(graphMessageText(answer!)).toMatch(/5 to 10 business days/);
  });
});
