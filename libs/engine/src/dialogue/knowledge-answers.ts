import type { TurnInput } from '../engine';
import type { KnowledgeEngine, KnowledgeReply } from '../knowledge-engine';
import { MORE } from './defaults';
import type { FlowTurn } from './flow-runner';
import type { TurnOutput } from './turn-output';

/**
 * The dialogue's side of the knowledge base: searches in the customer's language, answers long
 * passages essentials-first, and gives the rest when the customer asks for it next turn.
 */
export class KnowledgeAnswers {
  constructor(private readonly knowledge: KnowledgeEngine) {}

  /** Searches at the engine's usual bar, or at `minCoverage` when the topic is already known. */
  search(text: string, turn: FlowTurn, minCoverage?: number): Promise<KnowledgeReply> {
    return this.knowledge.answerAt(inputOf(text, turn), minCoverage, { disclose: true });
  }

  /** The best passages for a model to quote. */
  passages(text: string, turn: FlowTurn, limit = 3) {
    return this.knowledge.passages(inputOf(text, turn), limit);
  }

  /** Changes whenever the assistant's documents change. */
  version(turn: FlowTurn): Promise<number> {
    return this.knowledge.version(turn.assistantId);
  }

  /** Says the answer; when only its essentials were given, the rest waits for "more". */
  say(reply: KnowledgeReply, out: TurnOutput): void {
    reply.replies.forEach((r) => out.say(r.text, r.quickReplies));
    if (reply.more) out.state.detail = reply.more;
    const [source] = reply.sources ?? [];
    if (reply.intent === 'knowledge.answer' && source) {
      out.summaryLine ??= `${source}: answered from the knowledge base`;
    }
  }

  /**
   * The rest of last turn's answer, if the customer asks for it ("more", "yes", the button); true
   * when given. The offer lasts one turn either way.
   */
  async giveDetail(text: string, out: TurnOutput, turn: FlowTurn): Promise<boolean> {
    const detail = out.state.detail;
    out.state.detail = null;
    if (!detail || !MORE.test(text.trim())) return false;
    const rest = await this.knowledge.detail(inputOf(text, turn), detail);
    if (!rest) return false;
    out.intent = 'knowledge.detail';
    rest.replies.forEach((r) => out.say(r.text, r.quickReplies));
    return true;
  }
}

function inputOf(text: string, turn: FlowTurn): TurnInput {
  return {
    assistantId: turn.assistantId,
    conversationId: turn.conversationId,
    channel: turn.channel,
    capabilities: turn.capabilities,
    text,
    language: turn.language,
  };
}
