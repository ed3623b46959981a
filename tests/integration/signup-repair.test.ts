import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';

import { localDynamoClient } from '../../infra/local/provision';
import { seedDemoData } from '../../infra/local/seed';
import { resetClientsForTests, setClientsForTests } from '../../shared/aws';
import { getActivityAndSignup, getSignup, joinWaitlist, takeSeat } from '../../shared/volunteers/repository';
import { cancelSignup, checkIn, createActivity, myHours, promoteWaiters, signUp } from '../../shared/volunteers/use-cases';
import { activityInput } from '../fixtures/activities';
import { tokenAs } from '../fixtures/principals';
import { useTestStack } from '../support/stack';

/**
 * A sign-up is two writes (the seat on the activity, then the volunteer's record). A process that
 * dies between them must not lose the seat for good: the phone's resend writes the record from
 * the activity item, which holds the truth (issue #17).
 */
const t = useTestStack({ workers: false });
let activityId = '';

beforeAll(async () => {
  await seedDemoData();
  activityId = (await createActivity({ userId: 'admin-1', roles: ['admin'] }, activityInput({ capacity: 1 }))).activityId;
});

describe('a sign-up cut short by a crash', () => {
  it('the seat taken without its record: the resend gets the seat, recorded, and no second seat', async () => {
    // What the crashed process left: the seat, no record.
    expect((await takeSeat(activityId, 'volunteer-1', new Date().toISOString())).ok).toBe(true);
    const token = await tokenAs('volunteer', 'volunteer-1');
    expect((await t.call('GET', '/v1/me/signups', { token })).body.items.map((s: { activityId: string }) => s.activityId)).not.toContain(activityId);

    const resend = await t.call('POST', `/v1/activities/${activityId}/signups`, { token });
    expect(resend.status, JSON.stringify(resend.body)).toBeLessThan(300);
    expect(resend.body).toMatchObject({ activityId, userId: 'volunteer-1', status: 'confirmed' });
    expect((await t.call('GET', '/v1/me/signups', { token })).body.items.find((s: { activityId: string }) => s.activityId === activityId)).toMatchObject({ status: 'confirmed' });
    const view = await t.call('GET', `/v1/activities/${activityId}`, { token });
    expect(view.body).toMatchObject({ seatsLeft: 0 });
    // Once recorded, a further sign-up is the ordinary refusal.
    const again = await t.call('POST', `/v1/activities/${activityId}/signups`, { token });
    expect([again.status, again.body.error.code]).toEqual([409, 'ALREADY_SIGNED_UP']);
  });

  it('the place in line taken without its record: the resend is waitlisted at that place', async () => {
    const lead = await tokenAs('volunteer', 'lead-T01');
    expect((await joinWaitlist(activityId, 'lead-T01', new Date().toISOString())).ok).toBe(true);
    const resend = await t.call('POST', `/v1/activities/${activityId}/signups`, { token: lead });
    expect(resend.body).toMatchObject({ status: 'waitlisted', position: 1 });
  });
});

describe('check-out and its service time', () => {
  it('two check-outs at once count the hour once; the record and the total are one write', async () => {
    const t0 = new Date('2027-06-01T01:00:00Z');
    const a = await createActivity({ userId: 'admin-1', roles: ['admin'] }, activityInput({ capacity: 5 }, 24, t0), t0);
    const v = { userId: 'resident-5', roles: ['volunteer' as const] };
    const before = await myHours(v);
    await signUp(v, a.activityId, t0);
    const start = new Date(a.startAt);
    await checkIn(v, a.activityId, a.checkinCode, 'in', start);
    const outAt = new Date(start.getTime() + 60 * 60_000);
    const both = await Promise.all([checkIn(v, a.activityId, a.checkinCode, 'out', outAt), checkIn(v, a.activityId, a.checkinCode, 'out', outAt)]);
    expect(both.map((s) => s.minutes)).toEqual([60, 60]);
    const after = await myHours(v);
    expect(after.totalMinutes - before.totalMinutes).toBe(60);
    expect(after.activities - before.activities).toBe(1);
    // A retry later reads the check-out back and counts nothing more.
    await checkIn(v, a.activityId, a.checkinCode, 'out', new Date(outAt.getTime() + 60_000));
    expect((await myHours(v)).totalMinutes - before.totalMinutes).toBe(60);
  });
});

describe('seat changes commit with their record and their message', () => {
  it('a promotion whose commit dies leaves the waiter waiting — never a seat held by someone never told; the next run offers it', async () => {
    const admin = { userId: 'admin-1', roles: ['admin' as const] };
    const a = await createActivity(admin, activityInput({ capacity: 1 }));
    const first = { userId: 'resident-6', roles: ['volunteer' as const] };
    const waiter = { userId: 'resident-7', roles: ['volunteer' as const] };
    await signUp(first, a.activityId);
    expect((await signUp(waiter, a.activityId)).status).toBe('waitlisted');
    // The seat is given back through the API path that does not promote at once (the queue does).
    setClientsForTests({ ddb: dyingOnPromotion() });
    try {
      await cancelSignup(first, a.activityId);
      await expect(promoteWaiters(a.activityId)).rejects.toThrow('injected');
    } finally {
      resetClientsForTests();
    }
    const { activity } = await getActivityAndSignup(a.activityId, waiter.userId);
    expect(Object.keys(activity!.members ?? {})).toEqual([]);
    expect(Object.keys(activity!.waitPos ?? {})).toEqual([waiter.userId]);
    expect((await getSignup(a.activityId, waiter.userId))!.status).toBe('waitlisted');
    // The signups message is redelivered; this time it commits: seat, offer and notice together.
    expect(await promoteWaiters(a.activityId)).toEqual([waiter.userId]);
    expect((await getSignup(a.activityId, waiter.userId))!.status).toBe('offered');
  });
});

/** A client on the real engine whose promotion transactions fail, as a process dying at that moment. */
function dyingOnPromotion(): DynamoDBDocumentClient {
  const client = DynamoDBDocumentClient.from(localDynamoClient(t.stack.dynamoEndpoint), { marshallOptions: { removeUndefinedValues: true } });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const items = (args.input as { TransactItems?: { Update?: { UpdateExpression?: string } }[] }).TransactItems;
      if (/TransactWrite/.test(context.commandName ?? '') && items?.[0]?.Update?.UpdateExpression?.startsWith('REMOVE waitPos.#u SET members')) {
        throw Object.assign(new Error('injected: died while promoting'), { name: 'InjectedFailure' });
      }
      return next(args);
    },
    { step: 'initialize', name: 'dieOnPromotion' },
  );
  return client;
}
