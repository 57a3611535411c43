import {
  SLACK_BOT_USER,
  eventually,
  postSlackWebhook,
  query,
  seedDemoKnowledge,
  botMessagesAfterLastCustomerMessage,
  customerTurnsDone,
  handoffTicketOf,
  ratingOf,
  signInToConsole,
  handoffConsoleEnv,
  ticketAnnouncements,
  slackButtonClick,
  slackEventCallback,
  slackId,
  slackInteractivityForm,
  slackTs,
  startApp,
  startFakeSlack,
  startSuite,
  startWebhookReceiver,
  type FakeSlack,
  type RunningApp,
  type SlackPosted,
  type TicketAnnouncers,
  type Suite,
  type WebhookReceiver,
} from '@parley/testing';

const BOT_TOKEN = 'xoxb-handoff-slack-test-token';
const SIGNING_SECRET = 'slack-handoff-signing-secret-0123';
/** The support team's channel, where new tickets are announced with a Claim button. */
const SUPPORT_CHANNEL = 'CSUPPORTTEAM';
const WEBHOOK_SECRET = 'help-desk-webhook-secret-0123456789';
const ADMIN_EMAIL = 'slack-handoff-admin@example.com';
const PASSWORD = 'a long test password';

/**
 * A hand-over from Slack through the whole suite: a customer in a channel thread asks for a
 * person; the support channel and the help desk hear of it; the bot falls silent; the agent's
 * console reply reaches the thread in Slack's mrkdwn; resolving brings the rating question as
 * Block Kit buttons, a click is the rating, and the bot answers again.
 */
describe('hand-over over Slack', () => {
  let suite: Suite;
  let slack: FakeSlack;
  let helpDesk: WebhookReceiver;
  /** Where the console announces new tickets: the support team's Slack channel and help desk. */
  let announcers: TicketAnnouncers;
  let slackApp: RunningApp;
  let consoleApp: RunningApp;

  beforeAll(async () => {
    await seedDemoKnowledge();
    // One Slack app serves the customers and posts to the support team's channel.
    slack = await startFakeSlack(BOT_TOKEN);
    helpDesk = await startWebhookReceiver(WEBHOOK_SECRET);
    announcers = {
      slack,
      slackToken: BOT_TOKEN,
      supportChannel: SUPPORT_CHANNEL,
      helpDesk,
      webhookSecret: WEBHOOK_SECRET,
    };
    suite = await startSuite({ label: 'slack-handoff' });
    [slackApp, consoleApp] = await Promise.all([
      startApp('slack', {
        ...suite.env,
        SLACK_BOT_TOKEN: BOT_TOKEN,
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.url,
        SLACK_SEND_RATE_PER_SECOND: '20',
      }),
      startApp('console', {
        ...suite.env,
        ...handoffConsoleEnv({ email: ADMIN_EMAIL, password: PASSWORD }, announcers),
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([slackApp?.stop(), consoleApp?.stop()]);
    await suite?.stop();
    await slack?.close();
    await helpDesk?.close();
  });

  /** The customer mentions the app in the thread under `threadTs`, signed as Slack signs it. */
  const mention = (user: string, channel: string, threadTs: string, text: string, ts = slackTs()) =>
    postSlackWebhook(
      `${slackApp.url}/slack/events`,
      SIGNING_SECRET,
      JSON.stringify(
        slackEventCallback(user, channel, `<@${SLACK_BOT_USER}> ${text}`, {
          type: 'app_mention',
          ts,
          ...(ts === threadTs ? {} : { threadTs }),
        }),
      ),
    );
  const inThread = (channel: string, threadTs: string) =>
    slack.messages.filter((m) => m.channel === channel && m.thread_ts === threadTs);
  const postsInThread = (channel: string, threadTs: string, count: number) =>
    eventually(
      () => {
        const posted = inThread(channel, threadTs);
        return Promise.resolve(posted.length >= count ? posted : undefined);
      },
      15_000,
      `${count} Slack messages in the thread`,
    );
  const buttonsOf = (message: SlackPosted) =>
    (message.blocks ?? []).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);

  it('hands a Slack customer to an agent and back, with the rating asked and taken by buttons', async () => {
    const customer = slackId('U');
    const channel = slackId('C');
    const threadTs = slackTs();
    expect(
      (await mention(customer, channel, threadTs, 'I want to talk to a human', threadTs)).status,
    ).toBe(200);
    // The hand-over reply, then where they are in the queue, in the customer's thread.
    const [, queued] = await postsInThread(channel, threadTs, 2);
    expect(queued!.text).toMatch(/in line/);

    const ticket = await handoffTicketOf('slack', customer);
    expect(ticket).toMatchObject({ status: 'open', reason: 'customer asked for a person' });

    // The support team hears of it: a notice with a Claim button, and a signed help-desk webhook.
    const { notice, hook } = await ticketAnnouncements(ticket.id, announcers);
    expect(buttonsOf(notice)).toEqual([
      expect.objectContaining({ action_id: 'ticket.claim', value: ticket.id }),
    ]);
    expect(hook.verified).toBe(true);
    expect(hook.body).toMatchObject({
      event: 'ticket.created',
      ticket: { channel: 'slack', reason: 'customer asked for a person' },
    });

    // While a person has it the bot is silent, but the agent sees what the customer wrote.
    await mention(customer, channel, threadTs, 'Hello? Is anyone there?');
    await customerTurnsDone(ticket.conversation_id, 2);
    expect(inThread(channel, threadTs)).toHaveLength(2);
    // Nothing was even written to be sent after it: the silence does not depend on timing.
    expect(await botMessagesAfterLastCustomerMessage(ticket.conversation_id)).toEqual([]);
    const agent = await signInToConsole(consoleApp.url, ADMIN_EMAIL, PASSWORD);
    expect(await agent.ticketMessages(ticket.id)).toContainEqual(
      expect.objectContaining({ role: 'user', text: 'Hello? Is anyone there?' }),
    );

    // The agent's Markdown reaches the thread as Slack mrkdwn.
    await agent.claim(ticket.id);
    const reply = '**Order** #123 is on its way: [track it](https://track.example.com/123).';
    await agent.reply(ticket.id, reply);
    const [, , fromAgent] = await postsInThread(channel, threadTs, 3);
    expect(fromAgent!.text).toBe(
      '*Order* #123 is on its way: <https://track.example.com/123|track it>.',
    );

    // A reply that is longer than one Slack message once escaped arrives split, in order.
    const sentence = 'Returns & exchanges are free within 30 days of delivery. ';
    const long = sentence.repeat(Math.floor(4_000 / sentence.length)).trim();
    expect(long.length).toBeLessThanOrEqual(4_000);
    await agent.reply(ticket.id, long);
    const afterLong = await eventually(async () => {
      const [row] = await query<{ delivery_status: string }>(
        `SELECT delivery_status FROM messages WHERE conversation_id = $1 AND role = 'agent'
         ORDER BY seq DESC LIMIT 1`,
        [ticket.conversation_id],
      );
      return row?.delivery_status === 'sent' ? inThread(channel, threadTs) : undefined;
    });
    const parts = afterLong.slice(3);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(4_000);
    expect(parts.map((p) => p.text).join(' ')).toBe(long.replace(/&/g, '&amp;'));

    // Resolved: the rating question comes as Block Kit buttons; a click on one is the rating.
    await agent.resolve(ticket.id);
    const question = await eventually(
      () => Promise.resolve(inThread(channel, threadTs).find((m) => buttonsOf(m).length > 0)),
      15_000,
      'the rating question',
    );
    expect(question.text).toMatch(/How would you rate the help you got/);
    const buttons = buttonsOf(question);
    expect(buttons.map((b) => b.value)).toEqual(['1', '2', '3', '4', '5']);
    const five = buttons.find((b) => b.value === '5')!;
    const clicked = await postSlackWebhook(
      `${slackApp.url}/slack/interactivity`,
      SIGNING_SECRET,
      slackInteractivityForm(slackButtonClick(question, customer, five.action_id!)),
      { contentType: 'application/x-www-form-urlencoded' },
    );
    expect(clicked.status).toBe(200);
    const thanks = await eventually(
      () =>
        Promise.resolve(
          inThread(channel, threadTs).find((m) =>
            /Thank you for rating us 5 out of 5/.test(m.text),
          ),
        ),
      15_000,
      'the thanks for the rating',
    );
    expect(thanks).toBeDefined();
    expect(await ratingOf(ticket.conversation_id)).toEqual({
      conversation: { status: 'bot', csat: 5 },
      feedback: [{ rating: 5 }],
    });

    // The bot is back: it answers the next question itself, in the thread.
    const answered = inThread(channel, threadTs).length;
    await mention(customer, channel, threadTs, 'How long does a refund take?');
    const [answer] = (await postsInThread(channel, threadTs, answered + 1)).slice(answered);
    expect(answer!.text).toMatch(/5 to 10 business days/);
  });
});
