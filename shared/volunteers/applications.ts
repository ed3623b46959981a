import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';

import { auditPut } from '../audit/audit';
import { hasRole } from '../auth/authorize';
import type { Principal } from '../auth/principal';
import { accessRevocationPut, noteAccessRevocation } from '../auth/sessions';
import { ddb } from '../aws';
import { config } from '../config';
import { writeIf } from '../db/conditions';
import { fromItem } from '../db/items';
import { decodeCursor, encodeCursor, keys } from '../db/keys';
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from '../errors';
import { links } from '../links';
import { notificationMessage } from '../notifications/notify';
import { flushOutbox, newOutboxEntry, outboxPut } from '../queue/messages';
import { viewOf } from '../users/model';
import { getUser, saveRoleChange } from '../users/repository';
import { type ApplicationStatus,applicationStatusNames } from './model';
import { getTeam } from './repository';

/**
 * Becoming a volunteer (申请成为志愿者): a resident applies to a team with what they can do and
 * when; the team's lead approves or declines. Approval grants the volunteer role, audited and in
 * the same transaction as the decision, and revokes the applicant's old tokens so that their next
 * call (a silent refresh) carries the new role.
 */

export interface VolunteerApplication {
  teamId: string;
  teamName: string;
  userId: string;
  name: string;
  skills: string[];
  availability: string;
  note: string;
  status: ApplicationStatus;
  createdAt: string;
  decidedAt?: string;
  decidedBy?: string;
  reason?: string;
}

const view = (a: VolunteerApplication) => ({ ...a, statusName: applicationStatusNames[a.status], note: a.note ?? '', reason: a.reason ?? null, decidedAt: a.decidedAt ?? null });

function item(a: VolunteerApplication): Record<string, unknown> {
  return { ...keys.teamApplication(a.teamId, a.userId), ...keys.teamApplicationByStatus(a.teamId, a.status, a.createdAt, a.userId), type: 'VolunteerApplication', ...a };
}

export async function applyToTeam(p: Principal, teamId: string, input: { skills: string[]; availability: string; note?: string }, now = new Date()) {
  if (hasRole(p, 'volunteer')) throw new ConflictError('ALREADY_VOLUNTEER', '您已经是志愿者了，可以直接报名活动');
  const [team, user] = await Promise.all([getTeam(teamId), getUser(p.userId)]);
  if (!team) throw new NotFoundError('TEAM_NOT_FOUND', '没有找到这支志愿服务队');
  const a: VolunteerApplication = {
    teamId,
    teamName: team.name,
    userId: p.userId,
    name: user?.name ?? '居民',
    skills: input.skills,
    availability: input.availability,
    note: input.note ?? '',
    status: 'pending',
    createdAt: now.toISOString(),
  };
  // One open application per person and team; after a decline one may apply again.
  const written = await writeIf(() =>
    ddb().send(
      new PutCommand({
        TableName: config().TABLE_NAME,
        Item: item(a),
        ConditionExpression: 'attribute_not_exists(pk) OR #s = :declined',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':declined': 'declined' },
      }),
    ),
  );
  if (!written) throw new ConflictError('ALREADY_APPLIED', '您已经提交过申请，请等待服务队负责人审核');
  return view(a);
}

function mayDecide(p: Principal, teamId: string): boolean {
  return hasRole(p, 'admin') || (hasRole(p, 'volunteer_lead') && p.teamId === teamId);
}

export async function teamApplications(p: Principal, teamId: string, status: ApplicationStatus, limit: number, cursor?: string) {
  if (!mayDecide(p, teamId)) throw new ForbiddenError('NOT_YOUR_TEAM', '只能查看本队的申请');
  const out = await ddb().send(
    new QueryCommand({
      TableName: config().TABLE_NAME,
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :pk',
      ExpressionAttributeValues: { ':pk': keys.teamApplicationPartition(teamId, status) },
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  return { items: (out.Items ?? []).map((i) => view(fromItem<VolunteerApplication>(i))), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

export async function decideApplication(p: Principal, teamId: string, userId: string, decision: { decision: 'approve' | 'decline'; reason?: string }, now = new Date()) {
  if (!mayDecide(p, teamId)) throw new ForbiddenError('NOT_YOUR_TEAM', '只能审核本队的申请');
  if (decision.decision === 'decline' && !decision.reason?.trim()) {
    throw new BadRequestError('REASON_REQUIRED', '不通过时请说明原因，居民会看到', [{ field: 'body.reason', reason: 'required', message: '请说明原因' }]);
  }
  const out = await ddb().send(new GetCommand({ TableName: config().TABLE_NAME, Key: keys.teamApplication(teamId, userId), ConsistentRead: true }));
  const a = out.Item ? fromItem<VolunteerApplication>(out.Item) : null;
  if (!a) throw new NotFoundError('APPLICATION_NOT_FOUND', '没有找到这份申请');
  if (a.status !== 'pending') throw new ConflictError('ALREADY_DECIDED', '这份申请已经审核过了');
  const at = now.toISOString();
  const after: VolunteerApplication = { ...a, status: decision.decision === 'approve' ? 'approved' : 'declined', decidedAt: at, decidedBy: p.userId, ...(decision.reason ? { reason: decision.reason } : {}) };
  const notice = newOutboxEntry(
    notificationMessage({
      notificationId: `teamapp-${teamId}-${userId}-${at}`,
      userId,
      template: 'signup_status',
      data: { activity: a.teamName, status: after.status === 'approved' ? '志愿者申请已通过，可以报名活动了' : `志愿者申请未通过：${decision.reason ?? ''}`.slice(0, 20) },
      page: links.activities(),
    }),
  );
  const decided = {
    Put: {
      TableName: config().TABLE_NAME,
      Item: item(after),
      ConditionExpression: '#s = :pending',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':pending': 'pending' },
    },
  };
  let ok: boolean;
  // The applicant as they are after the decision (read once; a decline changes nothing of theirs).
  let applicant = await getUser(userId);
  if (after.status === 'approved') {
    const user = applicant;
    if (!user) throw new NotFoundError('USER_NOT_FOUND', '申请人的账号不存在');
    const roles = user.roles.includes('volunteer') ? user.roles : [...user.roles, 'volunteer' as const];
    ok = await saveRoleChange(
      user,
      { roles, set: {}, remove: [] },
      [
        decided,
        auditPut({ actorId: p.userId, action: 'role.grant', targetType: 'user', targetId: userId, detail: { role: 'volunteer', via: 'team_application', teamId, before: user.roles, after: roles } }, now),
        accessRevocationPut(userId, now),
        outboxPut(notice),
      ],
      at,
    );
    if (ok) {
      noteAccessRevocation(userId, now);
      applicant = { ...user, roles };
    }
  } else {
    // A decline changes no role: the decision and its notice, one transaction.
    ok = await writeIf(() => ddb().send(new TransactWriteCommand({ TransactItems: [decided, outboxPut(notice)] })));
  }
  if (!ok) throw new ConflictError('CONCURRENT_UPDATE', '这份申请刚被审核过，请刷新');
  await flushOutbox([notice]);
  return { application: view(after), applicant: applicant ? viewOf(applicant) : null };
}
