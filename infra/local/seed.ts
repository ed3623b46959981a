import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { ddb } from '../../shared/aws';
import { config } from '../../shared/config';
import { batchPut } from '../../shared/db/batch';
import { keys } from '../../shared/db/keys';
import { lookupHash, seal } from '../../shared/pii/crypto';
import { maskPhone } from '../../shared/pii/redact';
import { createJob } from '../../shared/jobs/use-cases';
import { createActivity } from '../../shared/volunteers/use-cases';
import { importRoster } from '../../shared/households/import';
import { demoActivities, demoEmployers, demoRoster, gridCount, demoJobs, demoOrganisation, demoTeams, demoUsers } from './demo-data';

const seedName = 'demo-v1';
const jobsSeedName = 'demo-jobs-v1';
const volunteeringSeedName = 'demo-volunteering-v1';
const householdsSeedName = 'demo-households-v1';

/**
 * Seeds the demo data once: the sub-district, its communities, 128 grids with two workers
 * each, and a user of every role. A marker item records that it was done, so a restart of
 * `npm start` (whose data survives) does not seed again.
 */
export async function seedDemoData(): Promise<{ created: boolean; summary: string }> {
  const base = await seedOrganisationAndUsers();
  const jobs = await seedJobs();
  const volunteers = await seedVolunteering();
  const households = await seedHouseholds();
  return {
    created: base.created || jobs.created || volunteers.created || households.created,
    summary: `${base.summary}, ${jobs.summary}, ${volunteers.summary}, ${households.summary}`,
  };
}

async function seedOrganisationAndUsers(): Promise<{ created: boolean; summary: string }> {
  const table = config().TABLE_NAME;
  const org = demoOrganisation();
  const users = demoUsers(org);
  const summary = `1 sub-district, ${org.communities.length} communities, ${org.grids.length} grids, ${users.length} users`;
  const marker = await ddb().send(new GetCommand({ TableName: table, Key: keys.seedMarker(seedName) }));
  if (marker.Item) return { created: false, summary };

  const now = new Date().toISOString();
  const items: Record<string, unknown>[] = [];
  const legalOfficerIds = users.filter((u) => u.roles.includes('legal_officer')).map((u) => u.userId);
  items.push({ ...keys.street(org.street.id), type: 'Street', ...org.street, streetId: org.street.id, legalOfficerIds, createdAt: now });
  for (const c of org.communities) {
    items.push({ ...keys.community(c.id), ...keys.communityInStreet(org.street.id, c.id), type: 'Community', ...c, streetId: org.street.id, createdAt: now });
  }
  for (const g of org.grids) {
    items.push({
      ...keys.grid(g.id),
      ...keys.gridInCommunity(g.communityId, g.id),
      type: 'Grid',
      id: g.id,
      gridId: g.id,
      name: g.name,
      communityId: g.communityId,
      streetId: org.street.id,
      workers: Object.fromEntries(g.workers.map((w) => [w.userId, w.workerType])),
      createdAt: now,
    });
  }
  for (const { phone, ...u } of users) {
    const contact = phone
      ? { phone: await seal(phone), phoneMasked: maskPhone(phone), ...keys.userByPhone(await lookupHash('phone', phone), u.userId) }
      : {};
    items.push({ ...keys.user(u.userId), type: 'User', ...u, ...contact, createdAt: now, updatedAt: now, version: 1 });
    items.push({ ...keys.openid(u.openid), type: 'OpenId', userId: u.userId, createdAt: now });
  }
  await batchPut(items);
  await ddb().send(new PutCommand({ TableName: table, Item: { ...keys.seedMarker(seedName), seededAt: now, summary } }));
  return { created: true, summary };
}

/** Employers and their open jobs, posted through the same use-case an employer uses. */
async function seedJobs(): Promise<{ created: boolean; summary: string }> {
  const table = config().TABLE_NAME;
  const employers = demoEmployers();
  const jobs = demoJobs();
  const summary = `${employers.length} employers, ${jobs.length} jobs`;
  const marker = await ddb().send(new GetCommand({ TableName: table, Key: keys.seedMarker(jobsSeedName) }));
  if (marker.Item) return { created: false, summary };
  const now = new Date().toISOString();
  await batchPut(employers.map((e) => ({ ...keys.employer(e.employerId), type: 'Employer', ...e, createdAt: now })));
  const admin = { userId: 'admin-1', roles: ['admin' as const] };
  for (const j of jobs) await createJob(admin, j);
  await ddb().send(new PutCommand({ TableName: table, Item: { ...keys.seedMarker(jobsSeedName), seededAt: now, summary } }));
  return { created: true, summary };
}

/** Teams and a week of activities, created through the volunteer lead's use-case. */
async function seedVolunteering(): Promise<{ created: boolean; summary: string }> {
  const table = config().TABLE_NAME;
  const teams = demoTeams();
  const activities = demoActivities();
  const summary = `${teams.length} volunteer teams, ${activities.length} activities`;
  const marker = await ddb().send(new GetCommand({ TableName: table, Key: keys.seedMarker(volunteeringSeedName) }));
  if (marker.Item) return { created: false, summary };
  const now = new Date().toISOString();
  await batchPut(teams.map((t) => ({ ...keys.team(t.teamId), type: 'Team', teamId: t.teamId, name: t.name, createdAt: now })));
  const admin = { userId: 'admin-1', roles: ['admin' as const] };
  for (const a of activities) await createActivity(admin, a);
  await ddb().send(new PutCommand({ TableName: table, Item: { ...keys.seedMarker(volunteeringSeedName), seededAt: now, summary } }));
  return { created: true, summary };
}

/** Two households in every grid, imported through the roster import like a real file. */
async function seedHouseholds(): Promise<{ created: boolean; summary: string }> {
  const table = config().TABLE_NAME;
  const marker = await ddb().send(new GetCommand({ TableName: table, Key: keys.seedMarker(householdsSeedName) }));
  const summary = `${gridCount * 2} households`;
  if (marker.Item) return { created: false, summary };
  await importRoster({ userId: 'admin-1', roles: ['admin'] }, demoRoster(gridCount * 2));
  await ddb().send(new PutCommand({ TableName: table, Item: { ...keys.seedMarker(householdsSeedName), seededAt: new Date().toISOString(), summary } }));
  return { created: true, summary };
}
