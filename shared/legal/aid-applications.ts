import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';

import { writeAudit } from '../audit/audit';
import { hasRole } from '../auth/authorize';
import type { Principal } from '../auth/principal';
import { ddb } from '../aws';
import { config } from '../config';
import { fromItem } from '../db/items';
import { decodeCursor, encodeCursor, keys } from '../db/keys';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { hardshipTags, personTagNames } from '../households/model';
import { getHousehold } from '../households/repository';
import { attachPhotos,photoUrls } from '../photos/photos';
import { lookupHash, seal } from '../pii/crypto';
import { maskIdNumber } from '../pii/redact';
import { beijingDate, beijingWeekday } from '../time';
import { getUser } from '../users/repository';
import {
  type AidApplication,
  type AidClosure,
  type AidDecision,
  aidDecisionWorkingDays,
  type AidInput,
  aidMatterNames,
  aidObjectionHow,
  aidResultNames,
  type AidStatus,
  aidStatusNames,
  type AidView,
  type Hardship,
} from './aid';
import { caseNotice, commitCaseChange } from './case-writes';
import type { Booking } from './model';
import { addWorkingDays, calendarYears, workingDaysBetween } from './working-days';

/**
 * 法律援助申请: apply (hardship from the roster where it can be), the centre's decision within 7
 * working days, the case followed to its end. Each change is one transaction (case-writes.ts).
 */
const table = () => config().TABLE_NAME;
const weekdays = ['日', '一', '二', '三', '四', '五', '六'];
const page = (id: string) => `pages/legal/aid/index?id=${id}`;

/** Where an application sits in the centre's list of its status, and in which order. */
function aidItem(a: AidApplication): Record<string, unknown> {
  const sortKey = a.status === 'submitted' ? a.decideBy : a.status === 'closed' ? a.closedAt! : a.decidedAt!;
  return { ...keys.legalAid(a.applicationId), ...keys.legalAidByApplicant(a.applicantId, a.createdAt, a.applicationId), ...keys.legalAidByStatus(a.status, sortKey, a.applicationId), type: 'LegalAid', ...a };
}

function deadlineText(a: AidApplication): string {
  const [, m, d] = a.decideBy.split('-').map(Number);
  const text = `${m}月${d}日（周${weekdays[beijingWeekday(`${a.decideBy}T12:00:00+08:00`)]}）前作出决定`;
  return a.decideByEstimated ? `${text}（${calendarYears.last + 1} 年节假日未定，按周末推算）` : text;
}

function hardshipText(h: Hardship): string {
  return h.basis === 'roster' ? `免予核查（花名册登记为${h.tag ? personTagNames[h.tag] : '困难群众'}）` : '需核查经济困难状况（请提供收入证明或村居委会出具的证明）';
}

export function aidView(a: AidApplication, now: Date, urls?: string[]): AidView {
  return {
    applicationId: a.applicationId,
    status: a.status,
    statusName: aidStatusNames[a.status],
    matter: a.matter,
    matterName: aidMatterNames[a.matter],
    name: a.name,
    phoneMasked: a.phoneMasked ?? null,
    idMasked: a.idMasked,
    situation: a.situation,
    claim: a.claim,
    opposingParty: a.opposingParty ?? null,
    hardship: { basis: a.hardship.basis, text: hardshipText(a.hardship) },
    createdAt: a.createdAt,
    decideBy: a.decideBy,
    decideByText: deadlineText(a),
    overdue: a.status === 'submitted' && beijingDate(now) > a.decideBy,
    decidedAt: a.decidedAt ?? null,
    workingDaysToDecide: a.workingDaysToDecide ?? null,
    lawyer: a.lawyer ? { name: a.lawyer.name, firm: a.lawyer.firm, phone: a.lawyer.phone ?? null } : null,
    refusalReason: a.refusalReason ?? null,
    objectionHow: a.status === 'refused' ? aidObjectionHow : null,
    closedAt: a.closedAt ?? null,
    result: a.result ?? null,
    resultName: a.result ? aidResultNames[a.result] : null,
    resultNote: a.resultNote ?? null,
    photoCount: a.photos.length,
    ...(urls ? { photoUrls: urls } : {}),
  };
}

/**
 * 免予核查: the applicant is a roster person tagged 低保 or 特困 (found by their ID number's keyed
 * hash), confirmed on the household as it stands now.
 */
async function hardshipOf(idHash: string): Promise<Hardship> {
  const marker = await ddb().send(new GetCommand({ TableName: table(), Key: keys.hardshipPerson(idHash) }));
  const householdId = marker.Item?.householdId as string | undefined;
  if (householdId) {
    const person = (await getHousehold(householdId))?.members.find((m) => m.idHash === idHash);
    const tag = person?.tags.find((t) => hardshipTags.includes(t));
    if (tag) return { basis: 'roster', tag, householdId };
  }
  return { basis: 'to_check' };
}

/** The consultation an application comes from must be the applicant's, recorded as 转法律援助申请. */
async function checkFromSlot(p: Principal, slotId: string): Promise<void> {
  const out = await ddb().send(new GetCommand({ TableName: table(), Key: keys.legalBooking(slotId, p.userId) }));
  const b = out.Item as Booking | undefined;
  if (!b || b.outcome !== 'legal_aid') {
    throw new ValidationError([{ field: 'body.fromSlotId', reason: 'not_referred', message: '这次咨询没有转为法律援助申请' }]);
  }
}

export async function applyForAid(p: Principal, input: AidInput, now = new Date()): Promise<AidView> {
  const applicationId = ulid(now.getTime());
  const idHash = await lookupHash('id', input.idNumber);
  const [person, hardship, sealed] = await Promise.all([getUser(p.userId), hardshipOf(idHash), seal(input.idNumber), input.fromSlotId ? checkFromSlot(p, input.fromSlotId) : null]);
  const photos = input.photos.length ? await attachPhotos(p, applicationId, input.photos) : [];
  const at = now.toISOString();
  const deadline = addWorkingDays(now, aidDecisionWorkingDays);
  const a: AidApplication = {
    applicationId,
    applicantId: p.userId,
    name: person?.name ?? '居民',
    ...(person?.phoneMasked ? { phoneMasked: person.phoneMasked } : {}),
    idNumber: sealed,
    idMasked: maskIdNumber(input.idNumber),
    matter: input.matter,
    situation: input.situation,
    claim: input.claim,
    ...(input.opposingParty ? { opposingParty: input.opposingParty } : {}),
    photos,
    hardship,
    status: 'submitted',
    createdAt: at,
    decideBy: deadline.date,
    decideByEstimated: deadline.estimated,
    ...(input.fromSlotId ? { fromSlotId: input.fromSlotId } : {}),
    version: 1,
  };
  await commitCaseChange({ items: [aidItem(a)], expectedVersion: 0, figures: { aidReceived: 1, ...(hardship.basis === 'roster' ? { aidHardshipExempt: 1 } : {}) }, at });
  return aidView(a, now);
}

async function getAid(applicationId: string): Promise<AidApplication | null> {
  const out = await ddb().send(new GetCommand({ TableName: table(), Key: keys.legalAid(applicationId), ConsistentRead: true }));
  return out.Item ? fromItem<AidApplication>(out.Item) : null;
}

const notFound = () => new NotFoundError('LEGAL_AID_NOT_FOUND', '没有找到这份法律援助申请');

/** One application, for its applicant or the centre's officers (someone else: 404); every read audited. */
export async function readAid(p: Principal, applicationId: string, now = new Date()): Promise<AidView> {
  const a = await getAid(applicationId);
  if (!a || (a.applicantId !== p.userId && !hasRole(p, 'legal_officer'))) throw notFound();
  await writeAudit({ actorId: p.userId, action: 'legal_aid.read', targetType: 'legal_aid', targetId: applicationId, detail: { status: a.status } }, now);
  return aidView(a, now, await photoUrls(a.photos));
}

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
    notices: [caseNotice(before.applicantId, `legal-aid-${applicationId}-decided`, '法律援助申请', status, page(applicationId), at)],
  });
  return aidView(after, now);
}

/** The end of an aided case: its result, for the applicant and the figures. */
export async function closeAid(p: Principal, applicationId: string, input: AidClosure, now = new Date()): Promise<AidView> {
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
    notices: [caseNotice(before.applicantId, `legal-aid-${applicationId}-closed`, '法律援助案件', `已结案：${aidResultNames[input.result]}`, page(applicationId), at)],
  });
  return aidView(after, now);
}
