/** Outcome of a call refused because the customer is not verified (tools with access: customer). */
export const IDENTITY_REQUIRED = 'identity_required';
/** Outcome of a call for someone else's account: refused by Parley or by the business's API (403). */
export const FORBIDDEN = 'forbidden';

/** What a tool call came to: the outcome picks the flow's reply, fields fill its placeholders. */
export interface ToolResult {
  /** `success`, `failure`, or one of the tool's declared outcomes. */
  outcome: string;
  fields: Record<string, unknown>;
  /** For failures: why, for logs and the transcript (never shown to the customer). */
  error?: string;
  durationMs: number;
}

export interface ToolCallContext {
  assistantId: string;
  customerId: string;
  conversationId: string;
}

/**
 * Runs a tool call for a turn: in this process (`ToolRunner`, what the tools app uses) or on the
 * tools queue (the orchestrator). Never throws: every problem is a `failure` result.
 */
export interface ToolExecutor {
  run(
    name: string,
    args: Record<string, unknown>,
    context: ToolCallContext & { messageId: string },
  ): Promise<ToolResult>;
}

/** Thrown inside a tool to end the call with a declared outcome (e.g. slot_taken). */
export class ToolOutcome extends Error {
  constructor(
    readonly outcome: string,
    readonly fields: Record<string, unknown> = {},
  ) {
    super(outcome);
  }
}
