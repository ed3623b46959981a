import { beforeAll, describe, expect, it } from 'vitest';

import { seedDemoData } from '../../infra/local/seed';
import { ddb } from '../../shared/aws';
import { requestExport } from '../../shared/console/exports';
import { createRosterImport } from '../../shared/households/import-jobs';
import type { JobInput } from '../../shared/jobs/model';
import { apply, createJob } from '../../shared/jobs/use-cases';
import { applyForAid } from '../../shared/legal/aid-applications';
import { book, createSlot } from '../../shared/legal/consultations';
import { applyForMediation } from '../../shared/legal/mediation-application';
import { issueKey } from '../../shared/open311/api-keys';
import { fileRequest, jurisdictionId } from '../../shared/open311/use-cases';
import { routeRequest, submitRequest } from '../../shared/requests/use-cases';
import { routes } from '../../shared/routes';
import { beijingMonth } from '../../shared/time';
import { principalOf } from '../../shared/users/model';
import { getUser } from '../../shared/users/repository';
import { createActivity } from '../../shared/volunteers/use-cases';
import { activityInput } from '../fixtures/activities';
import { jobPosting } from '../fixtures/jobs';
import { tokenAs } from '../fixtures/principals';
import { livelihood } from '../fixtures/requests';
import { countDynamoCalls } from '../support/ddb-counter';
import { api, useTestStack } from '../support/stack';

/**
 * Every read route is one DynamoDB round trip (GetItem or Query) — or none. Counted on the real
 * client while the real handler serves the request through the local HTTP API.
 */
const t = useTestStack();
let requestId = '';
let tokens: Record<string, string> = {};
let jobId = '';
let activityId = '';
let exportId = '';
let importId = '';
let legalSlotId = '';
let open311Token = '';
let aidId = '';
let caseId = '';

/** The last hour, or since the start of this Beijing month if that is later: one month, one Query. */
function windowInThisMonth(): string {
  const now = new Date();
  const monthStart = new Date(`${beijingMonth(now)}-01T00:00:00+08:00`);
  return new Date(Math.max(now.getTime() - 3_600_000, monthStart.getTime())).toISOString();
}

beforeAll(async () => {
  await seedDemoData();
  requestId = (await submitRequest(principalOf((await getUser('resident-1'))!), livelihood, undefined)).requestId;
  await routeRequest(requestId);
  tokens = {
    resident: await tokenAs('resident', 'resident-1'),
    worker: await tokenAs('grid_worker'),
    street: await tokenAs('street_staff'),
    employer: await tokenAs('employer', 'employer-W01'),
    lead: await tokenAs('volunteer_lead', 'lead-T01'),
    admin: await tokenAs('admin'),
    legal: await tokenAs('legal_officer'),
  };
  jobId = (await createJob({ userId: 'employer-W01', roles: ['employer'], workshopId: 'W01' }, jobPosting() as unknown as JobInput)).jobId;
  await apply(principalOf((await getUser('resident-1'))!), jobId, undefined);
  const resident = { userId: 'resident-1', roles: ['resident' as const] };
  aidId = (await applyForAid(resident, { matter: 'wages', idNumber: '110101199003074514', situation: '在工地做了四个月，包工头拖欠工资两万元，多次讨要无果。', claim: '追回被拖欠的工资', photos: [] })).applicationId;
  caseId = (await applyForMediation(resident, { category: 'neighbour', facts: '楼上卫生间漏水把我家厨房吊顶泡坏了，对方不肯修也不肯赔。', claim: '请对方修好并赔偿', respondents: [{ name: '王建国' }] })).caseId;
  activityId = (await createActivity({ userId: 'admin-1', roles: ['admin'] }, activityInput())).activityId;
  open311Token = (await fileRequest(await issueKey({ partner: '往返测试', kind: 'partner', jurisdiction: jurisdictionId, perMinute: 600 }, 'admin-1'), { service_code: 'other', address_string: '安置区2栋', description: '往返测试：路灯不亮' }))[0]!.token;
  exportId = (await requestExport({ userId: 'street-1', roles: ['street_staff'] }, 'grids', undefined)).exportId;
  legalSlotId = (await createSlot({ userId: 'legal-1', roles: ['legal_officer'] }, { startAt: new Date(Date.now() + 2 * 86_400_000).toISOString(), endAt: new Date(Date.now() + 2 * 86_400_000 + 3600_000).toISOString(), mode: 'phone', place: '电话咨询', lawyerName: '陈律师', capacity: 3 })).slotId;
  await book({ userId: 'resident-1', roles: ['resident'] }, legalSlotId, { category: 'debt', description: '借给亲戚的钱要不回来' });
  importId = (await createRosterImport({ userId: 'street-1', roles: ['street_staff'] }, '花名册.csv')).importId;
});

const readCases: Record<string, { path: () => string; token?: string; expected: string[] }> = {
  getHealth: { path: () => '/health', expected: ['GetItemCommand'] },
  getOpenApi: { path: () => '/openapi.json', expected: [] },
  getAppConfig: { path: () => '/v1/app-config', expected: [] },
  // Open311: the catalogue is code; one request is its GetItem (the org tree cached); the list is
  // one Query per Beijing month of its window (here a window inside this month); a token is two
  // reads, the token then its request (routing, not the token, gives the id).
  getOpen311Document: { path: () => `/open311/v2/requests.json?start_date=${encodeURIComponent(windowInThisMonth())}`, expected: ['QueryCommand'] },
  getOpen311Service: { path: () => '/open311/v2/services/livelihood.json', expected: [] },
  getOpen311Request: { path: () => `/open311/v2/requests/${requestId}.json`, expected: ['GetItemCommand'] },
  getOpen311Token: { path: () => `/open311/v2/tokens/${open311Token}.json`, expected: ['GetItemCommand', 'GetItemCommand'] },
  getOpen311Keys: { path: () => '/v1/admin/open311-keys', token: 'admin', expected: ['QueryCommand'] },
  getMe: { path: () => '/v1/me', token: 'resident', expected: ['GetItemCommand'] },
  // The grid is cached per process (warm here after the seed's routing); its two workers in one batch.
  getMyGrid: { path: () => '/v1/me/grid', token: 'resident', expected: ['BatchGetItemCommand'] },
  getRequestTypes: { path: () => '/v1/request-types', expected: [] },
  getMyRequests: { path: () => '/v1/me/requests', token: 'resident', expected: ['QueryCommand'] },
  getRequestDetail: { path: () => `/v1/requests/${requestId}`, token: 'resident', expected: ['QueryCommand'] },
  getInbox: { path: () => '/v1/inbox', token: 'worker', expected: ['QueryCommand'] },
  getStats: { path: () => '/v1/stats?month=2026-11&by=grid', token: 'street', expected: ['QueryCommand'] },
  getJobs: { path: () => '/v1/jobs?employerKind=workshop&minSalary=3000', expected: ['QueryCommand'] },
  getEmployerJobs: { path: () => '/v1/employers/W01/jobs?status=draft', token: 'employer', expected: ['QueryCommand'] },
  getJob: { path: () => `/v1/jobs/${jobId}`, expected: ['GetItemCommand'] },
  getMyApplications: { path: () => '/v1/me/applications', token: 'resident', expected: ['QueryCommand'] },
  getGridHouseholds: { path: () => '/v1/grids/G001/households?colour=red', token: 'worker', expected: ['QueryCommand'] },
  getMyVisits: { path: () => '/v1/me/visits', token: 'worker', expected: ['QueryCommand'] },
  getActivities: { path: () => '/v1/activities?type=clinic', expected: ['QueryCommand'] },
  getActivity: { path: () => `/v1/activities/${activityId}`, token: 'resident', expected: ['BatchGetItemCommand'] },
  getMySignups: { path: () => '/v1/me/signups', token: 'resident', expected: ['QueryCommand'] },
  getTeamApplications: { path: () => '/v1/teams/T01/applications', token: 'lead', expected: ['QueryCommand'] },
  getMyNotifications: { path: () => '/v1/me/notifications', token: 'resident', expected: ['QueryCommand'] },
  getMyVolunteerHours: { path: () => '/v1/me/volunteer-hours', token: 'resident', expected: ['BatchGetItemCommand'] },
  getJobApplications: { path: () => `/v1/jobs/${jobId}/applications`, token: 'employer', expected: ['QueryCommand'] },
  // The console's panels issue their reads together: one round trip of latency each (order varies).
  getConsoleOverview: { path: () => '/v1/console/overview', token: 'street', expected: ['BatchGetItemCommand'] },
  getConsoleGrids: { path: () => '/v1/console/grids', token: 'street', expected: Array(4).fill('QueryCommand') },
  getConsoleGrid: { path: () => '/v1/console/grids/G001', token: 'street', expected: ['BatchGetItemCommand', 'BatchGetItemCommand', ...Array(4).fill('QueryCommand')] },
  // 12 months x (overall + 5 types + 8 communities) = 168 counter rows: two batches of at most 100.
  getConsoleTrends: { path: () => '/v1/console/trends', token: 'street', expected: ['BatchGetItemCommand', 'BatchGetItemCommand'] },
  getConsoleRequests: { path: () => '/v1/console/requests', token: 'street', expected: Array(3).fill('QueryCommand') },
  getExport: { path: () => `/v1/exports/${exportId}`, token: 'street', expected: ['GetItemCommand'] },
  // The job and its chunks' progress markers share a partition.
  // 法律咨询: the slots of two weeks in one Query of their feed; a slot with its bookings in one
  // Query of its partition (the read's audit entry is its one write); mine in one Query.
  getLegalSlots: { path: () => '/v1/legal/slots', token: 'resident', expected: ['QueryCommand'] },
  getLegalSlot: { path: () => `/v1/legal/slots/${legalSlotId}`, token: 'legal', expected: ['QueryCommand', 'PutItemCommand'] },
  getMyConsultations: { path: () => '/v1/me/consultations', token: 'resident', expected: ['QueryCommand'] },
  getLegalFigures: { path: () => '/v1/legal/figures', token: 'street', expected: ['GetItemCommand'] },
  getMyRosterImports: { path: () => '/v1/imports', token: 'street', expected: ['QueryCommand'] },
  getRosterImport: { path: () => `/v1/imports/${importId}`, token: 'street', expected: ['QueryCommand'] },
  // The household and its colour history share a partition; the grid (for the scope check) is cached.
  getHousehold: { path: () => '/v1/households/H000001', token: 'worker', expected: ['QueryCommand'] },
  // The legal centre's case files: mine one Query; the centre's list and a file one read plus its audit Put.
  getMyLegalAid: { path: () => '/v1/me/legal-aid', token: 'resident', expected: ['QueryCommand'] },
  getLegalAidList: { path: () => '/v1/legal/aid', token: 'legal', expected: ['QueryCommand', 'PutItemCommand'] },
  getLegalAid: { path: () => `/v1/legal/aid/${aidId}`, token: 'resident', expected: ['GetItemCommand', 'PutItemCommand'] },
  getMyMediations: { path: () => '/v1/me/mediations', token: 'resident', expected: ['QueryCommand'] },
  getMediations: { path: () => '/v1/legal/mediations', token: 'legal', expected: ['QueryCommand', 'PutItemCommand'] },
  getMediation: { path: () => `/v1/legal/mediations/${caseId}`, token: 'legal', expected: ['GetItemCommand', 'PutItemCommand'] },
};

describe('DynamoDB round trips per read route', () => {
  it('covers every GET route of the route table', () => {
    expect(Object.keys(readCases).sort()).toEqual(routes.filter((r) => r.method === 'GET').map((r) => r.id).sort());
  });

  it.each(Object.entries(readCases))('%s', async (_id, c) => {
    const counter = countDynamoCalls(ddb());
    await api(t.stack.apiUrl, 'GET', c.path(), { token: c.token ? tokens[c.token] : undefined }); // warm caches
    counter.reset();
    const res = await api(t.stack.apiUrl, 'GET', c.path(), { token: c.token ? tokens[c.token] : undefined });
    expect(res.status).toBe(200);
    expect(counter.calls.map((x) => x.command).sort()).toEqual([...c.expected].sort());
  });
});
