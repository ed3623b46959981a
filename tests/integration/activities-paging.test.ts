import { beforeAll, describe, expect, it } from 'vitest';

import { seedDemoData } from '../../infra/local/seed';
import { createActivity, listUpcoming } from '../../shared/volunteers/use-cases';
import { activityInput } from '../fixtures/activities';
import { useTestStack } from '../support/stack';

useTestStack();
const admin = { userId: 'admin-1', roles: ['admin' as const] };

beforeAll(async () => {
  await seedDemoData(new Date('2027-05-10T02:00:00Z'));
});

describe('paging upcoming activities while the clock moves', () => {
  it('answers INVALID_CURSOR (start again), not a 500, when the page\'s last activity has started since', async () => {
    const t0 = new Date('2027-05-10T02:00:00Z');
    await createActivity(admin, activityInput({}, 2, t0), t0); // starts two hours after t0
    const first = await listUpcoming({ limit: 1 }, t0);
    expect(first.items[0]!.startAt).toBe('2027-05-10T04:00:00.000Z');
    expect(first.nextCursor).toBeTruthy();
    // Three hours later that activity has started: the list the cursor belonged to has changed.
    await expect(listUpcoming({ limit: 1, cursor: first.nextCursor! }, new Date('2027-05-10T05:00:00Z'))).rejects.toMatchObject({ status: 400, code: 'INVALID_CURSOR' });
    // A minute later it still continues where it left off.
    const next = await listUpcoming({ limit: 1, cursor: first.nextCursor! }, new Date('2027-05-10T02:01:00Z'));
    expect(Date.parse(next.items[0]!.startAt)).toBeGreaterThan(Date.parse(first.items[0]!.startAt));
  });
});
