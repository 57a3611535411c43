import type { types } from '@slack/bolt';

import { splitText } from '@parley/guard';

/** Slack's advice for one message's `text`; longer replies become several messages. */
export const SLACK_MAX_TEXT = 4_000;
/** A section block's text limit. */
const SECTION_MAX = 3_000;
/** A button's label limit (plain_text). */
const BUTTON_LABEL_MAX = 75;
/** Elements one actions block may hold. */
const ACTIONS_MAX = 25;

/** One chat.postMessage's content: `text` always (notifications, screen readers), blocks with buttons. */
export interface SlackPost {
  text: string;
  blocks?: types.KnownBlock[];
}

/** Slack's three control characters, escaped as Slack asks, everywhere in text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const CODE = /```[\s\S]*?```|`[^`\n]+`/g;
const BOLD = '\u0001';

/**
 * The engine's light markdown as Slack mrkdwn: escaping first (so nothing a customer or document
 * wrote becomes a mention or a link), then **bold** → *bold*, *italic* → _italic_, ~~x~~ → ~x~,
 * [text](url) → <url|text>, headings as bold lines, `-` bullets as •. Code is left as written.
 */
export function toMrkdwn(markdown: string): string {
  const code: string[] = [];
  const held = escapeMrkdwn(markdown).replace(CODE, (span) => `\u0002${code.push(span) - 1}\u0002`);
  const rendered = held
    .replace(
      /!?\[([^\]\n]+)\]\(([^)\s]+)\)/g,
      (_m, label: string, url: string) => `<${url}|${label.replace(/\|/g, '/')}>`,
    )
    .replace(/^#{1,6}\s+(.+)$/gm, `${BOLD}$1${BOLD}`)
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, `${BOLD}$2${BOLD}`)
    .replace(/(^|[^\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])/g, '$1_$2_')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '~$1~')
    .replace(/^(\s*)[-*+]\s+/gm, '$1• ')
    .replace(new RegExp(BOLD, 'g'), '*');
  return rendered.replace(/\u0002(\d+)\u0002/g, (_m, i: string) => code[Number(i)] ?? '');
}

/**
 * Cuts light markdown into pieces whose mrkdwn fits `max`: at paragraph, sentence and word
 * boundaries, smaller where escaping lengthened a piece past the limit.
 */
export function splitForMrkdwn(markdown: string, max: number, budget = max): string[] {
  return splitText(markdown, budget).flatMap((piece) => {
    const length = toMrkdwn(piece).length;
    if (length <= max) return [piece];
    return splitForMrkdwn(piece, max, Math.floor((budget * max) / length) - 1);
  });
}

/**
 * One reply as the chat.postMessage calls that carry it, in order: text over 4,000 characters in
 * several messages, quick replies as buttons under the last (each button says its label back).
 */
export function renderReply(reply: { text: string; quickReplies?: string[] }): SlackPost[] {
  const pieces = splitForMrkdwn(reply.text, SLACK_MAX_TEXT);
  const posts: SlackPost[] = pieces.map((piece) => ({ text: toMrkdwn(piece) }));
  const choices = (reply.quickReplies ?? []).slice(0, ACTIONS_MAX);
  const last = posts.at(-1);
  if (!last || choices.length === 0) return posts;
  const sections = splitForMrkdwn(pieces.at(-1)!, SECTION_MAX).map((piece): types.KnownBlock => ({
    type: 'section',
    text: { type: 'mrkdwn', text: toMrkdwn(piece) },
  }));
  last.blocks = [
    ...(last.text.trim() ? sections : []),
    {
      type: 'actions',
      block_id: 'quick_replies',
      elements: choices.map((choice, i) => ({
        type: 'button',
        action_id: `quick_reply_${i}`,
        text: { type: 'plain_text', text: truncate(choice, BUTTON_LABEL_MAX), emoji: true },
        value: choice,
      })),
    },
  ];
  return posts;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
