import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

/*
 * The PII vault's encryption: an X25519 sealed box. Channel apps hold only the public key, so
 * they can store an original but never read one back; the private key goes only to the services
 * that need originals (tool workers). Each value gets a fresh ephemeral key pair; AES-256-GCM
 * with the value's context (tenant, message, placeholder) as associated data, so a sealed value
 * moved to another row no longer opens.
 */

const VERSION = 1;
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex');
const INFO = Buffer.from('parley-pii-vault-v1');

export class VaultKeyError extends Error {
  constructor(setting: string, detail: string) {
    super(`${setting}: ${detail}`);
    this.name = 'VaultKeyError';
  }
}

function rawKey(setting: string, value: string): Buffer {
  const raw = Buffer.from(value, 'base64url');
  if (raw.length !== 32) {
    throw new VaultKeyError(
      setting,
      'expected 32 bytes in base64url (run `npx parley pii keygen`)',
    );
  }
  return raw;
}

const publicKeyFrom = (raw: Buffer): KeyObject =>
  createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });

const rawPublic = (key: KeyObject): Buffer =>
  key.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);

/** Short id of a public key, stored beside each sealed value so key rotation can tell them apart. */
export const vaultKeyId = (publicKeyRaw: Buffer): string =>
  createHash('sha256').update(publicKeyRaw).digest('hex').slice(0, 16);

function derive(shared: Buffer, ephemeralPublic: Buffer, recipientPublic: Buffer): Buffer {
  const salt = Buffer.concat([ephemeralPublic, recipientPublic]);
  return Buffer.from(hkdfSync('sha256', shared, salt, INFO, 32));
}

/** A new key pair as the two config values, base64url. */
export function generateVaultKeys(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  const privateRaw = privateKey
    .export({ format: 'der', type: 'pkcs8' })
    .subarray(PKCS8_PREFIX.length);
  return {
    publicKey: rawPublic(publicKey).toString('base64url'),
    privateKey: Buffer.from(privateRaw).toString('base64url'),
  };
}

/** Seals values for the vault; holds no secret. */
export class VaultSealer {
  private readonly recipient: KeyObject;
  private readonly recipientRaw: Buffer;
  readonly keyId: string;

  constructor(publicKey: string, setting = 'PARLEY_VAULT_PUBLIC_KEY') {
    this.recipientRaw = rawKey(setting, publicKey);
    this.recipient = publicKeyFrom(this.recipientRaw);
    this.keyId = vaultKeyId(this.recipientRaw);
  }

  seal(plaintext: string, context: string): Buffer {
    const ephemeral = generateKeyPairSync('x25519');
    const ephemeralRaw = rawPublic(ephemeral.publicKey);
    const shared = diffieHellman({ privateKey: ephemeral.privateKey, publicKey: this.recipient });
    const iv = randomBytes(12);
    const cipher = createCipheriv(
      'aes-256-gcm',
      derive(shared, ephemeralRaw, this.recipientRaw),
      iv,
    );
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([VERSION]), ephemeralRaw, iv, cipher.getAuthTag(), body]);
  }
}

/** Opens sealed values; only services that must read originals are given the private key. */
export class VaultOpener {
  private readonly privateKey: KeyObject;
  private readonly publicRaw: Buffer;
  readonly keyId: string;

  constructor(privateKey: string, setting = 'PARLEY_VAULT_PRIVATE_KEY') {
    this.privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_PREFIX, rawKey(setting, privateKey)]),
      format: 'der',
      type: 'pkcs8',
    });
    this.publicRaw = rawPublic(createPublicKey(this.privateKey));
    this.keyId = vaultKeyId(this.publicRaw);
  }

  /** Throws when the value was sealed for another key, altered, or moved to another context. */
  open(sealed: Buffer, context: string): string {
    if (sealed[0] !== VERSION || sealed.length < 61) throw new Error('not a sealed vault value');
    const ephemeralRaw = sealed.subarray(1, 33);
    const iv = sealed.subarray(33, 45);
    const tag = sealed.subarray(45, 61);
    const shared = diffieHellman({
      privateKey: this.privateKey,
      publicKey: publicKeyFrom(ephemeralRaw),
    });
    const decipher = createDecipheriv(
      'aes-256-gcm',
      derive(shared, ephemeralRaw, this.publicRaw),
      iv,
    );
    decipher.setAAD(Buffer.from(context));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(sealed.subarray(61)), decipher.final()]).toString('utf8');
  }
}

/** The associated data binding a sealed value to its row. */
export const vaultContext = (assistantId: string, messageId: string, placeholder: string) =>
  `${assistantId}/${messageId}/${placeholder}`;
