import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';

import { seedDemoData } from '../../infra/local/seed';
import { ddb } from '../../shared/aws';
import { config } from '../../shared/config';
import { keys } from '../../shared/db/keys';
import { activityInput } from '../fixtures/activities';
import { tokenAs } from '../fixtures/principals';
import { notificationsOf } from '../fixtures/requests';
import { useTestStack } from '../support/stack';
import { waitFor } from '../support/wait';

const t = useTestStack({ workers: true });
const call = t.call;
let lead = '';
let admin = '';

beforeAll(async () => {
  await seedDemoData();
  lead = await tokenAs('volunteer_lead', 'lead-T01');
  admin = (await call('POST', '/v1/auth/wechat', { body: { code: 'dev:dev-admin-1' } })).body.token;
});

const signIn = async (openid: string) => (await call('POST', '/v1/auth/wechat', { body: { code: `dev:${openid}` } })).body;

describe('申请成为志愿者: a resident applies, the team\'s lead decides', () => {
  it('approval grants the volunteer role (audited), the applicant\'s next call carries it, and they can sign up', async () => {
    const resident = await signIn('dev-resident-17');
    const activity = await call('POST', '/v1/activities', { token: lead, body: activityInput() });
    const refused = await call('POST', `/v1/activities/${activity.body.activityId}/signups`, { token: resident.token });
    expect(refused.status).toBe(403);

    const applied = await call('POST', '/v1/teams/T01/applications', { token: resident.token, body: { skills: ['量血压'], availability: '周末上午' } });
    expect(applied.status).toBe(201);
    expect(applied.body).toMatchObject({ teamId: 'T01', teamName: '义诊志愿服务队', userId: 'resident-17', status: 'pending', statusName: '等待审核' });
    const again = await call('POST', '/v1/teams/T01/applications', { token: resident.token, body: { skills: [], availability: '周末上午' } });
    expect([again.status, again.body.error.code]).toEqual([409, 'ALREADY_APPLIED']);

    const pending = await call('GET', '/v1/teams/T01/applications', { token: lead });
    expect(pending.body.items.map((a: { userId: string }) => a.userId)).toContain('resident-17');
    // The lead sees only their own team's applications.
    expect((await call('GET', '/v1/teams/T02/applications', { token: lead })).status).toBe(403);

    const approved = await call('POST', '/v1/teams/T01/applications/resident-17/decision', { token: lead, body: { decision: 'approve' } });
    expect(approved.status).toBe(200);
    expect(approved.body.application).toMatchObject({ status: 'approved', statusName: '已通过' });
    expect(approved.body.applicant.roles).toEqual(['resident', 'volunteer']);
    const twice = await call('POST', '/v1/teams/T01/applications/resident-17/decision', { token: lead, body: { decision: 'approve' } });
    expect([twice.status, twice.body.error.code]).toEqual([409, 'ALREADY_DECIDED']);

    // The old token named the old roles: refused; the silent refresh brings the new one.
    expect((await call('GET', '/v1/me', { token: resident.token })).body.error.code).toBe('TOKEN_REVOKED');
    const refreshed = (await call('POST', '/v1/auth/refresh', { body: { refreshToken: resident.refreshToken } })).body;
    expect(refreshed.user.roles).toEqual(['resident', 'volunteer']);
    const signedUp = await call('POST', `/v1/activities/${activity.body.activityId}/signups`, { token: refreshed.token });
    expect(signedUp.status).toBe(201);

    const audit = await ddb().send(
      new QueryCommand({ TableName: config().TABLE_NAME, IndexName: 'byLookup', KeyConditionExpression: 'lookupPk = :p', ExpressionAttributeValues: { ':p': keys.auditByTargetPartition('user', 'resident-17') } }),
    );
    expect(audit.Items!.map((i) => [i.action, i.actorId, i.detail.role, i.detail.via])).toContainEqual(['role.grant', 'lead-T01', 'volunteer', 'team_application']);
    await waitFor(async () => (await notificationsOf('resident-17')).find((n) => n.data.status === '志愿者申请已通过，可以报名活动了'), 10_000, 'the applicant told');
  });

  it('a decline needs a reason, which the resident is told; they may apply again', async () => {
    const resident = await signIn('dev-resident-18');
    await call('POST', '/v1/teams/T01/applications', { token: resident.token, body: { skills: [], availability: '工作日晚上' } });
    const bare = await call('POST', '/v1/teams/T01/applications/resident-18/decision', { token: lead, body: { decision: 'decline' } });
    expect([bare.status, bare.body.error.details]).toEqual([400, [{ field: 'body.reason', reason: 'required', message: '请说明原因' }]]);
    const declined = await call('POST', '/v1/teams/T01/applications/resident-18/decision', { token: admin, body: { decision: 'decline', reason: '本队只招医护人员' } });
    expect(declined.body.application).toMatchObject({ status: 'declined', reason: '本队只招医护人员' });
    expect(declined.body.applicant.roles).toEqual(['resident']);
    await waitFor(async () => (await notificationsOf('resident-18')).find((n) => n.data.status?.startsWith('志愿者申请未通过')), 10_000, 'the applicant told');
    const again = await call('POST', '/v1/teams/T01/applications', { token: resident.token, body: { skills: ['护理'], availability: '工作日晚上' } });
    expect(again.status).toBe(201);
  });

  it('tells a volunteer they need not apply', async () => {
    const res = await call('POST', '/v1/teams/T01/applications', { token: await tokenAs('volunteer'), body: { skills: [], availability: '周末' } });
    expect([res.status, res.body.error.code]).toEqual([409, 'ALREADY_VOLUNTEER']);
  });
});
