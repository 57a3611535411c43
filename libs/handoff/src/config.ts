import { z } from 'zod';

import { positiveInt, secret } from '@parley/config';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

/**
 * Settings of the hand-over notifier, for the process that runs it to spread into its config.
 * Each target is on when its settings are given: Slack with a token and a channel, webhooks with
 * a URL and a secret.
 */
export const handoffConfigShape = {
  /** Bot token (xoxb-…) of the Slack app that posts new tickets to the support channel. */
  HANDOFF_SLACK_BOT_TOKEN: secret(z.string().min(1).optional()),
  /** The support team's Slack channel id (C…) that gets a message with a Claim button per ticket. */
  HANDOFF_SLACK_CHANNEL: z.string().min(1).optional(),
  /**
   * Signing secret of that Slack app: turns on `POST /console/slack/interactivity`, where the
   * Claim button's clicks arrive (404 while unset). Needs the bot token (`users:read.email`).
   */
  HANDOFF_SLACK_SIGNING_SECRET: secret(z.string().min(16, "the app's Signing Secret").optional()),
  /** Slack's Web API base URL (ends with a slash); changed only to point at a test server. */
  HANDOFF_SLACK_API_URL: httpUrl.default('https://slack.com/api/'),
  /** Help-desk endpoint (Zendesk, Freshdesk, your own) that receives signed ticket events. */
  HANDOFF_WEBHOOK_URL: httpUrl.optional(),
  /** Key of the webhooks' HMAC-SHA256 signature; the receiver checks it with the same key. */
  HANDOFF_WEBHOOK_SECRET: secret(z.string().min(16).optional()),
  /** Deadline of one webhook request. */
  HANDOFF_WEBHOOK_TIMEOUT_MS: positiveInt(10_000),
  /** Public URL of the console, for links to tickets (`<url>/tickets/<id>`). */
  CONSOLE_PUBLIC_URL: httpUrl.optional(),
} as const;

export const handoffConfigSchema = z
  .object(handoffConfigShape)
  .refine((c) => !c.HANDOFF_SLACK_BOT_TOKEN === !c.HANDOFF_SLACK_CHANNEL, {
    message: 'set both HANDOFF_SLACK_BOT_TOKEN and HANDOFF_SLACK_CHANNEL, or neither',
    path: ['HANDOFF_SLACK_CHANNEL'],
  })
  .refine((c) => !c.HANDOFF_SLACK_SIGNING_SECRET || !!c.HANDOFF_SLACK_BOT_TOKEN, {
    message: 'HANDOFF_SLACK_SIGNING_SECRET needs HANDOFF_SLACK_BOT_TOKEN to answer the clicks',
    path: ['HANDOFF_SLACK_BOT_TOKEN'],
  })
  .refine((c) => !c.HANDOFF_WEBHOOK_URL || !!c.HANDOFF_WEBHOOK_SECRET, {
    message: 'HANDOFF_WEBHOOK_URL needs HANDOFF_WEBHOOK_SECRET to sign the deliveries',
    path: ['HANDOFF_WEBHOOK_SECRET'],
  });

export type HandoffConfig = z.infer<typeof handoffConfigSchema>;

/** The link to a ticket in the console, when the console's URL is known. */
export function ticketUrl(consoleUrl: string | undefined, ticketId: string): string | null {
  return consoleUrl ? `${consoleUrl.replace(/\/+$/, '')}/tickets/${ticketId}` : null;
}
