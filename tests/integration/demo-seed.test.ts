import { randomBytes } from 'node:crypto';

import { describe, expect, it } from 'vitest';

import { demoActivities, demoJobs } from '../../infra/local/demo-data';
import { ensureTable, localDynamoClient } from '../../infra/local/provision';
import { seedDemoData } from '../../infra/local/seed';
import { resetConfigForTests } from '../../shared/config';
import { apply, listJobs } from '../../shared/jobs/use-cases';
import { dayMs, hourMs } from '../../shared/time';
import { listUpcoming, signUp } from '../../shared/volunteers/use-cases';
import { useTestStack } from '../support/stack';

const t = useTestStack();

/**
 * The moments the demo data used to expire at (13:00–24:00 UTC, i.e. 21:00–08:00 Beijing), the
 * edges of both days, and the ends of a month and of a year in both zones.
 */
const moments = [
  '2027-03-15T00:30:00Z', // 08:30 Beijing
  '2027-03-15T12:59:00Z', // 20:59 Beijing
  '2027-03-15T13:01:00Z', // 21:01 Beijing — the first failing minute before the fix
  '2027-03-15T15:59:00Z', // 23:59 Beijing
  '2027-03-15T16:01:00Z', // 00:01 Beijing, the next day
  '2027-03-15T23:59:00Z', // 07:59 Beijing
  '2027-04-30T15:30:00Z', // the last evening of April in Beijing
  '2027-04-30T23:59:00Z', // the last minute of April in UTC, already 1 May in Beijing
  '2027-12-31T15:59:00Z', // 23:59 on New Year's Eve in Beijing
  '2027-12-31T16:01:00Z', // 00:01 on New Year's Day in Beijing, still 2027 in UTC
  '2027-12-31T23:59:00Z', // the last minute of the year in UTC
];

/** A fresh table on the run's DynamoDB Local for one seeding, so each moment seeds from nothing. */
async function freshTable(label: string): Promise<void> {
  const tableName = `${t.stack.tableName}-${label}-${randomBytes(2).toString('hex')}`;
  const client = localDynamoClient(t.stack.dynamoEndpoint);
  await ensureTable(client, tableName);
  client.destroy();
  process.env.TABLE_NAME = tableName;
  resetConfigForTests();
}

describe('the demo seed, with the clock fixed', () => {
  it('lays out activities from the first 09:00 Beijing that is a day away, deadlines at least 12 hours off', () => {
    for (const m of moments) {
      const now = new Date(m);
      const activities = demoActivities(now);
      const firstStart = Math.min(...activities.map((a) => Date.parse(a.startAt)));
      expect(firstStart - now.getTime(), m).toBeGreaterThanOrEqual(dayMs);
      expect(firstStart - now.getTime(), m).toBeLessThan(2 * dayMs);
      for (const a of activities) {
        expect(new Date(Date.parse(a.startAt) + 8 * hourMs).toISOString().slice(11, 16), m).toBe('09:00');
        expect(Date.parse(a.signupDeadline) - now.getTime(), m).toBeGreaterThanOrEqual(12 * hourMs);
      }
    }
    // 21:01 Beijing on 15 March: the first 09:00 a full day away is 17 March (16 March's is 12 hours off).
    expect(demoActivities(new Date('2027-03-15T13:01:00Z'))[0]!.startAt).toBe('2027-03-17T01:00:00.000Z');
    // 08:30 Beijing on 15 March: 16 March 09:00 is 24.5 hours away.
    expect(demoActivities(new Date('2027-03-15T00:30:00Z'))[0]!.startAt).toBe('2027-03-16T01:00:00.000Z');
  });

  it.each(moments)('seeds at %s: every activity is open for sign-up and every job is open', async (m) => {
    const now = new Date(m);
    await freshTable(m.slice(0, 16).replace(/[-:T]/g, ''));
    const seeded = await seedDemoData(now);
    expect(seeded.created).toBe(true);

    const activities = await listUpcoming({ limit: 100 }, now);
    expect(activities.items).toHaveLength(demoActivities(now).length);
    for (const a of activities.items) {
      expect(a.status).toBe('open');
      expect(Date.parse(a.signupDeadline)).toBeGreaterThan(now.getTime());
    }
    const first = activities.items[0]!;
    const signup = await signUp({ userId: 'volunteer-1', roles: ['volunteer', 'resident'] }, first.activityId, now);
    expect(signup.status).toBe('confirmed');

    const jobs = await listJobs({ limit: 100 });
    expect(jobs.items).toHaveLength(demoJobs(now).length);
    for (const j of jobs.items) {
      expect(j.status).toBe('open');
      expect(Date.parse(j.validThrough)).toBeGreaterThan(now.getTime());
    }
    const application = await apply({ userId: 'resident-1', roles: ['resident'] }, jobs.items[0]!.jobId, undefined, now);
    expect(application.status).toBe('submitted');
  });
});
