import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

import { PATHS } from '@parley/config';

import type { SlackPosted } from './fake-slack';

/** The app's bot user as the fake Slack names it (auth.test, the authorizations of events). */
export const SLACK_BOT_USER = 'UPARLEYBOT';

/** A Slack id with `prefix` (U user, D DM, C channel, Ev event), unique within the run. */
export const slackId = (prefix: string) =>
  `${prefix}${randomBytes(5).toString('hex').toUpperCase()}`;

let clock = Math.floor(Date.now() / 1000);
/** A Slack message ts: seconds and a sequence, unique within the run. */
export const slackTs = () =>
  `${(clock += 1)}.${String(Math.floor(Math.random() * 1e6)).padStart(6, '0')}`;

/** A sample payload from the webhook corpus, without its provenance note. */
export function webhookSample<T = Record<string, unknown>>(name: string): T {
  const { _provenance, ...rest } = JSON.parse(
    readFileSync(path.join(PATHS.datasets, 'webhooks/payloads', name), 'utf8'),
  ) as Record<string, unknown>;
  void _provenance;
  return rest as T;
}

export interface SlackEventOptions {
  type?: 'message' | 'app_mention';
  channelType?: 'im' | 'channel';
  ts?: string;
  threadTs?: string;
  eventId?: string;
  extra?: Record<string, unknown>;
}

/** An Events API callback built on Slack's documented sample, as this app's install receives it. */
export function slackEventCallback(
  user: string,
  channel: string,
  text: string,
  options: SlackEventOptions = {},
) {
  const sample = webhookSample('slack_event_callback_message.json');
  const { channel_type: _sampleType, ...sampleEvent } = sample.event as Record<string, unknown>;
  void _sampleType;
  const ts = options.ts ?? slackTs();
  const type = options.type ?? 'message';
  return {
    ...sample,
    event_id: options.eventId ?? slackId('Ev'),
    event: {
      ...sampleEvent,
      type,
      channel,
      // Slack names the channel type on message events only, not on app_mention.
      ...(type === 'message' ? { channel_type: options.channelType ?? 'im' } : {}),
      user,
      text,
      ts,
      event_ts: ts,
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
      ...options.extra,
    },
    authorizations: [
      {
        team_id: 'T123ABC456',
        user_id: SLACK_BOT_USER,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
  };
}

/** A block_actions payload as Slack posts it when `user` clicks a button on `message`. */
export function slackButtonClick(message: SlackPosted, user: string, actionId: string) {
  const button = message
    .blocks!.flatMap((b) => b.elements ?? [])
    .find((e) => e.action_id === actionId)!;
  return {
    type: 'block_actions',
    user: { id: user, username: 'customer', team_id: 'T123ABC456' },
    api_app_id: 'A123ABC456',
    team: { id: 'T123ABC456', domain: 'example' },
    container: {
      type: 'message',
      message_ts: message.ts,
      channel_id: message.channel,
      is_ephemeral: false,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    },
    trigger_id: '123.456.abc',
    channel: { id: message.channel, name: 'support' },
    message: {
      type: 'message',
      user: SLACK_BOT_USER,
      ts: message.ts,
      text: message.text,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
    },
    response_url: 'https://hooks.slack.com/actions/T123ABC456/1/abc',
    actions: [
      {
        action_id: actionId,
        block_id: 'quick_replies',
        text: { type: 'plain_text', text: button.text!.text, emoji: true },
        value: button.value,
        type: 'button',
        action_ts: `${Math.floor(Date.now() / 1000)}.123456`,
      },
    ],
  };
}

/** An interactivity request's body: the payload as the `payload` form field, as Slack posts it. */
export const slackInteractivityForm = (payload: unknown) =>
  new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
