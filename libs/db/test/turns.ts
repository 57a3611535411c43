import { randomUUID } from 'node:crypto';

import type { ChannelId } from '@parley/contracts';

import {
  InboxRepository,
  TurnRepository,
  type CommitTurnInput,
  type Database,
  type PendingMessage,
} from '../src';

/**
 * A customer message accepted as a channel would, then read as its turn would: the first
 * pending message of its conversation. A new customer unless `externalUserId` is given.
 */
export async function pendingTurn(
  db: Database,
  assistantId: string,
  options: { channel?: ChannelId; text?: string; externalUserId?: string } = {},
): Promise<PendingMessage> {
  const accepted = await new InboxRepository(db).accept({
    assistantId,
    channel: options.channel ?? 'web',
    externalUserId: options.externalUserId ?? `customer-${randomUUID()}`,
    providerMessageId: randomUUID(),
    text: options.text ?? 'where is my parcel?',
    verified: false,
  });
  if (accepted.kind !== 'accepted') throw new Error(`expected accepted, got ${accepted.kind}`);
  const { messages } = await new TurnRepository(db).nextTurns(
    assistantId,
    accepted.conversationId,
    12,
  );
  return messages[0]!;
}

/** The commit of `message`'s turn answering it once; `more` adds to or replaces its parts. */
export function commitOf(
  message: PendingMessage,
  more: Partial<CommitTurnInput> = {},
): CommitTurnInput {
  return {
    message,
    replies: [{ text: `re: ${message.text}` }],
    engine: 'test',
    timings: { respond: 1 },
    latencyMs: 1,
    startedAt: new Date(),
    ...more,
  };
}
