import { randomUUID } from 'node:crypto';

import type { CountryCode } from 'libphonenumber-js';

import { NEVER_STORED, maskPii, type MaskedPii } from '../pii/mask';
import { VaultSealer, vaultContext } from '../vault/sealed-box';

export interface ProtectedMessage {
  /** Id for the message to be stored: the vault entries are sealed to it. */
  messageId: string;
  /** The only form of the text that goes further: store, queue, engine, logs. */
  masked: string;
  /** Sealed originals to store with the message (none when no vault key is configured). */
  vault: { placeholder: string; piiType: string; keyId: string; sealed: Buffer }[];
  /** What was found, for metrics and the warning about card numbers; values never leave here. */
  found: Pick<MaskedPii, 'type' | 'placeholder'>[];
}

/**
 * The PII part of the input guard, run by each channel app before it stores a customer message:
 * nothing downstream of this ever sees an original.
 */
export class PiiIntake {
  private readonly sealer: VaultSealer | null;
  private readonly phoneRegions: readonly CountryCode[];

  constructor(options: { vaultPublicKey?: string | undefined; phoneRegions: readonly string[] }) {
    this.sealer = options.vaultPublicKey ? new VaultSealer(options.vaultPublicKey) : null;
    this.phoneRegions = options.phoneRegions as CountryCode[];
  }

  /** Whether originals are kept (sealed) for the tools that need them. */
  get vaultEnabled(): boolean {
    return this.sealer !== null;
  }

  protect(assistantId: string, text: string): ProtectedMessage {
    const messageId = randomUUID();
    const { masked, found } = maskPii(text, { phoneRegions: this.phoneRegions });
    const sealer = this.sealer;
    const vault = sealer
      ? found
          .filter((f) => !NEVER_STORED.has(f.type))
          .map((f) => ({
            placeholder: f.placeholder,
            piiType: f.type,
            keyId: sealer.keyId,
            sealed: sealer.seal(f.value, vaultContext(assistantId, messageId, f.placeholder)),
          }))
      : [];
    return {
      messageId,
      masked,
      vault,
      found: found.map(({ type, placeholder }) => ({ type, placeholder })),
    };
  }
}
