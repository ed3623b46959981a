import { beforeAll, describe, expect, it } from 'vitest';
import { roles, type Role } from '../../shared/auth/roles';
import type { RouteDefinition } from '../../shared/http/route';
import { routes } from '../../shared/routes';
import { seedDemoData } from '../../infra/local/seed';
import { seededUserFor, tokenAs } from '../fixtures/principals';
import { legalAid, livelihood } from '../fixtures/requests';
import { routeRequest, submitRequest, type SubmitInput } from '../../shared/requests/use-cases';
import { getUser } from '../../shared/users/repository';
import { principalOf } from '../../shared/users/model';
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
}
interface Case {
  own: (role: Role) => Request;
  other?: (role: Role) => Request;
  allowedOther?: readonly Role[];
  /** Where a role the table lets in is still refused by the use-case (status and code). */
  ownRefused?: Partial<Record<Role, [number, string]>>;
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

/** Requests made in beforeAll: one per role's reach, and one outside every grid-level scope. */
const req: { byRole: Partial<Record<Role, string>>; other: string } = { byRole: {}, other: '' };
const requestFor = (role: Role) => req.byRole[role] ?? req.byRole.resident!;
const comment = (id: string): Request => ({ method: 'POST', path: `/v1/requests/${id}/actions`, body: { action: 'comment', text: '权限矩阵测试' } });

const cases: Record<string, Case> = {
  getHealth: { own: () => ({ method: 'GET', path: '/health' }) },
  getOpenApi: { own: () => ({ method: 'GET', path: '/openapi.json' }) },
  postAuthWechat: { own: () => ({ method: 'POST', path: '/v1/auth/wechat', body: { code: 'dev:matrix-user' } }) },
  getMe: { own: () => ({ method: 'GET', path: '/v1/me' }) },
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
  getStats: { own: () => ({ method: 'GET', path: '/v1/stats?month=2026-11' }) },
};

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
  const submitAs = async (userId: string, body: SubmitInput = livelihood) => {
    const { requestId } = await submitRequest(principalOf((await getUser(userId))!), body, undefined);
    await routeRequest(requestId);
    return requestId;
  };
  req.byRole.resident = await submitAs(seededUserFor.resident);
  for (const role of ['volunteer', 'volunteer_lead', 'employer'] as const) req.byRole[role] = await submitAs(seededUserFor[role]);
  req.byRole.legal_officer = await submitAs(seededUserFor.resident, legalAid);
  req.other = await submitAs('resident-20');
});

it('has a case for every route in the route table', () => {
  expect(Object.keys(cases).sort()).toEqual(routes.map((r) => r.id).sort());
});

describe.each(routes.map((r) => [r.id, r] as const))('%s', (_id, route) => {
  it.each([...roles, 'anonymous' as const])('as %s', async (role) => {
    const c = cases[route.id]!;
    const token = role === 'anonymous' ? undefined : tokens[role];
    const call = (req: Request) => api(t.stack.apiUrl, req.method, req.path, { body: req.body, token });
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
      if (c.allowedOther?.includes(role)) expect(other.status).toBeLessThan(400);
      else {
        const [status, code] = c.otherRefused?.(role) ?? [403, 'OUT_OF_SCOPE'];
        expect([other.status, other.body.error?.code], `${route.id} as ${role} on another's resource`).toEqual([status, code]);
      }
    }
  });
});
