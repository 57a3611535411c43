import {
  VaultKeyError,
  VaultOpener,
  VaultSealer,
  generateVaultKeys,
  vaultContext,
} from './sealed-box';

describe(VaultSealer.name, () => {
  const keys = generateVaultKeys();
  const sealer = new VaultSealer(keys.publicKey);
  const opener = new VaultOpener(keys.privateKey);
  const context = vaultContext('demo', 'message-1', '[PHONE_1]');

  it('seals a value that only the private key opens', () => {
    const sealed = sealer.seal('+44 20 7123 4567', context);
    expect(sealed.toString('utf8')).not.toContain('7123');
    expect(opener.open(sealed, context)).toBe('+44 20 7123 4567');
    expect(sealer.keyId).toBe(opener.keyId);
  });

  it('seals the same value differently each time', () => {
    expect(sealer.seal('x', context).equals(sealer.seal('x', context))).toBe(false);
  });

  it('refuses a value moved to another row, altered, or sealed for another key', () => {
    const sealed = sealer.seal('jane@example.com', context);
    expect(() => opener.open(sealed, vaultContext('demo', 'message-2', '[PHONE_1]'))).toThrow();
    const altered = Buffer.from(sealed);
    altered.writeUInt8(altered.readUInt8(altered.length - 1) ^ 1, altered.length - 1);
    expect(() => opener.open(altered, context)).toThrow();
    const other = new VaultOpener(generateVaultKeys().privateKey);
    expect(() => other.open(sealed, context)).toThrow();
  });

  it('names the setting when a key is malformed', () => {
    expect(() => new VaultSealer('short')).toThrow(VaultKeyError);
    expect(() => new VaultSealer('short')).toThrow(/PARLEY_VAULT_PUBLIC_KEY/);
  });
});
