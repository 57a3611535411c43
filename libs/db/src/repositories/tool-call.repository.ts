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

  /**
   * Who a call acts for: the conversation's customer, and whether the channel verified them.
   * Null when the conversation is not this assistant's.
   */
  async actingCustomer(
    assistantId: string,
    conversationId: string,
  ): Promise<{ customerId: string; verified: boolean } | null> {
    const [row] = await this.db.rows<{ customer_id: string; verified: boolean }>(
      'tools.acting',
      `SELECT c.customer_id, i.verified
       FROM conversations c JOIN channel_identities i ON i.id = c.channel_identity_id
       WHERE c.id = $1::uuid AND c.assistant_id = $2`,
      [conversationId, assistantId],
    );
    return row ? { customerId: row.customer_id, verified: row.verified } : null;
  }

  /**
   * Records the result and, in the same statement, the audit log entry: `tool.called`, or
   * `tool.refused` when authorisation said no. Arguments in the audit log are the masked ones.
   */
  async finish(
    idempotencyKey: string,
    result: { outcome: string; fields: Record<string, unknown>; error?: string },
    latencyMs: number,
    audit: { actor: string; customerId: string; refused?: string },
  ): Promise<void> {
    await this.db.rows(
      'tools.finish',
      `WITH call AS (
         UPDATE tool_calls SET status = $2, result = $3::jsonb, error = $4, latency_ms = $5,
                finished_at = now()
         WHERE idempotency_key = $1
         RETURNING id, assistant_id, conversation_id, tool, arguments)
       INSERT INTO audit_log (assistant_id, actor_type, actor_id, action, target_type, target_id, details)
       SELECT assistant_id, 'service', $6, CASE WHEN $8::text IS NULL THEN 'tool.called' ELSE 'tool.refused' END,
              'tool_call', id::text,
              jsonb_strip_nulls(jsonb_build_object('tool', tool, 'arguments', arguments,
                'outcome', $9::text, 'conversationId', conversation_id, 'customerId', $7::text,
                'reason', $8::text))
       FROM call`,
      [
        idempotencyKey,
        result.outcome === 'failure' ? 'failed' : audit.refused ? 'refused' : 'finished',
        JSON.stringify(result),
        result.error ?? null,
        Math.round(latencyMs),
        audit.actor,
        audit.customerId,
        audit.refused ?? null,
        result.outcome,
      ],
    );
  }
}
