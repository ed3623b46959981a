import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

import { signingKey } from '../auth/tokens';
import { InvalidCursorError } from '../errors';

/**
 * Pagination cursors as callers see them: the repository's position (a LastEvaluatedKey) sealed
 * with AES-256-GCM under a key derived from the service's signing key, with the route, the caller
 * and the query's other parameters as associated data. A cursor is therefore opaque (no table
 * keys leak), cannot be forged or edited, and opens only for the same route, the same caller and
 * the same filters it was issued for; anything else is a 400 INVALID_CURSOR, never a DynamoDB
 * ValidationException answered as a 500.
 */
const ivBytes = 12;
const tagBytes = 16;

/** Derived once per signing key (a process that swaps configurations gets a new key). */
const derived = new WeakMap<Uint8Array, Buffer>();
async function cursorKey(): Promise<Buffer> {
  const serviceKey = await signingKey();
  let key = derived.get(serviceKey);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', serviceKey, Buffer.alloc(0), 'anzhi/pagination-cursor/v1', 32));
    derived.set(serviceKey, key);
  }
  return key;
}

/** What a cursor is bound to. Limit may change between pages; everything else may not. */
export interface CursorBinding {
  routeId: string;
  callerId: string | undefined;
  params: Record<string, string | undefined>;
  query: Record<string, string | undefined>;
}

function associatedData(b: CursorBinding): Buffer {
  const sorted = (o: Record<string, string | undefined>) =>
    Object.entries(o)
      .filter(([k, v]) => v !== undefined && k !== 'cursor' && k !== 'limit')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Buffer.from(JSON.stringify([b.routeId, b.callerId ?? '', sorted(b.params), sorted(b.query)]), 'utf8');
}

export async function sealCursor(position: string, binding: CursorBinding): Promise<string> {
  const iv = randomBytes(ivBytes);
  const cipher = createCipheriv('aes-256-gcm', await cursorKey(), iv);
  cipher.setAAD(associatedData(binding));
  const sealed = Buffer.concat([cipher.update(position, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

export async function openCursor(cursor: string, binding: CursorBinding): Promise<string> {
  const raw = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url') : Buffer.alloc(0);
  if (raw.length <= ivBytes + tagBytes) throw new InvalidCursorError();
  try {
    const decipher = createDecipheriv('aes-256-gcm', await cursorKey(), raw.subarray(0, ivBytes));
    decipher.setAAD(associatedData(binding));
    decipher.setAuthTag(raw.subarray(ivBytes, ivBytes + tagBytes));
    return Buffer.concat([decipher.update(raw.subarray(ivBytes + tagBytes)), decipher.final()]).toString('utf8');
  } catch {
    throw new InvalidCursorError();
  }
}
