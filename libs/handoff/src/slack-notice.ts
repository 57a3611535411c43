import { webApi } from '@slack/bolt';

import type { HandoffEvent } from '@parley/contracts';
import type { Ticket } from '@parley/db';

import { priorityName } from './priority';

/** The Claim button's action id; its value is the ticket id. The console's Slack side handles it. */
export const CLAIM_ACTION_ID = 'ticket.claim';

export interface SlackTarget {
  token: string;
  channel: string;
  apiUrl: string;
}

/** Posts ticket notices to the support team's Slack channel with Slack's official client. */
export class SlackTicketNotifier {
  private readonly client: webApi.WebClient;

  constructor(private readonly target: SlackTarget) {
    this.client = new webApi.WebClient(target.token, {
      slackApiUrl: target.apiUrl,
      // The job retries; the client's own retries would hold the worker for minutes.
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
    });
  }

  /** Posts the notice; returns `channel:ts`, where it is (to update it when claimed). */
  async post(ticket: Ticket, event: HandoffEvent, link: string | null): Promise<string> {
    const headline =
      event === 'ticket.created'
        ? `New hand-over ticket (${priorityName(ticket.priority)} priority)`
        : `Ticket still unclaimed after its SLA: now ${priorityName(ticket.priority)} priority (escalation ${ticket.escalations})`;
    const entities = Object.entries(ticket.entities)
      .map(([name, values]) => `${name}: ${values.join(', ')}`)
      .join(' · ');
    const lines = [
      `*${headline}*`,
      `*Reason:* ${ticket.reason}`,
      entities ? `*Details:* ${entities}` : '',
      ticket.summary ? `>${ticket.summary.slice(0, 1_500).replace(/\n/g, '\n>')}` : '',
      link ? `<${link}|Open the conversation>` : '',
    ].filter(Boolean);
    const result = await this.client.chat.postMessage({
      channel: this.target.channel,
      text: `${headline}: ${ticket.reason}`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: lines.join('\n').slice(0, 3_000) } },
        {
          type: 'actions',
          block_id: `ticket:${ticket.id}`,
          elements: [
            {
              type: 'button',
              action_id: CLAIM_ACTION_ID,
              value: ticket.id,
              style: 'primary',
              text: { type: 'plain_text', text: 'Claim' },
            },
          ],
        },
      ],
    });
    return `${result.channel ?? this.target.channel}:${result.ts ?? ''}`;
  }
}
