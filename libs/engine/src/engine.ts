import type { ChannelCapabilities, ChannelId, ConversationStatus } from '@parley/contracts';
import type { TurnContext } from '@parley/db';

export interface TurnInput {
  assistantId: string;
  conversationId: string;
  channel: ChannelId;
  capabilities: ChannelCapabilities;
  /** The customer's masked text. */
  text: string;
  /** The customer's language (ISO 639-1) when known. */
  language?: string;
  /** The message being answered (facts learned from it point here). */
  messageId?: string;
  /** The conversation so far; absent for engines used outside the turn runner. */
  context?: TurnContext;
  /**
   * Where to show reply text while it is written, on channels that stream (`capabilities.streaming`).
   * Engines that write the reply at once ignore it; the finished reply is sent as usual either way.
   */
  stream?: (text: string) => void;
}

export interface EngineReply {
  replies: { text: string; quickReplies?: string[] }[];
  intent?: string;
  confidence?: number;
  /** Knowledge documents the answer came from, by title. */
  sources?: string[];
  /** The engine's state for the next turn (undefined: unchanged). */
  state?: unknown;
  /** A new conversation status, e.g. handoff on escalation, with the reason. */
  status?: ConversationStatus;
  escalationReason?: string;
  /** Rolling summary of the conversation, when it changed. */
  summary?: string;
  /** The customer's language, when detected. */
  language?: string;
  outcome?: string;
  /** Facts learned about the customer from this message. */
  facts?: { key: string; value: string }[];
  /** Which engine answered, when not the engine's own name (a model, e.g. `llm:openai:gpt-4o`). */
  engine?: string;
  /** Model use of the turn (all rounds); cost null when the model has no price. */
  usage?: { tokensIn: number; tokensOut: number; costUsd: number | null };
  /** The customer confirmed they want to be forgotten: erase them once the reply is on its way. */
  erase?: boolean;
  /** The customer rated the help they had from a person (1–5), answering the hand-back's question. */
  rating?: number;
  /**
   * Input guards that fired on the message, whether or not they ended the turn: injection,
   * sensitive_data, frustration, abuse, unsupported_language.
   */
  guards?: string[];
}

/** Produces the assistant's reply to one customer turn (built-in, or an LLM in a later issue). */
export interface Engine {
  readonly name: string;
  respond(input: TurnInput): Promise<EngineReply>;
}
