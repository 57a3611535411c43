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

/** Thrown inside a tool to end the call with a declared outcome (e.g. slot_taken). */
export class ToolOutcome extends Error {
  constructor(
    readonly outcome: string,
    readonly fields: Record<string, unknown> = {},
  ) {
    super(outcome);
  }
}
