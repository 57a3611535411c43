import { randomUUID } from 'node:crypto';

import type { Database } from '../database';

export interface ToolCallRecord {
  status: 'started' | 'finished';
  result: { outcome: string; fields: Record<string, unknown>; error?: string } | null;
}

/**
 * The ledger of tool calls, keyed by an idempotency key derived from the turn: a turn replayed
 * after a crash finds the call it already made and reuses its result instead of acting twice.
 */
export class ToolCallRepository {
  constructor(private readonly db: Database) {}

  /** Records the call as started, or returns the earlier record under the same key. */
  async begin(input: {
    assistantId: string;
    conversationId: string;
    messageId: string;
    tool: string;
    /** Masked arguments (vault references, never originals). */
    arguments: Record<string, unknown>;
    idempotencyKey: string;
  }): Promise<ToolCallRecord | null> {
    const inserted = await this.db.rows<{ id: string }>(
      'tools.begin',
      `INSERT INTO tool_calls (id, assistant_id, conversation_id, message_id, tool, arguments,
                               status, idempotency_key)
       VALUES ($1::uuid, $2, $3::uuid, $4::uuid, $5, $6::jsonb, 'started', $7)
       ON CONFLICT (idempotency_key) DO NOTHING
       RETURNING id`,
      [
        randomUUID(),
        input.assistantId,
        input.conversationId,
        input.messageId,
        input.tool,
        JSON.stringify(input.arguments),
        input.idempotencyKey,
      ],
    );
    if (inserted.length > 0) return null;
    const [earlier] = await this.db.rows<{ status: string; result: ToolCallRecord['result'] }>(
      'tools.find',
      'SELECT status, result FROM tool_calls WHERE idempotency_key = $1',
      [input.idempotencyKey],
    );
    return earlier
      ? { status: earlier.status === 'started' ? 'started' : 'finished', result: earlier.result }
      : null;
  }

  async finish(
    idempotencyKey: string,
    result: { outcome: string; fields: Record<string, unknown>; error?: string },
    latencyMs: number,
  ): Promise<void> {
    await this.db.rows(
      'tools.finish',
      `UPDATE tool_calls SET status = $2, result = $3::jsonb, error = $4, latency_ms = $5,
              finished_at = now()
       WHERE idempotency_key = $1`,
      [
        idempotencyKey,
        result.outcome === 'failure' ? 'failed' : 'finished',
        JSON.stringify(result),
        result.error ?? null,
        Math.round(latencyMs),
      ],
    );
  }
}
