import { PiiType, placeholdersIn } from '@parley/guard';

import type { Engine, EngineReply, TurnInput } from './engine';

/** What never needs to be typed into a chat, so the customer is told to stop. */
const NEEDLESS: ReadonlySet<PiiType> = new Set([PiiType.CreditCard, PiiType.UsSsn]);

export const CARD_WARNING =
  "For your security, please don't share card numbers or social security numbers in this chat. " +
  "I've hidden what you sent and it is not stored. I never need them to help you.";

/**
 * Warns a customer who typed a card number or SSN (already masked by the input guard) before the
 * inner engine answers the rest of the message; never echoes what was sent.
 */
export class CardWarningEngine implements Engine {
  constructor(private readonly inner: Engine) {}

  get name(): string {
    return this.inner.name;
  }

  async respond(input: TurnInput): Promise<EngineReply> {
    const found = placeholdersIn(input.text);
    if (!found.some((p) => NEEDLESS.has(p.type))) return this.inner.respond(input);
    const rest = found
      .filter((p) => NEEDLESS.has(p.type))
      .reduce((text, p) => text.split(p.placeholder).join(' '), input.text);
    // Nothing left to answer but the number itself ("4111 1111 1111 1111", "my card: …").
    if (rest.replace(/\b(my|card|number|is|ssn|here|it'?s)\b|[^\p{L}\p{N}]/giu, '').length < 3) {
      return {
        replies: [{ text: CARD_WARNING }],
        intent: 'guard.sensitive_data',
        confidence: 1,
        guards: ['sensitive_data'],
      };
    }
    const answer = await this.inner.respond({ ...input, text: rest.replace(/\s+/g, ' ').trim() });
    return {
      ...answer,
      replies: [{ text: CARD_WARNING }, ...answer.replies],
      guards: ['sensitive_data', ...(answer.guards ?? [])],
    };
  }
}
