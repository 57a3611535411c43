import type { AssistantDefinition, Flow } from '@parley/assistant';
import type { TurnContext } from '@parley/db';
import {
  costOf,
  type ChatMessage,
  type ChatRequest,
  type LlmProvider,
  type PriceTable,
  type TokenUsage,
  type ToolCall,
  type ToolSpec,
} from '@parley/llm';
import type { ToolCallContext, ToolExecutor } from '@parley/tools';

import { StreamingGuard } from '../output-guard';
import { Grounding } from './grounding';
import { buildPrompt, toolResultContent, type Passage } from './prompt';
import { modelArgsSchema, toolSpecs } from './tool-specs';

export interface ModelResponderOptions {
  definition: AssistantDefinition;
  /** A provider or a FallbackChain of them; the built-in engine is the last resort, not a link. */
  provider: LlmProvider;
  tools: ToolExecutor | null;
  prices: PriceTable;
  maxTokens: number;
  /** Model calls per turn at most; each round may call tools. */
  maxToolRounds: number;
  /** Told when the model could not answer and the built-in engine takes the turn. */
  onFailure?: (error: unknown) => void;
  /** Check replies against what the model was shown (default true); see Grounding. */
  checkGrounding?: boolean;
  /** Told when a reply stated specifics nothing supports; the built-in engine answers instead. */
  onUngrounded?: (unsupported: string[]) => void;
}

export interface ModelTurn {
  text: string;
  language: string;
  context?: TurnContext;
  verified: boolean;
  passages: Passage[];
  call: ToolCallContext & { messageId: string };
  /** Shown text as the model writes it (through the streaming output guard); channels that stream. */
  stream?: (text: string) => void;
}

export interface ModelUsage {
  tokensIn: number;
  tokensOut: number;
  /** Null when the model has no price in the table: unknown is not free. */
  costUsd: number | null;
  model: string;
  provider: string;
}

/**
 * What the model decided: a reply to send, or a task with side effects to hand to its flow (which
 * confirms and applies the policies), with argument values the flow may use. `none`: no usable
 * answer (the built-in engine takes the turn), with what the attempt used all the same.
 */
export type ModelOutcome =
  | { kind: 'reply'; text: string; usage: ModelUsage; toolsUsed: string[] }
  | { kind: 'task'; flow: Flow; hints: string[]; usage: ModelUsage; toolsUsed: string[] }
  | { kind: 'none'; reason: 'failed' | 'ungrounded' | 'no_answer'; usage: ModelUsage };

/**
 * The model's part of a turn: a prompt of masked text, tools as JSON Schema, the model's tool
 * calls validated (one repair round for invalid arguments), read-only tools run through the tool
 * workers, and tools with side effects never run here: they go to their flow, deterministic.
 */
export class ModelResponder {
  /** The tools offered, by whether the customer is verified: fixed for the assistant's life. */
  private readonly specs: Record<'verified' | 'visitor', ToolSpec[]>;

  constructor(private readonly options: ModelResponderOptions) {
    this.specs = {
      verified: toolSpecs(options.definition, true),
      visitor: toolSpecs(options.definition, false),
    };
  }

  get id(): string {
    return this.options.provider.id;
  }

  async respond(turn: ModelTurn): Promise<ModelOutcome> {
    const { definition, provider, maxTokens } = this.options;
    const messages = buildPrompt(definition, turn, turn.passages);
    const tools = this.specs[turn.verified ? 'verified' : 'visitor'];
    const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
    const toolsUsed: string[] = [];
    let model = '';
    let answeredBy = provider.id;
    let repaired = false;
    // Text written before a tool call ("Let me look that up.") is part of the answer.
    const written: string[] = [];
    const checked = this.options.checkGrounding !== false;
    // What the model has been shown so far: tool results add to it round by round.
    let grounding = new Grounding([]);
    // The draft stops before a specific nothing supports: the customer never sees it.
    const guard = turn.stream
      ? new StreamingGuard(turn.language, turn.stream, (text) =>
          checked ? grounding.unsupported(text).length === 0 : true,
        )
      : null;
    const ask = (request: ChatRequest) => {
      grounding = new Grounding(request.messages.map(contentOf));
      if (!guard) return provider.complete(request);
      if (written.length > 0) guard.push('\n\n');
      return provider.stream(request, (text) => guard.push(text));
    };
    const usageOut = (): ModelUsage => ({
      tokensIn: usage.inputTokens,
      tokensOut: usage.outputTokens,
      costUsd: costOf(usage, model, this.options.prices),
      model,
      provider: answeredBy,
    });
    const none = (reason: 'failed' | 'ungrounded' | 'no_answer'): ModelOutcome => ({
      kind: 'none',
      reason,
      usage: usageOut(),
    });
    try {
      for (let round = 0; round < this.options.maxToolRounds; round++) {
        const result = await ask({ messages, tools, maxTokens, temperature: 0.2 });
        usage.inputTokens += result.usage.inputTokens;
        usage.outputTokens += result.usage.outputTokens;
        model = result.model;
        answeredBy = result.provider;
        if (result.text.trim()) written.push(result.text.trim());
        if (result.toolCalls.length === 0) {
          guard?.end();
          const text = written.join('\n\n');
          if (!text) return none('no_answer');
          const unsupported = checked ? grounding.unsupported(text) : [];
          if (unsupported.length) {
            this.options.onUngrounded?.(unsupported);
            return none('ungrounded');
          }
          return { kind: 'reply', text, usage: usageOut(), toolsUsed };
        }
        messages.push({ role: 'assistant', content: result.text, toolCalls: result.toolCalls });
        for (const call of result.toolCalls) {
          const step = await this.handle(call, turn, repaired);
          if (step.kind === 'task') return { ...step, usage: usageOut(), toolsUsed };
          if (step.kind === 'repair') repaired = true;
          if (step.kind === 'give_up') return none('no_answer');
          if (step.kind === 'ran') toolsUsed.push(call.name);
          messages.push({ role: 'tool', toolCallId: call.id, content: step.content });
        }
      }
      return none('no_answer');
    } catch (error) {
      this.options.onFailure?.(error);
      return none('failed');
    }
  }

  private async handle(
    call: ToolCall,
    turn: ModelTurn,
    repaired: boolean,
  ): Promise<
    | { kind: 'ran' | 'repair' | 'refused'; content: string }
    | { kind: 'task'; flow: Flow; hints: string[] }
    | { kind: 'give_up' }
  > {
    const { definition } = this.options;
    const tool = definition.tools[call.name];
    const offered = this.specs[turn.verified ? 'verified' : 'visitor'].some(
      (s) => s.name === call.name,
    );
    if (!tool || !offered) {
      return {
        kind: 'refused',
        content: toolResultContent({ outcome: 'unknown_tool', fields: {} }),
      };
    }
    const flow = definition.flows.find((f) => f.tool === call.name);
    const parsed = parseArguments(call.arguments, tool);
    if (!parsed.ok) {
      // One chance to fix them; then the tool's flow asks the customer for what is missing.
      if (!repaired) {
        return {
          kind: 'repair',
          content: toolResultContent({
            outcome: 'invalid_arguments',
            fields: {
              problems: parsed.problems,
              hint: 'Fix the arguments and call again, or ask the customer.',
            },
          }),
        };
      }
      return flow ? { kind: 'task', flow, hints: [] } : { kind: 'give_up' };
    }
    if (tool.side_effects) {
      return flow ? { kind: 'task', flow, hints: hintsOf(parsed.args) } : { kind: 'give_up' };
    }
    if (!this.options.tools) return { kind: 'give_up' };
    const result = await this.options.tools.run(call.name, parsed.args, turn.call);
    return {
      kind: 'ran',
      content: toolResultContent({ outcome: result.outcome, fields: result.fields }),
    };
  }
}

function contentOf(message: ChatMessage): string {
  return message.content ?? '';
}

function parseArguments(
  raw: string,
  tool: NonNullable<AssistantDefinition['tools'][string]>,
): { ok: true; args: Record<string, unknown> } | { ok: false; problems: string[] } {
  let json: unknown;
  try {
    json = raw.trim() ? JSON.parse(raw) : {};
  } catch {
    return { ok: false, problems: ['the arguments are not valid JSON'] };
  }
  const parsed = modelArgsSchema(tool).safeParse(json);
  if (parsed.success) return { ok: true, args: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`),
  };
}

/** Argument values as words the flow's own entity extraction reads ("too_small" → "too small"). */
function hintsOf(args: Record<string, unknown>): string[] {
  return Object.values(args)
    .filter((v) => typeof v === 'string' || typeof v === 'number')
    .map((v) => String(v).replace(/_/g, ' '));
}
