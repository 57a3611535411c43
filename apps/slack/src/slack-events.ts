/**
 * Reading Slack's payloads (Events API callbacks, Block Kit button clicks) into customer
 * messages, or into the reason they are not one. Framework-free: the HTTP controller and the
 * Socket Mode client both hand their payloads here.
 */

/** A customer message read from Slack, before intake masks and stores it. */
export interface SlackMessage {
  /** The Slack user id. */
  userId: string;
  text: string;
  /** Slack's identity of the message, the dedupe key; the same for every retry and event type. */
  providerMessageId: string;
  /** The conversation's place in Slack; the sender reads it back (see threadKeyOf). */
  threadKey: string;
}

export type Reading = { kind: 'message'; message: SlackMessage } | { kind: 'ignored'; why: string };

interface SlackEvent {
  type?: string;
  subtype?: string;
  channel?: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
}

/** The Events API's envelope, as far as Parley reads it. */
export interface EventCallback {
  type?: string;
  event_id?: string;
  event?: SlackEvent;
  authorizations?: { user_id?: string; is_bot?: boolean }[];
}

/** Message subtypes that are a person writing; the rest (edits, joins, bots) are not turns. */
const CUSTOMER_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

/**
 * Where a conversation lives: a DM's top level is one conversation (`D…`, answered at the top
 * level), any thread is its own (`C…:ts`), and a mention at a channel's top level starts a thread
 * under itself, since a channel is not one customer's conversation.
 */
export function threadKeyOf(channel: string, isDm: boolean, ts: string, threadTs?: string): string {
  if (threadTs) return `${channel}:${threadTs}`;
  return isDm ? channel : `${channel}:${ts}`;
}

/** Where to post into a conversation: its channel and, unless a DM's top level, the thread. */
export function placeOf(threadKey: string): { channel: string; threadTs?: string } {
  const at = threadKey.indexOf(':');
  return at < 0
    ? { channel: threadKey }
    : { channel: threadKey.slice(0, at), threadTs: threadKey.slice(at + 1) };
}

/**
 * An Events API callback: direct messages (message.im) and mentions (app_mention) are customer
 * messages; anything a bot wrote (this app included), edits, deletions, joins and other channel
 * chatter are not. The dedupe key is the message's channel and ts, not the event_id: a retry
 * carries the same event_id, but a mention in a channel also arrives as a second event (message.*)
 * with an event_id of its own, and channel + ts names the message itself in both.
 */
export function readEventCallback(body: EventCallback): Reading {
  const event = body.event;
  if (!event) return ignored('callback without an event');
  if (event.type !== 'message' && event.type !== 'app_mention') {
    return ignored(`event ${event.type ?? '?'}`);
  }
  if (event.bot_id || event.subtype === 'bot_message') return ignored('written by a bot');
  if (!CUSTOMER_SUBTYPES.has(event.subtype)) return ignored(`message subtype ${event.subtype}`);
  const bots = (body.authorizations ?? []).filter((a) => a.is_bot).map((a) => a.user_id);
  if (event.user && bots.includes(event.user)) return ignored('written by this app');
  const isDm = event.channel_type === 'im';
  // Outside DMs only mentions are addressed to the assistant (app_mention covers them).
  if (event.type === 'message' && !isDm) return ignored('channel message without a mention');
  const { channel, user, ts } = event;
  if (!channel || !user || !ts) return ignored('message without channel, user or ts');
  const text = readableText(event.text ?? '');
  if (!text) return ignored('nothing but a mention');
  return {
    kind: 'message',
    message: {
      userId: user,
      text,
      providerMessageId: `${channel}:${ts}`,
      threadKey: threadKeyOf(channel, isDm, ts, event.thread_ts),
    },
  };
}

/** An interactivity payload of Block Kit actions, as far as Parley reads it. */
export interface BlockActions {
  type?: string;
  user?: { id?: string };
  channel?: { id?: string };
  container?: { channel_id?: string; message_ts?: string; thread_ts?: string };
  message?: { ts?: string; thread_ts?: string };
  actions?: { type?: string; value?: string; action_ts?: string; text?: { text?: string } }[];
}

/**
 * A click on one of the assistant's quick-reply buttons: the customer "says" the button's value
 * (its label) in the thread the buttons were posted in. A repeated click is a new message (a new
 * action_ts); the same click delivered twice is one (user + action_ts).
 */
export function readBlockActions(payload: BlockActions): Reading {
  const action = payload.actions?.[0];
  if (!action || action.type !== 'button') return ignored('not a button click');
  const userId = payload.user?.id;
  const channel = payload.channel?.id ?? payload.container?.channel_id;
  const ts = payload.message?.ts ?? payload.container?.message_ts;
  const text = (action.value ?? action.text?.text ?? '').trim();
  if (!userId || !channel || !ts || !action.action_ts || !text) {
    return ignored('button click without user, channel, message or value');
  }
  const threadTs = payload.message?.thread_ts ?? payload.container?.thread_ts;
  return {
    kind: 'message',
    message: {
      userId,
      text,
      providerMessageId: `action:${userId}:${action.action_ts}`,
      // Slack's DM channel ids start with D; the buttons sit where the conversation is.
      threadKey: threadKeyOf(channel, channel.startsWith('D'), ts, threadTs),
    },
  };
}

/**
 * Slack's text as a person reads it: user mentions (the app's, mostly) dropped, links shown as their label
 * (or address), and Slack's three escapes undone.
 */
export function readableText(text: string): string {
  return text
    .replace(/<@[UW][A-Z0-9]+(?:\|[^>]*)?>/g, '')
    .replace(/<(?:mailto:)?([^<>|]+)\|([^<>]+)>/g, '$2')
    .replace(/<(?:mailto:)?([^<>|!#@]+)>/g, '$1')
    .replace(/<!([a-z]+)(?:\|[^>]*)?>/g, '@$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}

function ignored(why: string): Reading {
  return { kind: 'ignored', why };
}
