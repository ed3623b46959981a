import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';

import { ddb } from '../../shared/aws';
import { config } from '../../shared/config';
import { batchPut } from '../../shared/db/batch';
import { keys } from '../../shared/db/keys';
import { backfillHardshipMarkers, importRoster } from '../../shared/households/import';
import { createJob } from '../../shared/jobs/use-cases';
import { applyForAid } from '../../shared/legal/aid-applications';
import { decideAid } from '../../shared/legal/aid-decisions';
import { createSlot } from '../../shared/legal/consultations';
import { draftAgreement } from '../../shared/legal/mediation-agreement';
import { applyForMediation } from '../../shared/legal/mediation-application';
import { confirmAgreement, consentToMediation, decideMediation, recordSession } from '../../shared/legal/mediation-cases';
import { lookupHash, seal } from '../../shared/pii/crypto';
import { maskPhone } from '../../shared/pii/redact';
import { createActivity } from '../../shared/volunteers/use-cases';
import { demoActivities, demoAidApplications, demoEmployers, demoJobs, demoLegalSlots, demoMediations, demoOrganisation, demoRoster, demoTeams, demoUsers, gridCount } from './demo-data';

const admin = { userId: 'admin-1', roles: ['admin' as const] };

/**
 * Runs one part of the seed unless its marker says it was done: a restart of `npm start` (whose
 * data survives) seeds nothing twice, and a part added later still lands in an existing store.
 */
export async function seedOnce(name: string, summary: string, now: Date, write: (at: string) => Promise<void>): Promise<{ created: boolean; summary: string }> {
  const table = config().TABLE_NAME;
  const marker = await ddb().send(new GetCommand({ TableName: table, Key: keys.seedMarker(name) }));
  if (marker.Item) return { created: false, summary };
  await write(now.toISOString());
  await ddb().send(new PutCommand({ TableName: table, Item: { ...keys.seedMarker(name), seededAt: now.toISOString(), summary } }));
  return { created: true, summary };
}

/**
 * The demo data: the sub-district, its communities, 128 grids with two workers each, a user of
 * every role, employers and jobs, volunteer teams and activities, and two households per grid —
 * each written through the same use-cases the API uses where there is one. Every time in it is
 * counted from `now` (the tests fix it), so the data is valid whenever it is written.
 */
export async function seedDemoData(now = new Date()): Promise<{ created: boolean; summary: string }> {
  const parts = [await seedOrganisationAndUsers(now), await seedJobs(now), await seedVolunteering(now), await seedHouseholds(now), await seedHardshipMarkers(now), await seedLegal(now), await seedLegalCases(now)];
  return { created: parts.some((p) => p.created), summary: parts.map((p) => p.summary).join(', ') };
}

function seedOrganisationAndUsers(at: Date) {
  const org = demoOrganisation();
  const users = demoUsers(org);
  const summary = `1 sub-district, ${org.communities.length} communities, ${org.grids.length} grids, ${users.length} users`;
  return seedOnce('demo-v1', summary, at, async (now) => {
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
  });
}

/** Employers and their open jobs, posted through the same use-case an employer uses. */
function seedJobs(at: Date) {
  const employers = demoEmployers();
  const jobs = demoJobs(at);
  return seedOnce('demo-jobs-v1', `${employers.length} employers, ${jobs.length} jobs`, at, async (now) => {
    await batchPut(employers.map((e) => ({ ...keys.employer(e.employerId), type: 'Employer', ...e, createdAt: now })));
    for (const j of jobs) await createJob(admin, j, at);
  });
}

/** Teams and a week of activities, created through the volunteer lead's use-case. */
function seedVolunteering(at: Date) {
  const teams = demoTeams();
  const activities = demoActivities(at);
  return seedOnce('demo-volunteering-v1', `${teams.length} volunteer teams, ${activities.length} activities`, at, async (now) => {
    await batchPut(teams.map((t) => ({ ...keys.team(t.teamId), type: 'Team', teamId: t.teamId, name: t.name, createdAt: now })));
    for (const a of activities) await createActivity(admin, a, at);
  });
}

/** The duty lawyers' consultation slots of the next two weeks, published as a legal officer does. */
function seedLegal(at: Date) {
  const slots = demoLegalSlots(at);
  return seedOnce('demo-legal-v1', `${slots.length} consultation slots`, at, async () => {
    for (const s of slots) await createSlot({ userId: 'legal-1', roles: ['legal_officer'] }, s, at);
  });
}

/** A store seeded before the roster wrote 低保/特困 markers gets them (a fresh one already has them: put again, harmlessly). */
function seedHardshipMarkers(at: Date) {
  return seedOnce('demo-hardship-markers-v1', 'hardship markers', at, async () => {
    await backfillHardshipMarkers();
  });
}

/**
 * The legal centre's case files (after the roster: one applicant is a 低保 household member):
 * applications to decide and one aided, and mediation cases at each stage — one waiting for the
 * other side's consent, one under way with a session, one agreement to confirm (its PDF printed),
 * one settled — each made through the same use-cases the API uses.
 */
function seedLegalCases(at: Date) {
  const aid = demoAidApplications();
  const cases = demoMediations(at);
  return seedOnce('demo-legal-cases-v1', `${aid.length} legal-aid applications, ${cases.length} mediation cases`, at, async () => {
    const officer = { userId: 'legal-1', roles: ['legal_officer' as const] };
    const phoneOf = (userId: string) => demoUsers().find((u) => u.userId === userId)?.phone;
    for (const a of aid) {
      const created = await applyForAid({ userId: a.userId, roles: ['resident'] }, a.input, undefined, at);
      if (a.decision) await decideAid(officer, created.applicationId, a.decision, at);
    }
    for (const m of cases) {
      const respondents = m.respondents.map((r) => ({ name: r.name, ...(r.userId ? { phone: phoneOf(r.userId) } : {}) }));
      const { caseId } = await applyForMediation({ userId: m.userId, roles: ['resident'] }, { ...m.input, respondents }, undefined, at);
      if (m.stage === 'applied') continue;
      await consentToMediation(officer, caseId, 'B1', at);
      await decideMediation(officer, caseId, { accept: true, mediators: m.mediators }, at);
      if (m.session) await recordSession(officer, caseId, { ...m.session, at: at.toISOString() }, at);
      if (m.stage === 'accepted') continue;
      await draftAgreement(officer, caseId, m.agreement!, at);
      if (m.stage === 'agreed') continue;
      await confirmAgreement({ userId: m.userId, roles: ['resident'] }, caseId, undefined, at);
      await confirmAgreement(officer, caseId, 'B1', at);
    }
  });
}

/** Two households in every grid, imported through the roster import like a real file. */
function seedHouseholds(at: Date) {
  return seedOnce('demo-households-v1', `${gridCount * 2} households`, at, async () => {
    await importRoster(admin, demoRoster(gridCount * 2), at);
  });
}
