import { SpanKind, SpanStatusCode } from '@opentelemetry/api';

import { JobName, QueueName, ToolCallResultSchema, jobIdFor } from '@parley/contracts';
import type { Logger } from '@parley/platform';
import { JobWaitTimeoutError, withSpan, type JobResults } from '@parley/queue';
import type { ToolCallContext, ToolExecutor, ToolResult } from '@parley/tools';

/**
 * Runs a turn's tool calls in the tools app: one job per call on the tools queue, and the turn
 * waits for its result, at most `waitMs`. Past that the customer hears the flow's failure reply
 * ("I'm having trouble reaching that right now"), never a hang, and a call no worker has started
 * is withdrawn, so it does not happen after the customer was told it could not. The job id is the call's
 * idempotency key, so a turn replayed after a crash gets the first call's result.
 */
export class QueuedToolExecutor implements ToolExecutor {
  constructor(
    private readonly results: JobResults,
    private readonly waitMs: number,
    private readonly logger: Logger,
  ) {}

  /** In a client span from the enqueue to the result (the tools app's span is its child). */
  run(
    name: string,
    args: Record<string, unknown>,
    context: ToolCallContext & { messageId: string },
  ): Promise<ToolResult> {
    const attributes = {
      'parley.tool': name,
      'parley.conversation_id': context.conversationId,
      'parley.message_id': context.messageId,
    };
    return withSpan(`tool ${name}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
      const result = await this.call(name, args, context);
      span.setAttribute('parley.outcome', result.outcome);
      if (result.outcome === 'failure') {
        span.setStatus({ code: SpanStatusCode.ERROR, message: result.error ?? 'failure' });
      }
      return result;
    });
  }

  private async call(
    name: string,
    args: Record<string, unknown>,
    context: ToolCallContext & { messageId: string },
  ): Promise<ToolResult> {
    const started = performance.now();
    try {
      const value = await this.results.run(
        QueueName.Tools,
        JobName.ToolCall,
        { ...context, tool: name, args },
        { jobId: jobIdFor('tool', context.messageId, name), timeoutMs: this.waitMs },
      );
      return ToolCallResultSchema.parse(value);
    } catch (error) {
      const reason =
        error instanceof JobWaitTimeoutError
          ? `tools app: ${error.message}`
          : error instanceof Error
            ? error.message
            : String(error);
      this.logger.warn(
        { tool: name, conversationId: context.conversationId, error: reason },
        'tool call failed',
      );
      return {
        outcome: 'failure',
        fields: {},
        error: reason,
        durationMs: performance.now() - started,
      };
    }
  }
}
