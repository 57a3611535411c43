import type { EngineReply } from '../engine';
import type { DialogueState } from './state';

type Reply = EngineReply['replies'][number];

/** Everything one turn decides, collected as the engine goes. */
export class TurnOutput {
  replies: Reply[] = [];
  intent?: string;
  confidence?: number;
  escalate?: string;
  summaryLine?: string;
  facts: { key: string; value: string }[] = [];
  erase = false;
  /** The customer's 1–5 rating of the help they had from a person. */
  rating?: number;
  /** Set when a model answered: which one, and what it used. */
  engine?: string;
  usage?: EngineReply['usage'];
  /** Input guards that fired on the message (EngineReply.guards). */
  guards: string[] = [];
  constructor(
    public state: DialogueState,
    public language: string,
  ) {}

  say(text: string, quickReplies?: string[]) {
    if (text) this.replies.push({ text, ...(quickReplies?.length ? { quickReplies } : {}) });
  }
}

/** How an intent, flow or slot is named to the customer: "order_status" → "order status". */
export const labelOf = (name: string) => name.replace(/_/g, ' ');
