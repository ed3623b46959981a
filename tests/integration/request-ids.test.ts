import { beforeAll, describe, expect, it, vi } from 'vitest';

import { seedDemoData } from '../../infra/local/seed';
import type * as Ids from '../../shared/ids';
import { getRequest } from '../../shared/requests/repository';
import { submitRequest } from '../../shared/requests/use-cases';
import { livelihood } from '../fixtures/requests';
import { useTestStack } from '../support/stack';

/** The id generator draws what the test says first (an injected collision), then at random. */
const forced: string[] = [];
vi.mock('../../shared/ids', async (importOriginal) => {
  const original = await importOriginal<typeof Ids>();
  return { ...original, readableId: (prefix: string, now: Date) => forced.shift() ?? original.readableId(prefix, now) };
});

useTestStack({ workers: false });
const resident = { userId: 'resident-4', roles: ['resident' as const] };

beforeAll(async () => {
  await seedDemoData();
});

describe('readable request ids', () => {
  it('a second request that draws a taken id draws again: both are stored, neither overwritten, the resident sees no error', async () => {
    forced.push('R261130TAKEN1');
    const first = await submitRequest(resident, livelihood, undefined);
    expect(first.requestId).toBe('R261130TAKEN1');
    forced.push('R261130TAKEN1', 'R261130TAKEN1');
    const second = await submitRequest(resident, { ...livelihood, description: '另一件事：单元门的门禁坏了' }, undefined);
    expect(second.requestId).not.toBe('R261130TAKEN1');
    expect(second.requestId).toMatch(/^R\d{6}[0-9A-Z]{6}$/);
    expect((await getRequest('R261130TAKEN1', true))!.description).toBe(livelihood.description);
    expect((await getRequest(second.requestId, true))!.description).toBe('另一件事：单元门的门禁坏了');
  });
});
