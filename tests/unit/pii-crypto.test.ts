import { randomBytes } from 'node:crypto';

import { beforeEach, describe, expect, it } from 'vitest';

import { resetConfigForTests } from '../../shared/config';
import { lookupHash, resetPiiKeysForTests, seal, unseal } from '../../shared/pii/crypto';

beforeEach(() => {
  process.env.STAGE = 'test';
  process.env.PII_LOCAL_KEY = randomBytes(32).toString('base64');
  delete process.env.PII_KEY_ID;
  resetConfigForTests();
  resetPiiKeysForTests();
});

describe('envelope encryption of personal numbers', () => {
  it('round-trips, and never stores the plain value', async () => {
    const sealed = await seal('13812345678');
    expect(JSON.stringify(sealed)).not.toContain('13812345678');
    expect(await unseal(sealed)).toBe('13812345678');
  });

  it('gives a different ciphertext each time (random IV), the same lookup hash', async () => {
    const a = await seal('13812345678');
    const b = await seal('13812345678');
    expect(a.c).not.toBe(b.c);
    expect(await lookupHash('phone', '138 1234 5678')).toBe(await lookupHash('phone', '13812345678'));
    expect(await lookupHash('phone', '13812345678')).not.toBe(await lookupHash('id', '13812345678'));
  });

  it('cannot be opened with another master key, and detects tampering', async () => {
    const sealed = await seal('13812345678');
    const flipped = Buffer.from(sealed.c, 'base64');
    flipped[flipped.length - 1]! ^= 1;
    await expect(unseal({ ...sealed, c: flipped.toString('base64') })).rejects.toThrow();
    process.env.PII_LOCAL_KEY = randomBytes(32).toString('base64');
    resetConfigForTests();
  resetPiiKeysForTests();
    await expect(unseal(sealed)).rejects.toThrow();
  });

  it('refuses the local key outside the local and test stages', async () => {
    process.env.STAGE = 'prod';
    resetConfigForTests();
  resetPiiKeysForTests();
    await expect(seal('13812345678')).rejects.toThrow(/PII_KEY_ID is required/);
  });
});
