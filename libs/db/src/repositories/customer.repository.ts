import type { Database } from '../database';

export interface ErasureReport {
  conversations: number;
  messages: number;
  facts: number;
  vaultEntries: number;
}

/** The customer aggregate: what Parley knows of one person, and forgetting it. */
export class CustomerRepository {
  constructor(private readonly db: Database) {}

  /**
   * Erases the customer and everything that hangs off them (identities, conversations, messages,
   * tool calls, facts, vault entries) in one statement, and writes what was erased, without any
   * of it, to the audit log. Returns null when there was no such customer.
   */
  async erase(
    assistantId: string,
    customerId: string,
    actor: { type: string; id: string; reason: string },
  ): Promise<ErasureReport | null> {
    const rows = await this.db.rows<{
      conversations: number;
      messages: number;
      facts: number;
      vault_entries: number;
    }>(
      'customers.erase',
      `WITH counts AS (
         SELECT
           (SELECT count(*)::int FROM conversations WHERE customer_id = $2::uuid) AS conversations,
           (SELECT count(*)::int FROM messages m JOIN conversations c ON c.id = m.conversation_id
             WHERE c.customer_id = $2::uuid) AS messages,
           (SELECT count(*)::int FROM profile_facts WHERE customer_id = $2::uuid) AS facts,
           (SELECT count(*)::int FROM pii_vault v JOIN messages m ON m.id = v.message_id
             JOIN conversations c ON c.id = m.conversation_id
             WHERE c.customer_id = $2::uuid) AS vault_entries),
       gone AS (
         DELETE FROM customers WHERE id = $2::uuid AND assistant_id = $1 RETURNING id),
       audit AS (
         INSERT INTO audit_log (assistant_id, actor_type, actor_id, action, target_type, target_id, details)
         SELECT $1, $3, $4, 'customer.erased', 'customer', gone.id::text,
                jsonb_build_object('reason', $5::text, 'conversations', counts.conversations,
                  'messages', counts.messages, 'facts', counts.facts,
                  'vaultEntries', counts.vault_entries)
         FROM gone, counts)
       SELECT counts.* FROM counts, gone`,
      [assistantId, customerId, actor.type, actor.id, actor.reason],
    );
    const row = rows[0];
    return row
      ? {
          conversations: row.conversations,
          messages: row.messages,
          facts: row.facts,
          vaultEntries: row.vault_entries,
        }
      : null;
  }
}
