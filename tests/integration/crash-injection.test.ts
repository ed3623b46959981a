import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { demoRoster } from '../../infra/local/demo-data';
import { seedDemoData } from '../../infra/local/seed';
import { recount } from '../../infra/ops/recount-figures';
import { s3 } from '../../shared/aws';
import { config } from '../../shared/config';
import { ConflictError, NotFoundError } from '../../shared/errors';
import { importRoster } from '../../shared/households/import';
import { createRosterImport, readRosterImport, runRosterImport, startRosterImport } from '../../shared/households/import-jobs';
import { getHouseholds } from '../../shared/households/repository';
import { reconcileOutbox } from '../../shared/queue/messages';
import { getRequest } from '../../shared/requests/repository';
import { routeRequest, submitRequest } from '../../shared/requests/use-cases';
import { getActivity, getSignup, takeSeat } from '../../shared/volunteers/repository';
import { cancelSignup, checkIn, createActivity, myHours, promoteWaiters, signUp } from '../../shared/volunteers/use-cases';
import { activityInput } from '../fixtures/activities';
import { livelihood } from '../fixtures/requests';
import { CrashPlan, InjectedCrash } from '../support/crash';
import { useTestStack } from '../support/stack';

/**
 * The process killed between any two writes (#17). Each flow is first run cleanly to count its
 * writes (DynamoDB and SQS); then, for every k, it runs on fresh data with a process that dies right
 * after its k-th write and never does anything again. Then the system recovers the way it does in
 * production — the phone resends (same Idempotency-Key), the queue redelivers (the consumer runs
 * again), the outbox-reconcile schedule runs — and the flow must have ended as if nothing happened,
 * and `npm run recount` must find 0 disagreements: request and household figures, volunteer figures
 * and totals, and every activity's seats against its volunteers' records.
 */
const t = useTestStack({ workers: false });
const admin = { userId: 'admin-1', roles: ['admin' as const] };
const volunteer = (id: string) => ({ userId: id, roles: ['volunteer' as const] });
const resident = { userId: 'resident-2', roles: ['resident' as const] };
/** A fixed clock far from any day boundary's surprises: activities a day after it. */
const t0 = new Date('2027-03-10T02:00:00.000Z');

interface Flow<C> {
  name: string;
  prepare(run: string): Promise<C>;
  /** The user's action and the consumers it sets off. */
  act(c: C): Promise<unknown>;
  /** What production does after a crash: the resend, the redelivery, the reconcile schedule. */
  recover(c: C): Promise<unknown>;
  /** The end state, as if nothing had happened. */
  check(c: C): Promise<void>;
}

/** A resend of a cancel the dead process already committed: "not signed up" (the page reloads and shows it). */
const ignoreNotFound = (err: unknown) => {
  if (!(err instanceof NotFoundError)) throw err;
};
/** A resend of a sign-up the dead process already committed: the ordinary 409 (the page reloads and shows it). */
const alreadySignedUp = (err: unknown) => {
  if (!(err instanceof ConflictError && err.code === 'ALREADY_SIGNED_UP')) throw err;
  return null;
};

const flows: Flow<any>[] = [
  {
    name: 'sign-up for a seat',
    prepare: async (run) => ({ activityId: (await createActivity(admin, activityInput({ capacity: 2 }))).activityId, v: volunteer(`crash-seat-${run}`) }),
    act: ({ activityId, v }) => signUp(v, activityId),
    recover: async ({ activityId, v }) => expect([null, 'confirmed']).toContain((await signUp(v, activityId).catch(alreadySignedUp))?.status ?? null),
    check: async ({ activityId, v }) => {
      expect((await getSignup(activityId, v.userId))?.status).toBe('confirmed');
      expect((await getActivity(activityId, true))!.confirmed).toBe(1);
    },
  },
  {
    name: 'sign-up to the waitlist',
    prepare: async (run) => {
      const { activityId } = await createActivity(admin, activityInput({ capacity: 1 }));
      await signUp(volunteer(`crash-first-${run}`), activityId);
      return { activityId, v: volunteer(`crash-wait-${run}`) };
    },
    act: ({ activityId, v }) => signUp(v, activityId),
    recover: async ({ activityId, v }) => {
      const resent = await signUp(v, activityId).catch(alreadySignedUp);
      if (resent) expect(resent).toMatchObject({ status: 'waitlisted', position: 1 });
    },
    check: async ({ activityId, v }) => {
      expect((await getSignup(activityId, v.userId))?.status).toBe('waitlisted');
      expect((await getActivity(activityId, true))!.waitPos).toEqual({ [v.userId]: 1 });
    },
  },
  {
    name: 'cancel a seat, and the waiter promoted',
    prepare: async (run) => {
      const { activityId } = await createActivity(admin, activityInput({ capacity: 1 }));
      const holder = volunteer(`crash-holder-${run}`);
      const waiter = volunteer(`crash-waiter-${run}`);
      await signUp(holder, activityId);
      await signUp(waiter, activityId);
      return { activityId, holder, waiter };
    },
    act: async ({ activityId, holder }) => {
      await cancelSignup(holder, activityId);
      await promoteWaiters(activityId);
    },
    recover: async ({ activityId, holder }) => {
      await cancelSignup(holder, activityId).catch(ignoreNotFound);
      await reconcileOutbox(new Date(), 0);
      await promoteWaiters(activityId);
    },
    check: async ({ activityId, holder, waiter }) => {
      expect((await getSignup(activityId, holder.userId))?.status).toBe('cancelled');
      expect((await getSignup(activityId, waiter.userId))?.status).toBe('offered');
      const a = (await getActivity(activityId, true))!;
      expect([a.confirmed, Object.keys(a.members), a.waitPos]).toEqual([1, [waiter.userId], {}]);
    },
  },
  {
    name: 'check in and check out',
    prepare: async (run) => {
      const a = await createActivity(admin, activityInput({ capacity: 5 }, 24, t0), t0);
      const v = volunteer(`crash-check-${run}`);
      await signUp(v, a.activityId, t0);
      return { a, v, start: new Date(a.startAt) };
    },
    act: async ({ a, v, start }) => {
      await checkIn(v, a.activityId, a.checkinCode, 'in', start);
      await checkIn(v, a.activityId, a.checkinCode, 'out', new Date(start.getTime() + 60 * 60_000));
    },
    recover: async ({ a, v, start }) => {
      // The phone resends both taps at once (the same moments as before).
      await checkIn(v, a.activityId, a.checkinCode, 'in', start);
      await checkIn(v, a.activityId, a.checkinCode, 'out', new Date(start.getTime() + 60 * 60_000));
    },
    check: async ({ a, v }) => {
      const s = (await getSignup(a.activityId, v.userId))!;
      expect([s.checkedInAt, s.minutes]).toEqual([a.startAt, 60]);
      expect(await myHours(v)).toMatchObject({ totalMinutes: 60, activities: 1 });
    },
  },
  {
    name: 'submit a request, and its routing',
    prepare: async (run) => ({ key: `crash-submit-${run}`, description: `第${run}次：楼道灯坏了，晚上看不见台阶` }),
    act: async (c) => {
      const q = await submitRequest(resident, { ...livelihood, description: c.description }, c.key);
      c.requestId = q.requestId;
      await routeRequest(q.requestId);
    },
    recover: async (c) => {
      const q = await submitRequest(resident, { ...livelihood, description: c.description }, c.key);
      c.requestId = q.requestId;
      await reconcileOutbox(new Date(), 0);
      await routeRequest(q.requestId);
    },
    check: async (c) => {
      // The resend found the request the dead process committed, or made it: one either way.
      expect((await submitRequest(resident, { ...livelihood, description: c.description }, c.key)).requestId).toBe(c.requestId);
      expect((await getRequest(c.requestId, true))!.status).toBe('assigned');
    },
  },
  {
    name: 'import a roster (three grids)',
    prepare: async (run) => ({ csv: demoRoster(6, { grids: 3, prefix: `K${run.replace(/\D/g, '').padStart(2, '0')}` }) }),
    act: ({ csv }) => importRoster(admin, csv),
    recover: ({ csv }) => importRoster(admin, csv),
    check: async ({ csv }) => {
      const ids = [...new Set((csv as string).trim().split('\n').slice(1).map((l) => l.split(',')[0]!))];
      expect((await getHouseholds(ids)).size).toBe(6);
      expect(await importRoster(admin, csv)).toMatchObject({ households: 6, unchanged: 6 });
    },
  },
  {
    name: 'an import job (three grids), resumed by the redelivery',
    prepare: async (run) => {
      const csv = demoRoster(6, { grids: 3, prefix: `L${run.replace(/\D/g, '').padStart(2, '0')}` });
      const job = await createRosterImport(admin, 'roster.csv');
      await s3().send(new PutObjectCommand({ Bucket: config().PHOTO_BUCKET, Key: job.upload.fields.key, Body: csv }));
      await startRosterImport(admin, job.importId);
      return { csv, importId: job.importId };
    },
    act: ({ importId }) => runRosterImport(importId),
    recover: async ({ importId }) => {
      await runRosterImport(importId);
      await reconcileOutbox(new Date(), 0);
    },
    check: async ({ csv, importId }) => {
      const ids = [...new Set((csv as string).trim().split('\n').slice(1).map((l) => l.split(',')[0]!))];
      expect((await getHouseholds(ids)).size).toBe(6);
      // Every chunk counted once, whichever run wrote it.
      expect(await readRosterImport(admin, importId)).toMatchObject({ status: 'done', households: 6, toWrite: 6, written: 6, created: 6, updated: 0, unchanged: 0 });
    },
  },
];

let plan: CrashPlan;
const walks: string[] = [];

beforeAll(async () => {
  await seedDemoData();
  plan = new CrashPlan(t.stack);
});
afterAll(() => {
  // The writes of each flow, for the note (what a crash can fall between).
  console.log(walks.join('\n'));
});

describe('a crash between any two writes', () => {
  for (const flow of flows) {
    it(`${flow.name}: recovers to the same end, and the figures and seats agree`, async () => {
      const clean = await flow.prepare('clean');
      plan.arm();
      try {
        await flow.act(clean);
      } finally {
        plan.restart();
      }
      const writes = [...plan.writes];
      await flow.check(clean);
      walks.push(`${flow.name}: ${writes.length} writes — ${writes.join(', ')}`);
      expect(writes.length).toBeGreaterThan(0);

      for (let k = 1; k <= writes.length; k++) {
        const c = await flow.prepare(`k${k}`);
        plan.arm(k);
        let died: unknown = null;
        try {
          await flow.act(c);
        } catch (err) {
          died = err;
        } finally {
          plan.restart();
        }
        // The crash happened (k is within the walk; writes in flight at once, as the import's
        // parallel chunks, may land beside the k-th); whatever the dead process threw is the crash.
        expect(plan.writes.length, `after write ${k}`).toBeGreaterThanOrEqual(k);
        if (died) expect(died, `after write ${k}`).toBeInstanceOf(InjectedCrash);
        await flow.recover(c);
        await flow.check(c);
        const { disagreements } = await recount();
        expect(disagreements, `${flow.name}, crashed after write ${k} (${writes[k - 1]})`).toEqual([]);
      }
    }, 240_000);
  }
});

describe('the recount of seats can fail', () => {
  it('names a seat held without its record (what a crash left before sign-up was one commit), and agrees again after the resend', async () => {
    const { activityId } = await createActivity(admin, activityInput({ capacity: 3 }));
    const v = volunteer('crash-stranded');
    expect((await takeSeat(activityId, v.userId, new Date().toISOString())).ok).toBe(true);
    expect((await recount()).disagreements).toEqual([{ partition: `SEATS#${activityId}`, row: v.userId, counter: 'seatRecorded', counted: 0, recomputed: 1 }]);
    expect((await signUp(v, activityId)).status).toBe('confirmed');
    expect((await recount()).disagreements).toEqual([]);
  });
});
