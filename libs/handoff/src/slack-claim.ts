import { webApi } from '@slack/bolt';
import { z } from 'zod';

import { CLAIM_ACTION_ID, type SlackTarget } from './slack-notice';

/** A click on a ticket notice's Claim button, as the console needs it. */
export interface ClaimClick {
  ticketId: string;
  /** The Slack user who clicked (U…). */
  slackUserId: string;
  /** Where the notice is, to update it; null when the payload does not say (use the ticket's ref). */
  channel: string | null;
  ts: string | null;
  /** The notice's blocks as the user saw them, kept (without the button) when it is updated. */
  blocks: SlackNoticeBlock[];
  /** Slack's per-click URL for an answer only the clicking user sees (valid 30 minutes). */
  responseUrl: string;
}

export type SlackNoticeBlock = Record<string, unknown> & { type: string };

const BlockActions = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string().min(1) }),
  response_url: z.url(),
  container: z.object({ channel_id: z.string().optional(), message_ts: z.string().optional() }),
  channel: z.object({ id: z.string() }).optional(),
  message: z
    .object({ ts: z.string().optional(), blocks: z.array(z.looseObject({ type: z.string() })) })
    .partial()
    .optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().optional() })),
});

/**
 * The Claim click in an interactivity payload (`block_actions` with `ticket.claim`, the ticket id
 * as its value); null for any other interaction, which the console ignores.
 */
export function claimClickOf(payload: unknown): ClaimClick | null {
  const parsed = BlockActions.safeParse(payload);
  if (!parsed.success) return null;
  const click = parsed.data;
  const action = click.actions.find((a) => a.action_id === CLAIM_ACTION_ID);
  if (!action?.value) return null;
  return {
    ticketId: action.value,
    slackUserId: click.user.id,
    channel: click.container.channel_id ?? click.channel?.id ?? null,
    ts: click.container.message_ts ?? click.message?.ts ?? null,
    blocks: click.message?.blocks ?? [],
    responseUrl: click.response_url,
  };
}

/** `channel:ts` as the notifier stores it in handoff_tickets.notification_ref. */
export function parseNotificationRef(ref: string | null): { channel: string; ts: string } | null {
  const at = ref?.lastIndexOf(':') ?? -1;
  if (!ref || at <= 0 || at === ref.length - 1) return null;
  return { channel: ref.slice(0, at), ts: ref.slice(at + 1) };
}

/** Slack's mrkdwn control characters, escaped as Slack documents. */
const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * What the console does in the support channel when a Claim button is clicked: looks up who
 * clicked (`users.info`, scope `users:read.email`), marks the notice claimed (`chat.update`,
 * scope `chat:write`) and answers the clicking user alone through the click's `response_url`.
 */
export class SlackClaimChannel {
  private readonly client: webApi.WebClient;

  constructor(target: Pick<SlackTarget, 'token' | 'apiUrl'>) {
    this.client = new webApi.WebClient(target.token, {
      slackApiUrl: target.apiUrl,
      // Slack expects the click answered within seconds; a retry loop would only be late.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
  }

  /** The clicking user's email (lower case), or null when Slack has none (bots, no scope). */
  async userEmail(slackUserId: string): Promise<string | null> {
    const result = await this.client.users.info({ user: slackUserId });
    const email = result.user?.profile?.email;
    return email ? email.toLowerCase() : null;
  }

  /** Rewrites the notice: its text kept, the Claim button replaced by who claimed it. */
  async markClaimed(
    where: { channel: string; ts: string },
    blocks: SlackNoticeBlock[],
    agentName: string,
  ): Promise<void> {
    const text = `Claimed by ${agentName}`;
    await this.client.chat.update({
      channel: where.channel,
      ts: where.ts,
      text,
      blocks: [
        ...blocks.filter((block) => block.type !== 'actions'),
        {
          type: 'context',
          elements: [
            { type: 'mrkdwn', text: `:white_check_mark: *Claimed by ${escapeMrkdwn(agentName)}*` },
          ],
        },
      ] as webApi.KnownBlock[],
    });
  }

  /** An answer only the clicking user sees; the notice itself is left as it is. */
  async tellUser(responseUrl: string, text: string): Promise<void> {
    const response = await fetch(responseUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ response_type: 'ephemeral', replace_original: false, text }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`Slack response_url answered ${response.status}`);
  }
}
