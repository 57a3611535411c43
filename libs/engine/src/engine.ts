import type { ChannelCapabilities, ChannelId } from '@parley/contracts';

export interface TurnInput {
  assistantId: string;
  conversationId: string;
  channel: ChannelId;
  capabilities: ChannelCapabilities;
  /** The customer's masked text. */
  text: string;
}

export interface EngineReply {
  replies: { text: string; quickReplies?: string[] }[];
  intent?: string;
  confidence?: number;
  /** Knowledge documents the answer came from, by title. */
  sources?: string[];
}

/** Produces the assistant's reply to one customer turn (built-in, or an LLM in a later issue). */
export interface Engine {
  readonly name: string;
  respond(input: TurnInput): Promise<EngineReply>;
}
