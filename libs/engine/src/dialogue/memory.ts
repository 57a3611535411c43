import type { TurnContext } from '@parley/db';
import { PiiType, placeholdersIn } from '@parley/guard';

const NAME =
  /\b(?:[Mm]y name is|[Cc]all me|[Tt]his is|[Mm]ein [Nn]ame ist|[Ii]ch hei(?:ß|ss)e)\s+([A-Z][\p{L}'-]+(?:\s+[A-Z][\p{L}'-]+)?)/u;
const COMPANY =
  /\b(?:[Ii] work (?:at|for)|[Mm]y company is|[Ii]ch arbeite bei)\s+([A-Z][\p{L}&.'-]+(?:\s+[A-Z][\p{L}&.'-]+)*)/u;
const CHANNEL = /\b(?:prefer|rather)\b.*\b(email|e-mail|phone|sms|text message|whatsapp|slack)\b/i;

/** Facts worth remembering about the customer, from one (masked) message. */
export function factsIn(text: string, messageId: string): { key: string; value: string }[] {
  const facts: { key: string; value: string }[] = [];
  const name = NAME.exec(text);
  if (name) facts.push({ key: 'name', value: name[1]! });
  for (const p of placeholdersIn(text)) {
    // Contact details stay in the vault; the fact says where.
    if (p.type === PiiType.Email)
      facts.push({ key: 'email', value: `vault://${messageId}/${p.placeholder}` });
    if (p.type === PiiType.Phone)
      facts.push({ key: 'phone', value: `vault://${messageId}/${p.placeholder}` });
  }
  const company = COMPANY.exec(text);
  if (company) facts.push({ key: 'company', value: company[1]! });
  const channel = CHANNEL.exec(text);
  if (channel) {
    facts.push({
      key: 'preferred_channel',
      value: channel[1]!.toLowerCase().replace('e-mail', 'email'),
    });
  }
  return facts;
}

/** Lines kept in the rolling summary; older ones roll off. */
const SUMMARY_LINES = 10;

/**
 * The rolling summary: one line per thing the conversation dealt with (a task and its outcome, a
 * question answered from a document, a hand-over), newest last. It outlives the history window,
 * so the engine (and a model, later) knows what came before the recent messages; a repeat of
 * the previous line is not added twice.
 */
export function appendSummary(previous: string | null, line: string): string {
  const lines = previous ? previous.split('\n') : [];
  if (lines.at(-1) === line) return lines.join('\n');
  return [...lines, line].slice(-SUMMARY_LINES).join('\n');
}

/**
 * What a returning customer last talked about ("order status ORD-10482"), on the first message
 * of a new conversation only; null otherwise.
 */
export function previousTopic(context: TurnContext | undefined): string | null {
  if (!context?.previous || context.history.length > 0) return null;
  const last = context.previous.summary.split('\n').filter(Boolean).at(-1);
  return last ? last.replace(/:.*$/, '') : null;
}
