import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

import { DecryptCommand, GenerateDataKeyCommand, KMSClient } from '@aws-sdk/client-kms';

import { secretValue } from '../aws';
import { isLocalStage, keyConfig } from '../config';
import { assertMayUseSecret } from '../system/grants';

/**
 * Envelope encryption of personal numbers (phone, ID). Each value is sealed with AES-256-GCM
 * under a data key; the data key is stored with it, itself encrypted by the master key — KMS in
 * AWS (PII_KEY_ID), a local key file's key in the local and test stages (PII_LOCAL_KEY). One data
 * key is made per cold start and decrypted data keys are cached, so a write costs no KMS call
 * after the first and a read of a known key none at all.
 *
 * Lookups use a keyed hash (HMAC-SHA256) so that "who has this phone number" needs no decryption
 * and the hash alone reveals nothing to someone without the key.
 */
export interface SealedValue {
  /** base64 of the data key, encrypted by the master key. */
  k: string;
  /** base64 of iv | tag | ciphertext. */
  c: string;
}

interface DataKey {
  plaintext: Buffer;
  encrypted: string;
}

interface MasterKey {
  generateDataKey(): Promise<DataKey>;
  decryptDataKey(encrypted: string): Promise<Buffer>;
}

function aesSeal(key: Buffer, plaintext: Buffer): Buffer {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

function aesOpen(key: Buffer, sealed: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
  decipher.setAuthTag(sealed.subarray(12, 28));
  return Buffer.concat([decipher.update(sealed.subarray(28)), decipher.final()]);
}

/** The local stand-in for KMS: a 32-byte master key from the environment (a git-ignored file locally). */
class LocalMasterKey implements MasterKey {
  constructor(private readonly key: Buffer) {}
  async generateDataKey(): Promise<DataKey> {
    const plaintext = randomBytes(32);
    return { plaintext, encrypted: aesSeal(this.key, plaintext).toString('base64') };
  }
  async decryptDataKey(encrypted: string): Promise<Buffer> {
    return aesOpen(this.key, Buffer.from(encrypted, 'base64'));
  }
}

class KmsMasterKey implements MasterKey {
  private readonly kms = new KMSClient({});
  constructor(private readonly keyId: string) {}
  async generateDataKey(): Promise<DataKey> {
    const out = await this.kms.send(new GenerateDataKeyCommand({ KeyId: this.keyId, KeySpec: 'AES_256' }));
    return { plaintext: Buffer.from(out.Plaintext!), encrypted: Buffer.from(out.CiphertextBlob!).toString('base64') };
  }
  async decryptDataKey(encrypted: string): Promise<Buffer> {
    const out = await this.kms.send(new DecryptCommand({ CiphertextBlob: Buffer.from(encrypted, 'base64'), KeyId: this.keyId }));
    return Buffer.from(out.Plaintext!);
  }
}

let master: MasterKey | undefined;
let currentKey: Promise<DataKey> | undefined;
const openedKeys = new Map<string, Promise<Buffer>>();
let hashKey: Promise<Buffer> | undefined;

function masterKey(): MasterKey {
  if (master) return master;
  const keys = keyConfig();
  if (keys.PII_KEY_ID) master = new KmsMasterKey(keys.PII_KEY_ID);
  else if (keys.PII_LOCAL_KEY && isLocalStage()) master = new LocalMasterKey(Buffer.from(keys.PII_LOCAL_KEY, 'base64'));
  else throw new Error('PII_KEY_ID is required outside the local and test stages (PII_LOCAL_KEY locally)');
  return master;
}

function macKey(): Promise<Buffer> {
  hashKey ??= (async () => {
    const keys = keyConfig();
    if (keys.PII_HASH_SECRET_ARN) return Buffer.from(await secretValue(keys.PII_HASH_SECRET_ARN), 'utf8');
    if (keys.PII_LOCAL_KEY && isLocalStage()) {
      // A separate key from the encryption key, derived so that one local file is enough.
      return createHmac('sha256', Buffer.from(keys.PII_LOCAL_KEY, 'base64')).update('pii-lookup-hash').digest();
    }
    throw new Error('PII_HASH_SECRET_ARN is required outside the local and test stages');
  })();
  return hashKey;
}

export async function seal(value: string): Promise<SealedValue> {
  assertMayUseSecret('piiKey');
  currentKey ??= masterKey().generateDataKey();
  const key = await currentKey;
  openedKeys.set(key.encrypted, Promise.resolve(key.plaintext));
  return { k: key.encrypted, c: aesSeal(key.plaintext, Buffer.from(value, 'utf8')).toString('base64') };
}

export async function unseal(sealed: SealedValue): Promise<string> {
  assertMayUseSecret('piiKey');
  let key = openedKeys.get(sealed.k);
  if (!key) {
    key = masterKey().decryptDataKey(sealed.k);
    openedKeys.set(sealed.k, key);
  }
  return aesOpen(await key, Buffer.from(sealed.c, 'base64')).toString('utf8');
}

/** Keyed hash for exact-match lookups ("is this phone number already registered"). */
export async function lookupHash(kind: 'phone' | 'id', value: string): Promise<string> {
  assertMayUseSecret('piiHash');
  return createHmac('sha256', await macKey()).update(`${kind}:${normalise(value)}`).digest('base64url');
}

function normalise(value: string): string {
  return value.replace(/[\s-]/g, '').toUpperCase();
}

/** Only for tests that switch keys within one process. */
export function resetPiiKeysForTests(): void {
  master = undefined;
  currentKey = undefined;
  openedKeys.clear();
  hashKey = undefined;
}
