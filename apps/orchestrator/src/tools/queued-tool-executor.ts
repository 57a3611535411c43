import { JobName, QueueName, ToolCallResultSchema, jobIdFor } from '@parley/contracts';
import type { Logger } from '@parley/platform';
import { JobWaitTimeoutError, type JobResults } from '@parley/queue';
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

  async run(
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
