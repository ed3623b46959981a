import { beforeAll, describe, expect, it } from 'vitest';
import { roles, type Role } from '../../shared/auth/roles';
import type { RouteDefinition } from '../../shared/http/route';
import { routes } from '../../shared/routes';
import { seedDemoData } from '../../infra/local/seed';
import { tokenAs } from '../fixtures/principals';
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
}

const reveal = (userId: string): Request => ({
  method: 'POST',
  path: `/v1/users/${userId}/contact-reveals`,
  body: { field: 'phone', reason: '权限矩阵测试' },
});
const ownUserFor = (role: Role) =>
  // For scoped roles "own" is a resident of their grid/community; for the others their own record.
  ['grid_worker', 'community_staff', 'street_staff', 'admin'].includes(role) ? 'resident-1' : ({ resident: 'resident-1', volunteer: 'volunteer-1', legal_officer: 'legal-1', volunteer_lead: 'lead-T01', employer: 'employer-W01' } as Record<string, string>)[role]!;

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
    if (allowedByTable(route, role)) {
      expect([401, 403], `${route.id} as ${role}: ${JSON.stringify(own.body)}`).not.toContain(own.status);
      expect(own.status).toBeLessThan(500);
    } else {
      expect(own.status).toBe(role === 'anonymous' ? 401 : 403);
      expect(own.body.error.code).toBe(role === 'anonymous' ? 'UNAUTHENTICATED' : 'FORBIDDEN');
    }
    if (c.other && role !== 'anonymous' && allowedByTable(route, role)) {
      const other = await call(c.other(role));
      if (c.allowedOther?.includes(role)) expect(other.status).toBeLessThan(400);
      else {
        expect(other.status, `${route.id} as ${role} on another's resource`).toBe(403);
        expect(other.body.error.code).toBe('OUT_OF_SCOPE');
      }
    }
  });
});
