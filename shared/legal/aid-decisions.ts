import { QueryCommand } from '@aws-sdk/lib-dynamodb';

import { writeAudit } from '../audit/audit';
import type { Principal } from '../auth/principal';
import { ddb } from '../aws';
import { fromItem } from '../db/items';
import { decodeCursor, encodeCursor, keys } from '../db/keys';
import { ConflictError } from '../errors';
import { type AidApplication, type AidClosure, type AidDecision, aidDecisionWorkingDays, aidResultNames, type AidStatus, aidStatusNames, type AidView } from './aid';
import { aidItem, aidPage, aidView, getAid, notFound, table } from './aid-records';
import { caseNotice, commitCaseChange, onFreshRead } from './case-writes';
import { workingDaysBetween } from './working-days';

/**
 * 法律援助申请, the lists and the centre's work: the applicant's list, the centre's list of a
 * status, the decision within 7 working days, and the case closed with its result.
 */
/** The caller's applications, latest first (one Query). */
export async function myAidApplications(p: Principal, now = new Date(), limit = 20, cursor?: string) {
  const out = await ddb().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byOwner',
      KeyConditionExpression: 'ownerPk = :pk',
      ExpressionAttributeValues: { ':pk': keys.legalAidByApplicantPartition(p.userId) },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  return { items: (out.Items ?? []).map((i) => aidView(fromItem<AidApplication>(i), now)), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

/**
 * The centre's applications of a status: to decide (submitted) by deadline, earliest first; the
 * decided and closed ones latest first. The list names people: its read is audited too.
 */
export async function aidApplicationsOf(p: Principal, status: AidStatus, now = new Date(), limit = 20, cursor?: string) {
  const out = await ddb().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :pk',
      ExpressionAttributeValues: { ':pk': keys.legalAidByStatusPartition(status) },
      ScanIndexForward: status === 'submitted',
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  const items = (out.Items ?? []).map((i) => fromItem<AidApplication>(i));
  await writeAudit({ actorId: p.userId, action: 'legal_aid.read', targetType: 'legal_aid', targetId: `status:${status}`, detail: { listed: items.map((a) => a.applicationId) } }, now);
  return { items: items.map((a) => aidView(a, now)), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

/** The centre's decision: aid with the assigned lawyer, or a refusal with its reason and where to object. */
export async function decideAid(p: Principal, applicationId: string, input: AidDecision, now = new Date()): Promise<AidView> {
  return onFreshRead(async () => {
    const before = await getAid(applicationId);
    if (!before) throw notFound();
    if (before.status !== 'submitted') throw new ConflictError('LEGAL_AID_DECIDED', `这份申请已经${aidStatusNames[before.status]}，不能再次决定`);
    const at = now.toISOString();
    const days = workingDaysBetween(before.createdAt, now);
    const after: AidApplication = {
      ...before,
      status: input.decision === 'accept' ? 'accepted' : 'refused',
      decidedAt: at,
      decidedBy: p.userId,
      workingDaysToDecide: days,
      ...(input.decision === 'accept'
        ? { lawyer: { name: input.lawyerName, firm: input.lawFirm, ...(input.lawyerPhone ? { phone: input.lawyerPhone } : {}) } }
        : { refusalReason: input.reason }),
      version: before.version + 1,
    };
    const status = input.decision === 'accept' ? `已给予法律援助，援助律师：${input.lawFirm} ${input.lawyerName}` : '不予法律援助，请查看理由和异议途径';
    await commitCaseChange({
      items: [aidItem(after)],
      expectedVersion: before.version,
      figures: { [input.decision === 'accept' ? 'aidAccepted' : 'aidRefused']: 1, aidDecisionDays: days, ...(days > aidDecisionWorkingDays ? { aidDecidedLate: 1 } : {}) },
      at,
      notices: [caseNotice(before.applicantId, `legal-aid-${applicationId}-decided`, '法律援助申请', status, aidPage(applicationId), at)],
    });
    return aidView(after, now);
  });
}

/** The end of an aided case: its result, for the applicant and the figures. */
export async function closeAid(p: Principal, applicationId: string, input: AidClosure, now = new Date()): Promise<AidView> {
  return onFreshRead(async () => {
    const before = await getAid(applicationId);
    if (!before) throw notFound();
    if (before.status !== 'accepted') throw new ConflictError('LEGAL_AID_NOT_OPEN', before.status === 'closed' ? '这件援助案件已经结案' : '只有已给予法律援助的案件才能结案');
    const at = now.toISOString();
    const after: AidApplication = { ...before, status: 'closed', closedAt: at, closedBy: p.userId, result: input.result, resultNote: input.note, version: before.version + 1 };
    await commitCaseChange({
      items: [aidItem(after)],
      expectedVersion: before.version,
      figures: { aidClosed: 1 },
      at,
      notices: [caseNotice(before.applicantId, `legal-aid-${applicationId}-closed`, '法律援助案件', `已结案：${aidResultNames[input.result]}`, aidPage(applicationId), at)],
    });
    return aidView(after, now);
  });
}
