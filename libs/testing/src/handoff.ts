import { query } from './db';
import type { FakeSlack, SlackPosted } from './fakes';
import { eventually } from './processes';
import type { ReceivedWebhook, WebhookReceiver } from './webhook-receiver';

/** A hand-over ticket as the end-to-end tests read it. */
export interface HandoffTicketRow {
  id: string;
  status: string;
  reason: string;
  conversation_id: string;
}

/** Where the console announces new tickets: a Slack support channel and a help desk's webhook. */
export interface TicketAnnouncers {
  slack: FakeSlack;
  slackToken: string;
  supportChannel: string;
  helpDesk: WebhookReceiver;
  webhookSecret: string;
}

/** The console's settings: a first admin who signs in over HTTP, and tickets announced to `announcers`. */
export const handoffConsoleEnv = (
  admin: { email: string; password: string },
  announcers: TicketAnnouncers,
): Record<string, string> => ({
  CONSOLE_COOKIE_SECURE: 'false',
  CONSOLE_ADMIN_EMAIL: admin.email,
  CONSOLE_ADMIN_PASSWORD: admin.password,
  HANDOFF_SLACK_BOT_TOKEN: announcers.slackToken,
  HANDOFF_SLACK_CHANNEL: announcers.supportChannel,
  HANDOFF_SLACK_API_URL: announcers.slack.url,
  HANDOFF_WEBHOOK_URL: announcers.helpDesk.url,
  HANDOFF_WEBHOOK_SECRET: announcers.webhookSecret,
});

/** The hand-over ticket of the customer known on `channel` as `externalId`, once it is open. */
export function handoffTicketOf(channel: string, externalId: string): Promise<HandoffTicketRow> {
  return eventually(async () => {
    const [row] = await query<{ [K in keyof HandoffTicketRow]: string }>(
      `SELECT t.id, t.status, t.reason, t.conversation_id FROM handoff_tickets t
       JOIN conversations c ON c.id = t.conversation_id
       JOIN channel_identities i ON i.id = c.channel_identity_id
       WHERE i.channel = $1 AND i.external_id = $2`,
      [channel, externalId],
    );
    return row;
  });
}

/** What the support team received for the ticket: the Slack notice and the help-desk webhook. */
export async function ticketAnnouncements(
  ticketId: string,
  announcers: TicketAnnouncers,
): Promise<{ notice: SlackPosted; hook: ReceivedWebhook }> {
  const notice = await eventually(
    () =>
      Promise.resolve(
        announcers.slack.messages.find(
          (m) =>
            m.channel === announcers.supportChannel &&
            m.blocks?.some((b) => b.block_id === `ticket:${ticketId}`),
        ),
      ),
    15_000,
    'the ticket notice in the support channel',
  );
  const hook = await eventually(
    () =>
      Promise.resolve(
        announcers.helpDesk.received.find(
          (r) => (r.body.ticket as { id?: string } | undefined)?.id === ticketId,
        ),
      ),
    15_000,
    'the help-desk webhook',
  );
  return { notice, hook };
}

/** Resolves once `count` of the customer's messages in the conversation have had their turn. */
export async function customerTurnsDone(conversationId: string, count: number): Promise<void> {
  await eventually(
    async () => {
      const rows = await query(
        `SELECT 1 FROM messages WHERE conversation_id = $1 AND role = 'user' AND turn_status = 'done'`,
        [conversationId],
      );
      return rows.length >= count ? true : undefined;
    },
    15_000,
    `${count} customer turns done`,
  );
}

/** The bot's messages written after the customer's last one: none while a person has it. */
export function botMessagesAfterLastCustomerMessage(conversationId: string) {
  return query(
    `SELECT seq, text FROM messages WHERE conversation_id = $1 AND role = 'assistant'
       AND seq > (SELECT max(seq) FROM messages WHERE conversation_id = $1 AND role = 'user')`,
    [conversationId],
  );
}

/** The conversation's status and CSAT, and the ratings stored as feedback. */
export async function ratingOf(conversationId: string) {
  const [conversation] = await query<{ status: string; csat: number | null }>(
    'SELECT status, csat FROM conversations WHERE id = $1',
    [conversationId],
  );
  const feedback = await query<{ rating: number }>(
    'SELECT rating FROM feedback WHERE conversation_id = $1',
    [conversationId],
  );
  return { conversation, feedback };
}
