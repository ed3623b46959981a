import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { SignJWT } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';

import { demoUsers } from '../../infra/local/demo-data';
import { seedDemoData } from '../../infra/local/seed';
import { issueToken } from '../../shared/auth/tokens';
import { ddb } from '../../shared/aws';
import { config } from '../../shared/config';
import { keys } from '../../shared/db/keys';
import { tokenAs } from '../fixtures/principals';
import { countDynamoCalls } from '../support/ddb-counter';
import { useTestStack } from '../support/stack';

const t = useTestStack();
const call = t.call;

beforeAll(async () => {
  await seedDemoData();
});

async function rawItem(key: Record<string, string>) {
  return (await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: key }))).Item;
}
async function auditsOf(targetType: string, targetId: string) {
  const out = await ddb().send(
    new QueryCommand({
      TableName: config().TABLE_NAME,
      IndexName: 'byLookup',
      KeyConditionExpression: 'lookupPk = :p',
      ExpressionAttributeValues: { ':p': keys.auditByTargetPartition(targetType, targetId) },
    }),
  );
  return out.Items ?? [];
}

describe('POST /v1/auth/wechat', () => {
  it('logs a seeded user in with their roles and scope', async () => {
    const res = await call('POST', '/v1/auth/wechat', { body: { code: 'dev:dev-gw-G001-ft' } });
    expect(res.status).toBe(200);
    expect(res.body.user).toEqual({
      userId: 'gw-G001-ft',
      name: demoUsers().find((u) => u.userId === 'gw-G001-ft')!.name,
      roles: ['grid_worker'],
      gridId: 'G001',
      communityId: 'C01',
      streetId: 'S01',
      workerType: 'full_time',
      phoneMasked: expect.stringMatching(/^139\*{4}\d{4}$/),
    });
    const me = await call('GET', '/v1/me', { token: res.body.token });
    expect(me.status).toBe(200);
    expect(me.body.userId).toBe('gw-G001-ft');
    const ttl = (Date.parse(res.body.expiresAt) - Date.now()) / 1000;
    expect(ttl).toBeGreaterThan(890);
    expect(ttl).toBeLessThanOrEqual(900);
  });

  it('creates a first-time user as a resident, exactly once under concurrent logins', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => call('POST', '/v1/auth/wechat', { body: { code: 'dev:brand-new-openid' } })));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const ids = new Set(results.map((r) => r.body.user.userId));
    expect(ids.size).toBe(1);
    expect(results[0]!.body.user.roles).toEqual(['resident']);
    const claim = await rawItem(keys.openid('brand-new-openid'));
    expect(claim?.userId).toBe([...ids][0]);
  });

  it('refuses a code that is not a dev code with a Chinese message', async () => {
    const res = await call('POST', '/v1/auth/wechat', { body: { code: 'garbage' } });
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({ code: 'WECHAT_CODE_INVALID', message: '微信登录凭证无效，请重新进入小程序', details: [] });
  });
});

describe('tokens', () => {
  it('refuses tampered, expired, wrongly signed and malformed tokens with 401', async () => {
    const good = (await issueToken({ userId: 'resident-1', roles: ['resident'] })).token;
    const [h, p, s] = good.split('.');
    const elevated = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), roles: ['admin'] })).toString('base64url');
    const tampered = `${h}.${elevated}.${s}`;
    const expired = (await issueToken({ userId: 'resident-1', roles: ['resident'] }, new Date(Date.now() - 3 * 3600_000))).token;
    const foreign = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('admin-1')
      .setIssuer('anzhi')
      .setAudience('anzhi-api')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('a-different-secret-a-different-secret'));
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${p}.`;

    expect((await call('GET', '/v1/me', { token: good })).status).toBe(200);
    const cases = { tampered, expired, foreign, unsigned, malformed: 'not-a-jwt' };
    const codes: Record<string, [number, string]> = {};
    for (const [name, token] of Object.entries(cases)) {
      const res = await call('GET', '/v1/me', { token });
      codes[name] = [res.status, res.body.error.code];
    }
    expect(codes).toEqual({
      tampered: [401, 'TOKEN_INVALID'],
      expired: [401, 'TOKEN_EXPIRED'],
      foreign: [401, 'TOKEN_INVALID'],
      unsigned: [401, 'TOKEN_INVALID'],
      malformed: [401, 'TOKEN_INVALID'],
    });
  });
});

describe('sessions: short access tokens, rotating refresh tokens, revocation', () => {
  const signIn = async (openid: string) => (await call('POST', '/v1/auth/wechat', { body: { code: `dev:${openid}` } })).body;

  it('signs in with a 15-minute access token and a refresh token that rotates on every use', async () => {
    const first = await signIn('dev-resident-11');
    expect(Date.parse(first.expiresAt) - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(Date.parse(first.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect(first.refreshToken).toMatch(/^[0-9A-Z]{26}\.1\.[A-Za-z0-9_-]{43}$/);
    const second = await call('POST', '/v1/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect(second.status).toBe(200);
    expect(second.body.user.userId).toBe('resident-11');
    expect(second.body.refreshToken).toMatch(/\.2\./);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect((await call('GET', '/v1/me', { token: second.body.token })).status).toBe(200);
    // Stored as a hash only.
    const stored = await rawItem(keys.session(first.refreshToken.split('.')[0]));
    expect(JSON.stringify(stored)).not.toContain(second.body.refreshToken.split('.')[2]);
  });

  it('ends the whole session when a retired refresh token comes back (a copy is in someone else\'s hands)', async () => {
    const first = await signIn('dev-resident-12');
    const second = (await call('POST', '/v1/auth/refresh', { body: { refreshToken: first.refreshToken } })).body;
    const replay = await call('POST', '/v1/auth/refresh', { body: { refreshToken: first.refreshToken } });
    expect([replay.status, replay.body.error.code]).toEqual([401, 'REFRESH_TOKEN_REUSED']);
    const legit = await call('POST', '/v1/auth/refresh', { body: { refreshToken: second.refreshToken } });
    expect([legit.status, legit.body.error.code]).toEqual([401, 'REFRESH_TOKEN_INVALID']);
    for (const bad of ['x', `${second.refreshToken}x`, second.refreshToken.replace(/\.3\./, '.9.')]) {
      const res = await call('POST', '/v1/auth/refresh', { body: { refreshToken: bad } });
      expect([res.status, res.body.error.code]).toEqual([401, 'REFRESH_TOKEN_INVALID']);
    }
  });

  it('refuses the old token on the very next request after a role is revoked; the refreshed token has the new roles', async () => {
    const admin = await tokenAs('admin');
    await call('POST', '/v1/users/resident-13/role-changes', { token: admin, body: { action: 'grant', role: 'employer', workshopId: 'W03', reason: '车间负责人' } });
    const employer = await signIn('dev-resident-13');
    expect((await call('GET', '/v1/employers/W03/jobs', { token: employer.token })).status).toBe(200);
    const revoke = await call('POST', '/v1/users/resident-13/role-changes', { token: admin, body: { action: 'revoke', role: 'employer', reason: '离职' } });
    expect(revoke.status).toBe(200);
    const stale = await call('GET', '/v1/employers/W03/jobs', { token: employer.token });
    expect([stale.status, stale.body.error.code]).toEqual([401, 'TOKEN_REVOKED']);
    const post = await call('POST', '/v1/jobs', { token: employer.token, body: { title: 'x' } });
    expect(post.status).toBe(401);
    const refreshed = (await call('POST', '/v1/auth/refresh', { body: { refreshToken: employer.refreshToken } })).body;
    expect(refreshed.user.roles).toEqual(['resident']);
    const now = await call('GET', '/v1/employers/W03/jobs', { token: refreshed.token });
    expect(now.status).toBe(403);
  });

  it('requires exp, iat, iss and aud', async () => {
    const secret = new TextEncoder().encode(process.env.JWT_SECRET!);
    const base = () => new SignJWT({ roles: ['resident'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('resident-1');
    const variants = {
      noExp: await base().setIssuer('anzhi').setAudience('anzhi-api').setIssuedAt().sign(secret),
      noIat: await base().setIssuer('anzhi').setAudience('anzhi-api').setExpirationTime('10m').sign(secret),
      noIss: await base().setAudience('anzhi-api').setIssuedAt().setExpirationTime('10m').sign(secret),
      noAud: await base().setIssuer('anzhi').setIssuedAt().setExpirationTime('10m').sign(secret),
      complete: await base().setIssuer('anzhi').setAudience('anzhi-api').setIssuedAt().setExpirationTime('10m').sign(secret),
    };
    const statuses = Object.fromEntries(await Promise.all(Object.entries(variants).map(async ([k, token]) => [k, (await call('GET', '/v1/me', { token })).status])));
    expect(statuses).toEqual({ noExp: 401, noIat: 401, noIss: 401, noAud: 401, complete: 200 });
  });

  it('adds no database read to an authenticated request (the revocation list is cached per process)', async () => {
    const token = await tokenAs('resident');
    await call('GET', '/v1/request-types', { token }); // warms the cache
    const counter = countDynamoCalls(ddb());
    try {
      for (let i = 0; i < 20; i++) expect((await call('GET', '/v1/request-types', { token })).status).toBe(200);
      // At most one refresh of the list if the 5-second window happened to turn over.
      expect(counter.calls.length).toBeLessThanOrEqual(1);
    } finally {
      counter.detach();
    }
  });
});

describe('GET /v1/me/grid: my grid workers, to call', () => {
  it('names the resident\'s grid and its two workers, full-time first, with the numbers to call', async () => {
    const res = await call('GET', '/v1/me/grid', { token: await tokenAs('resident', 'resident-2') });
    expect(res.status).toBe(200);
    const users = demoUsers();
    const ft = users.find((u) => u.userId === 'gw-G002-ft')!;
    const pt = users.find((u) => u.userId === 'gw-G002-pt')!;
    expect(res.body).toEqual({
      grid: { gridId: 'G002', name: '幸福社区第2网格' },
      workers: [
        { userId: 'gw-G002-ft', name: ft.name, role: '专职网格员', phone: ft.phone },
        { userId: 'gw-G002-pt', name: pt.name, role: '兼职网格员', phone: pt.phone },
      ],
    });
  });

  it('answers no grid for someone who belongs to none', async () => {
    const res = await call('GET', '/v1/me/grid', { token: await tokenAs('employer') });
    expect(res.body).toEqual({ grid: null, workers: [] });
  });
});

describe('PATCH /v1/me', () => {
  it('stores the phone number sealed with a lookup hash and answers it masked', async () => {
    const token = await tokenAs('resident', 'resident-3');
    const res = await call('PATCH', '/v1/me', { token, body: { phone: '13800138000', name: '李桂兰' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ userId: 'resident-3', name: '李桂兰', phoneMasked: '138****8000' });
    const item = await rawItem(keys.user('resident-3'));
    expect(JSON.stringify(item)).not.toContain('13800138000');
    expect(item?.phone).toEqual({ k: expect.any(String), c: expect.any(String) });
    expect(item?.lookupPk).toMatch(/^PHONE#[A-Za-z0-9_-]{43}$/);
  });

  it('names the bad field when the phone number is malformed', async () => {
    const token = await tokenAs('resident', 'resident-3');
    const res = await call('PATCH', '/v1/me', { token, body: { phone: '12345' } });
    expect(res.status).toBe(400);
    expect(res.body.error.details).toEqual([{ field: 'body.phone', reason: 'invalid_format', message: '请填写 11 位手机号码' }]);
  });
});

describe('contact reveals', () => {
  it('shows the number to the grid worker of the resident and writes an audit record', async () => {
    const residentToken = await tokenAs('resident', 'resident-1');
    await call('PATCH', '/v1/me', { token: residentToken, body: { phone: '13700001111' } });
    const before = (await auditsOf('user', 'resident-1')).length;
    const res = await call('POST', '/v1/users/resident-1/contact-reveals', { token: await tokenAs('grid_worker'), body: { field: 'phone', reason: '上门走访' } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ userId: 'resident-1', field: 'phone', value: '13700001111' });
    const audits = await auditsOf('user', 'resident-1');
    expect(audits.length).toBe(before + 1);
    expect(audits.at(-1)).toMatchObject({ actorId: 'gw-G001-ft', action: 'pii.reveal', targetId: 'resident-1', detail: { field: 'phone', reason: '上门走访' } });
  });

  it('refuses a grid worker of another grid, and writes nothing', async () => {
    const before = (await auditsOf('user', 'resident-1')).length;
    const res = await call('POST', '/v1/users/resident-1/contact-reveals', { token: await tokenAs('grid_worker', 'gw-G002-ft'), body: { field: 'phone', reason: '好奇' } });
    expect(res.status).toBe(403);
    expect((await auditsOf('user', 'resident-1')).length).toBe(before);
  });
});

describe('role changes', () => {
  it('grants a grid worker role bound to a grid, updates the grid roster and audits it', async () => {
    const admin = await tokenAs('admin');
    const res = await call('POST', '/v1/users/resident-7/role-changes', {
      token: admin,
      body: { action: 'grant', role: 'grid_worker', gridId: 'G005', workerType: 'part_time', reason: '新聘网格员' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ roles: ['resident', 'grid_worker'], gridId: 'G005', communityId: 'C01', workerType: 'part_time' });
    const grid = await rawItem(keys.grid('G005'));
    expect(grid?.workers).toEqual({ 'gw-G005-ft': 'full_time', 'gw-G005-pt': 'part_time', 'resident-7': 'part_time' });
    const audit = (await auditsOf('user', 'resident-7')).at(-1);
    expect(audit).toMatchObject({ actorId: 'admin-1', action: 'role.grant', detail: { role: 'grid_worker', reason: '新聘网格员', before: ['resident'], after: ['resident', 'grid_worker'] } });

    const revoke = await call('POST', '/v1/users/resident-7/role-changes', { token: admin, body: { action: 'revoke', role: 'grid_worker', reason: '合同到期' } });
    expect(revoke.status).toBe(200);
    expect(revoke.body.roles).toEqual(['resident']);
    expect(revoke.body.workerType).toBeUndefined();
    expect((await rawItem(keys.grid('G005')))?.workers).toEqual({ 'gw-G005-ft': 'full_time', 'gw-G005-pt': 'part_time' });
  });

  it('requires the scope a role binds, and refuses revoking one\'s own admin role', async () => {
    const admin = await tokenAs('admin');
    const missing = await call('POST', '/v1/users/resident-8/role-changes', { token: admin, body: { action: 'grant', role: 'grid_worker', reason: '测试' } });
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('ROLE_SCOPE_REQUIRED');
    expect(missing.body.error.details.map((d: { field: string }) => d.field)).toEqual(['body.gridId', 'body.workerType']);
    const self = await call('POST', '/v1/users/admin-1/role-changes', { token: admin, body: { action: 'revoke', role: 'admin', reason: '测试' } });
    expect(self.status).toBe(400);
    expect(self.body.error.code).toBe('CANNOT_REVOKE_OWN_ADMIN');
  });

  it('lets only one of two concurrent changes to the same user win', async () => {
    const admin = await tokenAs('admin');
    const results = await Promise.all(
      ['T01', 'T02', 'T03', 'T04'].map((teamId) =>
        call('POST', '/v1/users/resident-9/role-changes', { token: admin, body: { action: 'grant', role: 'volunteer_lead', teamId, reason: '并发测试' } }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    const winners = results.filter((r) => r.status === 200).length;
    const audits = (await auditsOf('user', 'resident-9')).filter((a) => a.action === 'role.grant');
    expect(audits.length).toBe(winners);
    const user = await rawItem(keys.user('resident-9'));
    expect(user?.version).toBe(1 + winners);
  });
});
