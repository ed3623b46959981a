import { beforeAll, describe, expect, it } from 'vitest';

import { demoRoster, demoUsers } from '../../infra/local/demo-data';
import { seedDemoData } from '../../infra/local/seed';
import { type Role,roles } from '../../shared/auth/roles';
import { consoleRoles } from '../../shared/auth/roles';
import { startSession } from '../../shared/auth/sessions';
import { requestExport } from '../../shared/console/exports';
import { createConsoleLogin } from '../../shared/console/logins';
import { createRosterImport } from '../../shared/households/import-jobs';
import { myVisits, planVisits } from '../../shared/households/use-cases';
import type { RouteDefinition } from '../../shared/http/route';
import type { JobInput } from '../../shared/jobs/model';
import { apply, createJob } from '../../shared/jobs/use-cases';
import { applyForAid } from '../../shared/legal/aid-applications';
import { decideAid } from '../../shared/legal/aid-decisions';
import { book, createSlot } from '../../shared/legal/consultations';
import { draftAgreement } from '../../shared/legal/mediation-agreement';
import { applyForMediation } from '../../shared/legal/mediation-application';
import { confirmAgreement, consentToMediation, decideMediation } from '../../shared/legal/mediation-cases';
import type { SlotInput } from '../../shared/legal/model';
import { issueKey } from '../../shared/open311/api-keys';
import { fileRequest, jurisdictionId } from '../../shared/open311/use-cases';
import { routeRequest, type SubmitInput,submitRequest } from '../../shared/requests/use-cases';
import { routes } from '../../shared/routes';
import { principalOf } from '../../shared/users/model';
import { getUser } from '../../shared/users/repository';
import { applyToTeam } from '../../shared/volunteers/applications';
import { createActivity, signUp } from '../../shared/volunteers/use-cases';
import { activityInput } from '../fixtures/activities';
import { jobPosting } from '../fixtures/jobs';
import { seededUserFor, tokenAs } from '../fixtures/principals';
import { legalAid, livelihood } from '../fixtures/requests';
import { api, useTestStack } from '../support/stack';

/**
 * Every route of the route table x every role (and no token) x own/other's resource. The cases
 * are keyed by route id: a route added to the table without a case here fails the first test.
 *
 * `own` is a resource within the caller's reach (their own record, their grid, their
 * community); `other` one outside it. `allowedOther` lists the roles whose scope covers both.
 */
interface Request {
  method: string;
  path: string;
  body?: unknown;
  /** A form-encoded body (Open311) instead of JSON. */
  form?: [string, string][];
}
interface Case {
  own: (role: Role) => Request;
  other?: (role: Role) => Request;
  allowedOther?: readonly Role[];
  /** Where a role the table lets in is still refused by the use-case (status and code). */
  ownRefused?: Partial<Record<Role, [number, string]>>;
  /** For an allowed read of another's resource: what must hold of the answer (nothing leaked). */
  otherCheck?: (role: Role, body: any) => boolean;
  /** How another's resource is refused, when not 403 OUT_OF_SCOPE (e.g. 404: existence hidden). */
  otherRefused?: (role: Role) => [number, string];
}

const reveal = (userId: string): Request => ({
  method: 'POST',
  path: `/v1/users/${userId}/contact-reveals`,
  body: { field: 'phone', reason: '权限矩阵测试' },
});
const ownUserFor = (role: Role) =>
  // For scoped roles "own" is a resident of their grid/community; for the others their own record.
  ['grid_worker', 'community_staff', 'street_staff', 'admin'].includes(role) ? 'resident-1' : ({ resident: 'resident-1', volunteer: 'volunteer-1', legal_officer: 'legal-1', volunteer_lead: 'lead-T01', employer: 'employer-W01' } as Record<string, string>)[role]!;

const acts = { open: '', cancel: '' };
const refreshPool: string[] = [];
const visits = { g001: '' };
const jobs = { w01: '', w05: '', apps: { resident: '', volunteer: '', w01: '', w05: '' } };
const moveApp = (id: string, status: string): Request => ({ method: 'PATCH', path: `/v1/applications/${encodeURIComponent(id)}`, body: { status } });

/** Requests made in beforeAll: one per role's reach, and one outside every grid-level scope. */
const req: { byRole: Partial<Record<Role, string>>; other: string } = { byRole: {}, other: '' };
const requestFor = (role: Role) => req.byRole[role] ?? req.byRole.resident!;
const comment = (id: string): Request => ({ method: 'POST', path: `/v1/requests/${id}/actions`, body: { action: 'comment', text: '权限矩阵测试' } });

const cases: Record<string, Case> = {
  getHealth: { own: () => ({ method: 'GET', path: '/health' }) },
  getOpenApi: { own: () => ({ method: 'GET', path: '/openapi.json' }) },
  getAppConfig: { own: () => ({ method: 'GET', path: '/v1/app-config' }) },
  // Open311: public documents (a partner's key decides what it may file and see, not a role).
  getOpen311Document: { own: () => ({ method: 'GET', path: '/open311/v2/services.json' }) },
  getOpen311Service: { own: () => ({ method: 'GET', path: '/open311/v2/services/livelihood.json' }) },
  getOpen311Request: { own: () => ({ method: 'GET', path: `/open311/v2/requests/${req.byRole.resident}.json` }) },
  getOpen311Token: { own: () => ({ method: 'GET', path: `/open311/v2/tokens/${open311.token}.json` }) },
  postOpen311Request: {
    own: () => ({
      method: 'POST',
      path: '/open311/v2/requests.json',
      form: [['api_key', open311.apiKey], ['service_code', 'other'], ['address_string', '安置区1栋'], ['description', '权限矩阵测试：楼下有人占道经营']],
    }),
  },
  postOpen311Key: { own: () => ({ method: 'POST', path: '/v1/admin/open311-keys', body: { partner: '权限矩阵测试' } }) },
  getOpen311Keys: { own: () => ({ method: 'GET', path: '/v1/admin/open311-keys' }) },
  deleteOpen311Key: { own: () => ({ method: 'DELETE', path: `/v1/admin/open311-keys/${open311.revokableKeyId}` }) },
  postAuthWechat: { own: () => ({ method: 'POST', path: '/v1/auth/wechat', body: { code: 'dev:matrix-user' } }) },
  // Each call spends one refresh token (they are single use): one per role from the pool.
  postAuthRefresh: { own: () => ({ method: 'POST', path: '/v1/auth/refresh', body: { refreshToken: refreshPool.pop() } }) },
  getMe: { own: () => ({ method: 'GET', path: '/v1/me' }) },
  getMyGrid: { own: () => ({ method: 'GET', path: '/v1/me/grid' }) },
  postTeamApplication: {
    own: () => ({ method: 'POST', path: '/v1/teams/T01/applications', body: { skills: [], availability: '周末上午' } }),
    // Roles that are volunteers already are told so; the first applicant wins, later ones have applied.
    ownRefused: { volunteer: [409, 'ALREADY_VOLUNTEER'] },
  },
  getTeamApplications: {
    own: () => ({ method: 'GET', path: '/v1/teams/T01/applications' }),
    other: () => ({ method: 'GET', path: '/v1/teams/T02/applications' }),
    allowedOther: ['admin'],
    otherRefused: () => [403, 'NOT_YOUR_TEAM'],
  },
  postTeamApplicationDecision: {
    own: () => ({ method: 'POST', path: '/v1/teams/T01/applications/resident-19/decision', body: { decision: 'decline', reason: '权限矩阵测试' } }),
    other: () => ({ method: 'POST', path: '/v1/teams/T02/applications/resident-19/decision', body: { decision: 'decline', reason: '权限矩阵测试' } }),
    allowedOther: ['admin'],
    otherRefused: () => [403, 'NOT_YOUR_TEAM'],
  },
  getMyNotifications: { own: () => ({ method: 'GET', path: '/v1/me/notifications' }) },
  postNotificationsRead: { own: () => ({ method: 'POST', path: '/v1/me/notifications/read' }) },
  patchMe: { own: () => ({ method: 'PATCH', path: '/v1/me', body: { name: '测试' } }) },
  postRoleChange: {
    own: () => ({ method: 'POST', path: '/v1/users/resident-5/role-changes', body: { action: 'grant', role: 'volunteer', reason: '权限矩阵测试' } }),
  },
  postContactReveal: {
    own: (role) => reveal(ownUserFor(role)),
    // resident-20 lives in G020, community C02: outside G001 and C01.
    other: () => reveal('resident-20'),
    allowedOther: ['street_staff', 'admin'],
  },
  getRequestTypes: { own: () => ({ method: 'GET', path: '/v1/request-types' }) },
  postRequest: {
    own: () => ({ method: 'POST', path: '/v1/requests', body: { typeCode: 'other', description: '权限矩阵测试提交', fields: {} } }),
  },
  postUpload: { own: () => ({ method: 'POST', path: '/v1/uploads', body: { contentType: 'image/jpeg' } }) },
  getMyRequests: { own: () => ({ method: 'GET', path: '/v1/me/requests' }) },
  getRequestDetail: {
    own: (role) => ({ method: 'GET', path: `/v1/requests/${requestFor(role)}` }),
    other: () => ({ method: 'GET', path: `/v1/requests/${req.other}` }),
    allowedOther: ['street_staff', 'admin'],
    otherRefused: () => [404, 'REQUEST_NOT_FOUND'],
  },
  postRequestAction: {
    own: (role) => comment(requestFor(role)),
    other: () => comment(req.other),
    // Reading is not handling: the community, the sub-district and the admin see a grid-level
    // request but act on it only once it is escalated to them.
    ownRefused: { community_staff: [403, 'NOT_HANDLER'], street_staff: [403, 'NOT_HANDLER'], admin: [403, 'NOT_HANDLER'] },
    otherRefused: (role) => (['street_staff', 'admin'].includes(role) ? [403, 'NOT_HANDLER'] : [404, 'REQUEST_NOT_FOUND']),
  },
  getInbox: { own: () => ({ method: 'GET', path: '/v1/inbox' }) },
  getActivities: { own: () => ({ method: 'GET', path: '/v1/activities' }) },
  getActivity: { own: () => ({ method: 'GET', path: `/v1/activities/${acts.open}` }) },
  postActivity: { own: () => ({ method: 'POST', path: '/v1/activities', body: activityInput({ teamId: 'T01' }) }) },
  postSignup: { own: () => ({ method: 'POST', path: `/v1/activities/${acts.open}/signups` }) },
  deleteMySignup: { own: () => ({ method: 'DELETE', path: `/v1/activities/${acts.cancel}/signups/me` }) },
  postCheckin: { own: () => ({ method: 'POST', path: `/v1/activities/${acts.cancel}/checkins`, body: { code: 'ZZZZ', kind: 'in' } }) },
  getMySignups: { own: () => ({ method: 'GET', path: '/v1/me/signups' }) },
  postHouseholdImport: { own: () => ({ method: 'POST', path: '/v1/households/import', body: { csv: demoRoster(1, { prefix: 'M' }) } }) },
  getGridHouseholds: {
    own: () => ({ method: 'GET', path: '/v1/grids/G001/households' }),
    other: () => ({ method: 'GET', path: '/v1/grids/G020/households' }),
    allowedOther: ['street_staff', 'admin'],
  },
  patchHousehold: {
    own: () => ({ method: 'PATCH', path: '/v1/households/H000001', body: { memberTags: [{ personId: 'H000001-1', tags: ['elderly_alone'] }], reason: '权限矩阵测试' } }),
    other: () => ({ method: 'PATCH', path: '/v1/households/H000020', body: { memberTags: [{ personId: 'H000020-1', tags: ['elderly_alone'] }], reason: '权限矩阵测试' } }),
    allowedOther: ['street_staff', 'admin'],
  },
  getMyVisits: { own: () => ({ method: 'GET', path: '/v1/me/visits' }) },
  postVisitLog: { own: () => ({ method: 'POST', path: `/v1/visits/${visits.g001}/log`, body: { notes: '权限矩阵测试走访' } }) },
  getMyVolunteerHours: { own: () => ({ method: 'GET', path: '/v1/me/volunteer-hours' }) },
  getJobs: { own: () => ({ method: 'GET', path: '/v1/jobs' }) },
  getJob: { own: () => ({ method: 'GET', path: `/v1/jobs/${jobs.w01}` }) },
  getEmployerJobs: {
    own: () => ({ method: 'GET', path: '/v1/employers/W01/jobs' }),
    other: () => ({ method: 'GET', path: '/v1/employers/W05/jobs' }),
    allowedOther: ['admin'],
    otherRefused: () => [403, 'NOT_YOUR_EMPLOYER'],
  },
  postJob: { own: () => ({ method: 'POST', path: '/v1/jobs', body: jobPosting({ employerId: 'W01' }) }) },
  patchJob: {
    own: () => ({ method: 'PATCH', path: `/v1/jobs/${jobs.w01}`, body: { contact: '车间主任 李老师' } }),
    other: () => ({ method: 'PATCH', path: `/v1/jobs/${jobs.w05}`, body: { contact: '车间主任 李老师' } }),
    allowedOther: ['admin'],
    otherRefused: () => [404, 'JOB_NOT_FOUND'],
  },
  postApplication: { own: () => ({ method: 'POST', path: `/v1/jobs/${jobs.w01}/applications`, body: {} }) },
  getMyApplications: { own: () => ({ method: 'GET', path: '/v1/me/applications' }) },
  getJobApplications: {
    own: () => ({ method: 'GET', path: `/v1/jobs/${jobs.w01}/applications` }),
    // Another employer's job: its applications are not in this employer's key space (empty list).
    other: () => ({ method: 'GET', path: `/v1/jobs/${jobs.w05}/applications` }),
    allowedOther: ['admin', 'employer'],
    otherCheck: (role, body) => role !== 'employer' || body.items.length === 0,
  },
  patchApplication: {
    own: (role) =>
      role === 'employer' || role === 'admin'
        ? moveApp(jobs.apps.w01, 'viewed')
        : moveApp(role === 'volunteer' ? jobs.apps.volunteer : jobs.apps.resident, 'withdrawn'),
    other: () => moveApp(jobs.apps.w05, 'viewed'),
    allowedOther: ['admin'],
    // Only the applicant and the job's employer know an application exists.
    ownRefused: Object.fromEntries(
      (['grid_worker', 'community_staff', 'street_staff', 'legal_officer', 'volunteer_lead'] as const).map((r) => [r, [404, 'APPLICATION_NOT_FOUND']]),
    ),
    otherRefused: () => [404, 'APPLICATION_NOT_FOUND'],
  },
  getStats: { own: () => ({ method: 'GET', path: '/v1/stats?month=2026-11' }) },
  postConsoleLogin: { own: () => ({ method: 'POST', path: '/v1/console/logins' }) },
  postConsoleLoginPoll: { own: () => ({ method: 'POST', path: `/v1/console/logins/${consoleLogins.pending.loginId}/poll`, body: { pollSecret: consoleLogins.pending.pollSecret } }) },
  // Each allowed role approves a login of its own (a login is approved once).
  postConsoleLoginApproval: { own: (role) => ({ method: 'POST', path: `/v1/console/logins/${consoleLogins.byRole[role]}/approval` }) },
  ...Object.fromEntries(
    (['getConsoleOverview', 'getConsoleTrends', 'getConsoleRequests', 'getConsoleGrids'] as const).map((id) => {
      const path = { getConsoleOverview: '/v1/console/overview', getConsoleTrends: '/v1/console/trends', getConsoleRequests: '/v1/console/requests', getConsoleGrids: '/v1/console/grids' }[id];
      const c: Case = {
        own: () => ({ method: 'GET', path }),
        other: () => ({ method: 'GET', path: `${path}?scope=community:C02` }),
        allowedOther: ['street_staff', 'legal_officer', 'admin'],
        // A grid has no grid map of its own: the map needs a community or the sub-district.
        ...(id === 'getConsoleGrids' ? { ownRefused: { grid_worker: [403, 'SCOPE_TOO_NARROW'] as [number, string] } } : {}),
      };
      return [id, c];
    }),
  ),
  // Outside the caller's scope a household does not exist for them (404).
  getHousehold: {
    own: () => ({ method: 'GET', path: '/v1/households/H000001' }),
    other: () => ({ method: 'GET', path: '/v1/households/H000017' }),
    allowedOther: ['street_staff', 'admin'],
    otherRefused: () => [404, 'HOUSEHOLD_NOT_FOUND'],
  },
  // 代办 for a member of a household of the worker's grid; another grid's household is hidden (404).
  postRequestOnBehalf: {
    own: () => ({ method: 'POST', path: '/v1/households/H000001/requests', body: { ...livelihood, personId: 'H000001-1' } }),
    other: () => ({ method: 'POST', path: '/v1/households/H000002/requests', body: { ...livelihood, personId: 'H000002-1' } }),
    otherRefused: () => [404, 'HOUSEHOLD_NOT_FOUND'],
  },
  postExport: {
    own: () => ({ method: 'POST', path: '/v1/exports', body: { kind: 'requests' } }),
    other: () => ({ method: 'POST', path: '/v1/exports', body: { kind: 'requests', scope: 'community:C02' } }),
    allowedOther: ['street_staff', 'legal_officer', 'admin'],
  },
  // Each staff role reads its own export; another's is hidden (404), as if it did not exist.
  getExport: {
    own: (role) => ({ method: 'GET', path: `/v1/exports/${exportsByRole[role] ?? exportsByRole.street_staff}` }),
    other: (role) => ({ method: 'GET', path: `/v1/exports/${role === 'street_staff' ? exportsByRole.admin : exportsByRole.street_staff}` }),
    otherRefused: () => [404, 'EXPORT_NOT_FOUND'],
  },
  postRosterImport: { own: () => ({ method: 'POST', path: '/v1/imports', body: { fileName: '花名册.csv' } }) },
  // Each staff role starts and reads its own import; another's is hidden (404). Its file never
  // arrived, so starting it is refused with what to do.
  postRosterImportStart: {
    own: (role) => ({ method: 'POST', path: `/v1/imports/${importsByRole[role] ?? importsByRole.street_staff}/start` }),
    other: (role) => ({ method: 'POST', path: `/v1/imports/${role === 'street_staff' ? importsByRole.admin : importsByRole.street_staff}/start` }),
    ownRefused: { admin: [409, 'IMPORT_NOT_UPLOADED'], street_staff: [409, 'IMPORT_NOT_UPLOADED'], community_staff: [409, 'IMPORT_NOT_UPLOADED'] },
    otherRefused: () => [404, 'IMPORT_NOT_FOUND'],
  },
  getMyRosterImports: { own: () => ({ method: 'GET', path: '/v1/imports' }) },
  getRosterImport: {
    own: (role) => ({ method: 'GET', path: `/v1/imports/${importsByRole[role] ?? importsByRole.street_staff}` }),
    other: (role) => ({ method: 'GET', path: `/v1/imports/${role === 'street_staff' ? importsByRole.admin : importsByRole.street_staff}` }),
    otherRefused: () => [404, 'IMPORT_NOT_FOUND'],
  },
  // 法律咨询: residents and volunteers book; the centre's officers publish, read a slot's bookings
  // and record; figures for the sub-district too.
  postLegalSlot: { own: () => ({ method: 'POST', path: '/v1/legal/slots', body: legalSlotBody(5) }) },
  getLegalSlots: { own: () => ({ method: 'GET', path: '/v1/legal/slots' }) },
  getLegalSlot: { own: () => ({ method: 'GET', path: `/v1/legal/slots/${legal.open}` }) },
  postLegalBooking: { own: () => ({ method: 'POST', path: `/v1/legal/slots/${legal.open}/bookings`, body: { category: 'labour', description: '权限矩阵测试：咨询欠薪' } }) },
  deleteMyLegalBooking: { own: () => ({ method: 'DELETE', path: `/v1/legal/slots/${legal.cancel}/bookings/me` }) },
  postLegalBookingMove: { own: () => ({ method: 'POST', path: `/v1/legal/slots/${legal.moveFrom}/bookings/me/move`, body: { toSlotId: legal.moveTo } }) },
  postLegalRecord: { own: () => ({ method: 'POST', path: `/v1/legal/slots/${legal.started}/bookings/${seededUserFor.resident}/record`, body: { attended: false } }) },
  getMyConsultations: { own: () => ({ method: 'GET', path: '/v1/me/consultations' }) },
  getLegalFigures: { own: () => ({ method: 'GET', path: '/v1/legal/figures' }) },
  // 法律援助: residents and volunteers apply and read their own (another's is hidden: 404); the
  // centre's officers read every application and decide; the sub-district sees figures only.
  postLegalAid: { own: () => ({ method: 'POST', path: '/v1/legal/aid', body: aidBody }) },
  getMyLegalAid: { own: () => ({ method: 'GET', path: '/v1/me/legal-aid' }) },
  getLegalAidList: { own: () => ({ method: 'GET', path: '/v1/legal/aid?status=submitted' }) },
  getLegalAid: {
    own: (role) => ({ method: 'GET', path: `/v1/legal/aid/${role === 'volunteer' ? aid.volunteer : aid.resident}` }),
    other: () => ({ method: 'GET', path: `/v1/legal/aid/${aid.other}` }),
    allowedOther: ['legal_officer'],
    otherRefused: () => [404, 'LEGAL_AID_NOT_FOUND'],
  },
  postLegalAidDecision: { own: () => ({ method: 'POST', path: `/v1/legal/aid/${aid.toDecide}/decision`, body: { decision: 'accept', lawyerName: '陈明', lawFirm: '新城法律援助工作站' } }) },
  postLegalAidClosure: { own: () => ({ method: 'POST', path: `/v1/legal/aid/${aid.toClose}/closure`, body: { result: 'settled', note: '权限矩阵测试：和解结案' } }) },
  // 人民调解: the parties, a mediator with an account (cs-C01 here) and the centre's officers read a
  // case; anyone else is answered 404, as if it did not exist. The officers run it.
  postMediation: { own: () => ({ method: 'POST', path: '/v1/legal/mediations', body: mediationBody() }) },
  getMyMediations: { own: () => ({ method: 'GET', path: '/v1/me/mediations' }) },
  getMediations: { own: () => ({ method: 'GET', path: '/v1/legal/mediations?status=applied' }) },
  getMediation: {
    own: (role) => ({ method: 'GET', path: `/v1/legal/mediations/${role === 'volunteer' ? med.volunteer : med.resident}` }),
    ownRefused: Object.fromEntries((['grid_worker', 'street_staff', 'volunteer_lead', 'employer', 'admin'] as const).map((r) => [r, [404, 'MEDIATION_NOT_FOUND']])),
    other: () => ({ method: 'GET', path: `/v1/legal/mediations/${med.other}` }),
    allowedOther: ['legal_officer'],
    otherRefused: () => [404, 'MEDIATION_NOT_FOUND'],
  },
  postMediationConsent: {
    own: (role) =>
      role === 'legal_officer'
        ? { method: 'POST', path: `/v1/legal/mediations/${med.consentOfficer}/consent`, body: { partyId: 'B1' } }
        : { method: 'POST', path: `/v1/legal/mediations/${role === 'volunteer' ? med.consentVolunteer : med.consentResident}/consent`, body: {} },
    other: () => ({ method: 'POST', path: `/v1/legal/mediations/${med.other}/consent`, body: {} }),
    allowedOther: [],
    otherRefused: (role) => (role === 'legal_officer' ? [400, 'VALIDATION_FAILED'] : [404, 'MEDIATION_NOT_FOUND']),
  },
  postMediationDecision: { own: () => ({ method: 'POST', path: `/v1/legal/mediations/${med.toAccept}/decision`, body: { accept: true, mediators: [{ name: '李调解' }] } }) },
  postMediationSession: {
    own: () => ({ method: 'POST', path: `/v1/legal/mediations/${med.accepted}/sessions`, body: { at: new Date().toISOString(), place: '社区人民调解室', attendees: '双方当事人', record: '权限矩阵测试：双方陈述了纠纷经过，同意继续协商赔偿金额。' } }),
  },
  postMediationAgreement: { own: () => ({ method: 'POST', path: `/v1/legal/mediations/${med.accepted}/agreement`, body: agreementBody }) },
  postMediationConfirm: {
    own: (role) =>
      role === 'legal_officer'
        ? { method: 'POST', path: `/v1/legal/mediations/${med.agreedOfficer}/agreement/confirm`, body: { partyId: 'B1' } }
        : { method: 'POST', path: `/v1/legal/mediations/${role === 'volunteer' ? med.agreedVolunteer : med.agreedResident}/agreement/confirm`, body: {} },
  },
  postMediationFailure: { own: () => ({ method: 'POST', path: `/v1/legal/mediations/${med.toFail}/failure`, body: { reason: '权限矩阵测试：被申请人拒不到场', referredTo: '可以向人民法院起诉' } }) },
  postMediationFollowUp: { own: () => ({ method: 'POST', path: `/v1/legal/mediations/${med.settled}/follow-ups`, body: { performed: 'performed', note: '权限矩阵测试：已履行' } }) },
  getConsoleGrid: {
    own: () => ({ method: 'GET', path: '/v1/console/grids/G001' }),
    other: () => ({ method: 'GET', path: '/v1/console/grids/G017' }),
    allowedOther: ['street_staff', 'legal_officer', 'admin'],
  },
};
const exportsByRole: Partial<Record<Role, string>> = {};
const importsByRole: Partial<Record<Role, string>> = {};
const legal = { open: '', cancel: '', moveFrom: '', moveTo: '', started: '' };
const legalSlotBody = (days: number) => {
  const start = new Date(Date.now() + days * 86_400_000);
  return { startAt: start.toISOString(), endAt: new Date(start.getTime() + 3600_000).toISOString(), mode: 'in_person', place: '街道公共法律服务中心', lawyerName: '陈律师', capacity: 10 };
};
const open311 = { apiKey: '', token: '', revokableKeyId: '' };
const aidBody = { matter: 'wages', idNumber: '110101199003074514', situation: '权限矩阵测试：在工地做了四个月，包工头拖欠工资两万元。', claim: '追回被拖欠的工资' };
const aid = { resident: '', volunteer: '', other: '', toDecide: '', toClose: '' };
const mediationBody = (phone?: string) => ({ category: 'neighbour', facts: '权限矩阵测试：楼上卫生间漏水把我家厨房吊顶泡坏了，对方不肯修。', claim: '请对方修好并赔偿', respondents: [{ name: '王建国', ...(phone ? { phone } : {}) }] });
const agreementBody = { facts: '权限矩阵测试：楼上漏水致楼下吊顶损坏，双方协商未果。', dispute: '维修和赔偿，由楼上住户负责。', obligations: [{ partyId: 'B1', what: '赔偿吊顶损失八百元', how: '微信转账', by: '2099-12-31' }] };
const med = { resident: '', volunteer: '', other: '', consentResident: '', consentVolunteer: '', consentOfficer: '', toAccept: '', accepted: '', agreedResident: '', agreedVolunteer: '', agreedOfficer: '', toFail: '', settled: '' };
const consoleLogins = { pending: { loginId: '', pollSecret: '' }, byRole: {} as Partial<Record<Role, string>> };

function allowedByTable(route: RouteDefinition, role: Role | 'anonymous'): boolean {
  if (route.access === 'public') return true;
  if (role === 'anonymous') return false;
  if (route.access === 'authenticated') return true;
  return route.access.includes(role);
}

const t = useTestStack();
const tokens = {} as Record<Role, string>;

beforeAll(async () => {
  await seedDemoData();
  for (const role of roles) tokens[role] = await tokenAs(role);
  for (let i = 0; i <= roles.length; i++) refreshPool.push((await startSession('resident-2')).refreshToken);
  // Applications for the leads to decide: one in their team, one in another.
  for (const team of ['T01', 'T02']) await applyToTeam({ userId: 'resident-19', roles: ['resident'] }, team, { skills: [], availability: '周末' });
  const submitAs = async (userId: string, body: SubmitInput = livelihood) => {
    const { requestId } = await submitRequest(principalOf((await getUser(userId))!), body, undefined);
    await routeRequest(requestId);
    return requestId;
  };
  req.byRole.resident = await submitAs(seededUserFor.resident);
  for (const role of ['volunteer', 'volunteer_lead', 'employer'] as const) req.byRole[role] = await submitAs(seededUserFor[role]);
  req.byRole.legal_officer = await submitAs(seededUserFor.resident, legalAid);
  req.other = await submitAs('resident-20');

  const admin = { userId: 'admin-1', roles: ['admin' as const] };
  jobs.w01 = (await createJob(admin, { ...(jobPosting() as unknown as JobInput), employerId: 'W01' })).jobId;
  jobs.w05 = (await createJob(admin, { ...(jobPosting() as unknown as JobInput), employerId: 'W05' })).jobId;
  const applyAs = async (userId: string, jobId: string) => (await apply(principalOf((await getUser(userId))!), jobId, undefined)).applicationId;
  jobs.apps.resident = await applyAs('resident-1', jobs.w05);
  jobs.apps.volunteer = await applyAs('volunteer-1', jobs.w05);
  jobs.apps.w01 = await applyAs('resident-6', jobs.w01);
  jobs.apps.w05 = await applyAs('resident-7', jobs.w05);

  acts.open = (await createActivity(admin, activityInput({ capacity: 100 }))).activityId;
  acts.cancel = (await createActivity(admin, activityInput({ capacity: 100 }))).activityId;
  await signUp(principalOf((await getUser(seededUserFor.volunteer))!), acts.cancel);

  for (const role of consoleRoles) exportsByRole[role] = (await requestExport(principalOf((await getUser(seededUserFor[role]))!), 'requests', undefined)).exportId;
  for (const role of ['admin', 'street_staff', 'community_staff'] as const) importsByRole[role] = (await createRosterImport(principalOf((await getUser(seededUserFor[role]))!), '花名册.csv')).importId;
  const officer = { userId: 'legal-1', roles: ['legal_officer' as const] };
  const slot = async (days: number, now = new Date()) => (await createSlot(officer, legalSlotBody(days) as SlotInput, now)).slotId;
  [legal.open, legal.cancel, legal.moveFrom, legal.moveTo] = [await slot(2), await slot(3), await slot(4), await slot(6)];
  // A slot under way (published and booked an hour before it began), for the lawyer to record.
  const earlier = new Date(Date.now() - 3600_000);
  legal.started = (await createSlot(officer, { ...(legalSlotBody(0) as SlotInput), startAt: new Date(Date.now() - 60_000).toISOString(), endAt: new Date(Date.now() + 3600_000).toISOString() }, earlier)).slotId;
  await book({ userId: seededUserFor.resident, roles: ['resident'] }, legal.started, { category: 'debt', description: '权限矩阵测试：借款不还' }, earlier);
  for (const who of ['resident', 'volunteer'] as const) {
    for (const s of [legal.cancel, legal.moveFrom]) await book({ userId: seededUserFor[who], roles: [who] }, s, { category: 'family', description: '权限矩阵测试：赡养纠纷' });
  }
  // The legal centre's case files, one per role's reach.
  const who = (userId: string, role: 'resident' | 'volunteer') => ({ userId, roles: [role] });
  const phoneOf = (userId: string) => demoUsers().find((u) => u.userId === userId)!.phone!;
  const applyAid = async (userId: string, role: 'resident' | 'volunteer' = 'resident') => (await applyForAid(who(userId, role), { ...aidBody, photos: [] } as never)).applicationId;
  [aid.resident, aid.volunteer, aid.other, aid.toDecide, aid.toClose] = [await applyAid('resident-1'), await applyAid('volunteer-1', 'volunteer'), await applyAid('resident-20'), await applyAid('resident-2'), await applyAid('resident-3')];
  await decideAid(officer, aid.toClose, { decision: 'accept', lawyerName: '陈明', lawFirm: '新城法律援助工作站' });
  const newCase = async (userId: string, role: 'resident' | 'volunteer' = 'resident', phone?: string) => (await applyForMediation(who(userId, role), mediationBody(phone) as never)).caseId;
  const accepted = async (userId: string, role: 'resident' | 'volunteer' = 'resident') => {
    const id = await newCase(userId, role);
    await consentToMediation(officer, id, 'B1');
    await decideMediation(officer, id, { accept: true, mediators: [{ name: '社区张主任', userId: 'cs-C01' }] });
    return id;
  };
  const agreed = async (userId: string, role: 'resident' | 'volunteer' = 'resident') => {
    const id = await accepted(userId, role);
    await draftAgreement(officer, id, agreementBody as never);
    return id;
  };
  med.resident = await accepted('resident-1');
  med.volunteer = await newCase('volunteer-1', 'volunteer');
  med.other = await newCase('resident-20');
  med.consentResident = await newCase('resident-20', 'resident', phoneOf('resident-1'));
  med.consentVolunteer = await newCase('resident-20', 'resident', phoneOf('volunteer-1'));
  med.consentOfficer = await newCase('resident-20');
  med.toAccept = await newCase('resident-2');
  await consentToMediation(officer, med.toAccept, 'B1');
  med.accepted = await accepted('resident-3');
  [med.agreedResident, med.agreedVolunteer, med.agreedOfficer] = [await agreed('resident-1'), await agreed('volunteer-1', 'volunteer'), await agreed('resident-4')];
  med.toFail = await accepted('resident-5');
  med.settled = await agreed('resident-6');
  await confirmAgreement(who('resident-6', 'resident'), med.settled, undefined);
  await confirmAgreement(officer, med.settled, 'B1');
  consoleLogins.pending = await createConsoleLogin();
  for (const role of roles) consoleLogins.byRole[role] = (await createConsoleLogin()).loginId;

  const key = await issueKey({ partner: '权限矩阵测试', kind: 'partner', jurisdiction: jurisdictionId, perMinute: 600 }, 'admin-1');
  open311.apiKey = key.apiKey;
  open311.token = (await fileRequest(key, { service_code: 'other', address_string: '安置区2栋', description: '权限矩阵测试：路灯不亮' }))[0]!.token;
  open311.revokableKeyId = (await issueKey({ partner: '待吊销', kind: 'partner', jurisdiction: jurisdictionId, perMinute: 60 }, 'admin-1')).keyId;

  await planVisits(new Date(), { gridIds: ['G001'] });
  for (const w of ['gw-G001-ft', 'gw-G001-pt']) {
    visits.g001 ||= (await myVisits({ userId: w, roles: ['grid_worker'], gridId: 'G001' }, 1, undefined)).items[0]?.visitId ?? '';
  }
});

it('has a case for every route in the route table', () => {
  expect(Object.keys(cases).sort()).toEqual(routes.map((r) => r.id).sort());
});

describe.each(routes.map((r) => [r.id, r] as const))('%s', (_id, route) => {
  it.each([...roles, 'anonymous' as const])('as %s', async (role) => {
    const c = cases[route.id]!;
    const token = role === 'anonymous' ? undefined : tokens[role];
    const call = (req: Request) =>
      api(t.stack.apiUrl, req.method, req.path, req.form ? { token, rawBody: new URLSearchParams(req.form).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } } : { body: req.body, token });
    const own = await call(c.own(role === 'anonymous' ? 'resident' : role));
    const refused = role === 'anonymous' ? undefined : c.ownRefused?.[role];
    if (allowedByTable(route, role) && refused) {
      expect([own.status, own.body.error?.code], `${route.id} as ${role}`).toEqual(refused);
    } else if (allowedByTable(route, role)) {
      expect([401, 403, 404], `${route.id} as ${role}: ${JSON.stringify(own.body)}`).not.toContain(own.status);
      expect(own.status).toBeLessThan(500);
    } else {
      expect(own.status).toBe(role === 'anonymous' ? 401 : 403);
      expect(own.body.error.code).toBe(role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    }
    if (c.other && role !== 'anonymous' && allowedByTable(route, role)) {
      const other = await call(c.other(role));
      if (c.allowedOther?.includes(role)) {
        expect(other.status).toBeLessThan(400);
        if (c.otherCheck) expect(c.otherCheck(role, other.body), `${route.id} as ${role}: ${JSON.stringify(other.body)}`).toBe(true);
      }
      else {
        const [status, code] = c.otherRefused?.(role) ?? [403, 'OUT_OF_SCOPE'];
        expect([other.status, other.body.error?.code], `${route.id} as ${role} on another's resource`).toEqual([status, code]);
      }
    }
  });
});

/** Every list route (its query takes `cursor`), with a role that may call it and its own request. */
const listRoutes = routes
  .filter((r) => !!(r.query as unknown as { shape?: Record<string, unknown> } | undefined)?.shape?.cursor)
  .map((route) => {
    const role: Role | 'anonymous' = route.access === 'public' ? 'anonymous' : roles.find((r) => allowedByTable(route, r) && !cases[route.id]!.ownRefused?.[r])!;
    // The path is built in the test: the resources it names are made in beforeAll.
    return { route, role, path: () => cases[route.id]!.own(role === 'anonymous' ? 'resident' : role).path };
  });
const withQuery = (path: string, q: string) => `${path}${path.includes('?') ? '&' : '?'}${q}`;
const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
/** Tallies of hostile cursors sent and the statuses they got, for the issue note. */
const cursorFuzz: Record<string, number> = {};

describe('pagination cursors are sealed and bound to the route, the caller and the query', () => {
  it('covers the list routes', () => {
    expect(listRoutes.map((l) => l.route.id).sort()).toEqual(
      [
        'getActivities',
        'getEmployerJobs',
        'getGridHouseholds',
        'getInbox',
        'getJobApplications',
        'getJobs',
        'getLegalAidList',
        'getLegalSlots',
        'getMediations',
        'getMyApplications',
        'getMyConsultations',
        'getMyLegalAid',
        'getMyMediations',
        'getMyNotifications',
        'getMyRequests',
        'getMySignups',
        'getMyVisits',
        'getTeamApplications',
      ],
    );
  });

  it.each(listRoutes.map((l) => [l.route.id, l] as const))('%s refuses every cursor it did not issue', async (_id, route) => {
    const l = { ...route, path: route.path() };
    const token = l.role === 'anonymous' ? undefined : tokens[l.role];
    const get = (path: string, as = token) => api(t.stack.apiUrl, 'GET', path, { token: as });
    const first = await get(withQuery(l.path, 'limit=1'));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const real: string | null = first.body.nextCursor;

    const hostile = [
      'e30', // base64 of {}
      b64(JSON.stringify({ pk: 'USER#admin-1', sk: 'META' })), // another partition's keys
      b64('{"__proto__":{"polluted":true},"pk":"x"}'),
      b64('[1,2,3]'),
      'not base64 at all!',
      'A'.repeat(2000),
      // a cursor this service issued, but for another (public) route
      (await get(l.route.id === 'getJobs' ? '/v1/activities?limit=1' : '/v1/jobs?limit=1', undefined)).body.nextCursor as string,
    ];
    if (real) {
      hostile.push(real.slice(0, -2) + (real.endsWith('AA') ? 'BB' : 'AA')); // tampered
      hostile.push(real.slice(0, 30)); // truncated
    }
    for (const cursor of hostile) {
      const res = await get(withQuery(l.path, `limit=1&cursor=${encodeURIComponent(cursor)}`));
      cursorFuzz[res.status] = (cursorFuzz[res.status] ?? 0) + 1;
      expect([res.status, res.body.error?.code], `${l.route.id} with ${cursor.slice(0, 40)}`).toEqual([400, 'INVALID_CURSOR']);
      expect(res.body.error.message).toBe('翻页参数无效，请从第一页重新加载');
    }
    if (!real) return;
    // The cursor works for the caller and query it was issued for, whatever the page size …
    const next = await get(withQuery(l.path, `limit=5&cursor=${encodeURIComponent(real)}`));
    expect(next.status).toBe(200);
    // … but not for another caller, nor with other filters.
    const otherCaller = l.role === 'anonymous' ? tokens.resident : l.role === 'admin' ? undefined : tokens.admin;
    if (otherCaller !== undefined || l.role === 'admin') {
      const stolen = await get(withQuery(l.path, `limit=1&cursor=${encodeURIComponent(real)}`), otherCaller);
      if (stolen.status !== 401 && stolen.status !== 403) expect([stolen.status, stolen.body.error?.code]).toEqual([400, 'INVALID_CURSOR']);
    }
    const refiltered = await get(withQuery(l.path, `limit=1&zzExtra=1&cursor=${encodeURIComponent(real)}`));
    expect([refiltered.status, refiltered.body.error?.code]).toEqual([400, 'INVALID_CURSOR']);
  });

  it('answered every hostile cursor with 400 (tally)', () => {
    console.info(`hostile cursors: ${JSON.stringify(cursorFuzz)} over ${listRoutes.length} list routes`);
    expect(Object.keys(cursorFuzz)).toEqual(['400']);
  });
});
