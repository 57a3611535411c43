import type { Database } from '../database';

export interface SealedEntry {
  assistantId: string;
  messageId: string;
  placeholder: string;
  piiType: string;
  keyId: string;
  sealed: Buffer;
}

/**
 * Reads sealed PII originals for the services allowed to open them, writing an audit entry for
 * every read: who read which placeholder of which message, and why.
 */
export class PiiVaultRepository {
  constructor(private readonly db: Database) {}

  async read(
    assistantId: string,
    messageId: string,
    placeholder: string,
    reader: { actor: string; purpose: string },
  ): Promise<SealedEntry | null> {
    const rows = await this.db.rows<{
      pii_type: string;
      key_id: string;
      sealed: Buffer;
    }>(
      'vault.read',
      `WITH entry AS (
         SELECT pii_type, key_id, sealed FROM pii_vault
         WHERE assistant_id = $1 AND message_id = $2::uuid AND placeholder = $3),
       audit AS (
         INSERT INTO audit_log (assistant_id, actor_type, actor_id, action, target_type, target_id, details)
         SELECT $1, 'service', $4, 'pii.read', 'message', $2, jsonb_build_object('placeholder', $3::text, 'purpose', $5::text)
         FROM entry)
       SELECT pii_type, key_id, sealed FROM entry`,
      [assistantId, messageId, placeholder, reader.actor, reader.purpose],
    );
    const row = rows[0];
    return row
      ? {
          assistantId,
          messageId,
          placeholder,
          piiType: row.pii_type,
          keyId: row.key_id,
          sealed: row.sealed,
        }
      : null;
  }
}
