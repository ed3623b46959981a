import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

import { writeAudit } from '../audit/audit';
import { hasRole } from '../auth/authorize';
import type { Principal } from '../auth/principal';
import { ddb } from '../aws';
import { config } from '../config';
import { fromItem } from '../db/items';
import { decodeCursor, encodeCursor, keys } from '../db/keys';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../errors';
import { links } from '../links';
import { getStreet, homeStreetId } from '../org/repository';
import { addDays, beijingDate, beijingText, dayMs } from '../time';
import { getUser } from '../users/repository';
import { caseNotice, commitCaseChange, onFreshRead } from './case-writes';
import {
  type Acceptance,
  type FailureInput,
  type FollowUpInput,
  judicialConfirmationHow,
  type MediationCase,
  mediationCategoryNames,
  mediationDays,
  type MediationStatus,
  mediationStatusNames,
  type MediationSummary,
  type MediationView,
  type Party,
  performanceNames,
  type SessionInput,
} from './mediation';

/**
 * 人民调解 case files: the case as stored and shown, consent, acceptance, sessions, the agreement's
 * confirmation, failure, follow-ups, and the daily deadlines. Each change is one transaction that
 * rewrites the case at its version and every party's pointer with it (case-writes.ts). Applying
 * (mediation-application.ts: seals a phone), drafting the agreement (mediation-agreement.ts:
 * prints the PDF) and reading a case (mediation-read.ts: signs the PDF's link) are apart, so that
 * each function carries only the clients it uses.
 */
const table = () => config().TABLE_NAME;
export const casePage = links.mediationCase;
export const notFound = () => new NotFoundError('MEDIATION_NOT_FOUND', '没有找到这件调解案件');
const refuse = (code: string, message: string) => new ConflictError(code, message);
/** Who may be a mediator with an account (and so read the case): the community's, the sub-district's and the centre's staff. */
const mediatorRoles: readonly string[] = ['community_staff', 'street_staff', 'legal_officer'];

function sortKeyOf(c: MediationCase): string {
  switch (c.status) {
    case 'accepted':
    case 'agreed':
      return c.dueBy!;
    case 'settled':
      return c.settledAt!;
    case 'failed':
      return c.failedAt!;
    default:
      return c.createdAt;
  }
}

function partiesText(c: MediationCase): string {
  return c.parties.map((p) => (p.role === 'applicant' ? `${p.name}（申请人）` : p.name)).join('、');
}

function actionOf(c: MediationCase, party: Party | undefined): MediationSummary['action'] {
  if (!party) return null;
  if (c.status === 'applied' && !party.consentAt) return 'consent';
  if (c.status === 'agreed' && !party.confirmedAt) return 'confirm';
  return null;
}
const actionNames = { consent: '请确认是否同意调解', confirm: '请确认调解协议' } as const;

const overdue = (c: MediationCase, now: Date) => (c.status === 'accepted' || c.status === 'agreed') && !!c.dueBy && Date.parse(c.dueBy) <= now.getTime();

function summaryView(c: MediationCase, now: Date, readerId?: string): MediationSummary {
  const action = actionOf(c, c.parties.find((p) => p.userId && p.userId === readerId));
  return {
    caseId: c.caseId,
    caseNo: c.caseNo,
    status: c.status,
    statusName: mediationStatusNames[c.status],
    categoryName: mediationCategoryNames[c.category],
    parties: partiesText(c),
    createdAt: c.createdAt,
    dueBy: c.dueBy ?? null,
    overdue: overdue(c, now),
    action,
    actionName: action ? actionNames[action] : null,
  };
}

/** The case, in the centre's list of its status, and a pointer per party who uses the app (their own list). */
export function caseItems(c: MediationCase, now: Date): Record<string, unknown>[] {
  return [
    { ...keys.mediation(c.caseId), ...keys.mediationByStatus(c.status, sortKeyOf(c), c.caseId), type: 'Mediation', ...c },
    ...c.parties
      .filter((p) => p.userId)
      .map((p) => ({ ...keys.mediationParty(c.caseId, p.userId!), ...keys.mediationByParty(p.userId!, c.createdAt, c.caseId), type: 'MediationPointer', summary: summaryView(c, now, p.userId) })),
  ];
}

export async function getCase(caseId: string): Promise<MediationCase | null> {
  const out = await ddb().send(new GetCommand({ TableName: table(), Key: keys.mediation(caseId), ConsistentRead: true }));
  return out.Item ? fromItem<MediationCase>(out.Item) : null;
}

export async function caseOrFail(caseId: string): Promise<MediationCase> {
  const c = await getCase(caseId);
  if (!c) throw notFound();
  return c;
}

/** Whether the caller may read the case: a party, an assigned mediator with an account, or the centre. */
export function mayRead(p: Principal, c: MediationCase): boolean {
  return hasRole(p, 'legal_officer') || c.parties.some((x) => x.userId === p.userId) || c.mediators.some((m) => m.userId === p.userId);
}

function partyViews(c: MediationCase, readerId: string) {
  return c.parties.map((p) => ({
    partyId: p.partyId,
    role: p.role,
    roleName: p.role === 'applicant' ? '申请人' : '被申请人',
    name: p.name,
    phoneMasked: p.phoneMasked ?? null,
    usesApp: !!p.userId,
    consented: !!p.consentAt,
    consentText: p.consentAt ? (p.consentBy === 'self' ? '已在小程序同意调解' : '已向调解员表示同意调解') : '尚未表示同意调解',
    confirmed: !!p.confirmedAt,
    isMe: !!p.userId && p.userId === readerId,
  }));
}

export function mediationView(c: MediationCase, now: Date, readerId: string): MediationView {
  const me = c.parties.find((p) => p.userId && p.userId === readerId);
  const action = actionOf(c, me);
  const nameOf = (partyId: string) => c.parties.find((p) => p.partyId === partyId)?.name ?? partyId;
  return {
    caseId: c.caseId,
    caseNo: c.caseNo,
    status: c.status,
    statusName: mediationStatusNames[c.status],
    category: c.category,
    categoryName: mediationCategoryNames[c.category],
    facts: c.facts,
    claim: c.claim,
    parties: partyViews(c, readerId),
    mediators: c.mediators.map((m) => m.name),
    createdAt: c.createdAt,
    acceptedAt: c.acceptedAt ?? null,
    dueBy: c.dueBy ?? null,
    dueText: c.dueBy ? `${beijingText(c.dueBy)}前调解终结` : null,
    overdue: overdue(c, now),
    escalated: !!c.escalatedAt,
    declinedReason: c.declinedReason ?? null,
    sessions: c.sessions.map((s) => ({ n: s.n, at: s.at, when: beijingText(s.at), place: s.place, attendees: s.attendees, record: s.record })),
    agreement: c.agreement
      ? {
          facts: c.agreement.facts,
          dispute: c.agreement.dispute,
          obligations: c.agreement.obligations.map((o) => ({ ...o, partyName: nameOf(o.partyId) })),
          draft: c.agreement.draft,
          generatedAt: c.agreement.generatedAt,
        }
      : null,
    settledAt: c.settledAt ?? null,
    judicialConfirmation: c.status === 'settled' ? judicialConfirmationHow : null,
    failure: c.failure ?? null,
    followUps: c.followUps.map((f) => ({ at: f.at, performed: f.performed, performedName: performanceNames[f.performed], note: f.note })),
    canConsent: action === 'consent',
    canConfirm: action === 'confirm',
  };
}

/** The parties' own list: the pointers carry each case's summary (one Query). */
export async function myMediations(p: Principal, limit = 20, cursor?: string) {
  const out = await ddb().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byOwner',
      KeyConditionExpression: 'ownerPk = :pk',
      ExpressionAttributeValues: { ':pk': keys.mediationByPartyPartition(p.userId) },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  // A pointer's summary is as of the case's last change: whether it is overdue is as of now.
  const now = new Date();
  const items = (out.Items ?? []).map((i) => i.summary as MediationSummary).map((s) => ({ ...s, overdue: (s.status === 'accepted' || s.status === 'agreed') && !!s.dueBy && Date.parse(s.dueBy) <= now.getTime() }));
  return { items, nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

/** The centre's cases of a status (accepted ones by their deadline, earliest first); the read is audited. */
export async function mediationsOf(p: Principal, status: MediationStatus, now = new Date(), limit = 20, cursor?: string) {
  const open = status === 'applied' || status === 'accepted' || status === 'agreed';
  const out = await ddb().send(
    new QueryCommand({
      TableName: table(),
      IndexName: 'byScope',
      KeyConditionExpression: 'scopePk = :pk',
      ExpressionAttributeValues: { ':pk': keys.mediationByStatusPartition(status) },
      ScanIndexForward: open,
      Limit: limit,
      ExclusiveStartKey: decodeCursor(cursor),
    }),
  );
  const cases = (out.Items ?? []).map((i) => fromItem<MediationCase>(i));
  await writeAudit({ actorId: p.userId, action: 'mediation.read', targetType: 'mediation', targetId: `status:${status}`, detail: { listed: cases.map((c) => c.caseId) } }, now);
  return { items: cases.map((c) => summaryView(c, now)), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

/**
 * The party a call acts for: a party acting for themselves (no partyId), or an officer recording
 * for the party named (consent given in person, an agreement signed on paper).
 */
function actingParty(p: Principal, c: MediationCase, partyId: string | undefined): { party: Party; by: 'self' | 'officer' } {
  if (partyId !== undefined) {
    if (!hasRole(p, 'legal_officer')) throw new ForbiddenError('FORBIDDEN', '只有法律服务中心的工作人员可以代为记录');
    const party = c.parties.find((x) => x.partyId === partyId);
    if (!party) throw new ValidationError([{ field: 'body.partyId', reason: 'unknown', message: '这件案件没有这位当事人' }]);
    return { party, by: 'officer' };
  }
  const party = c.parties.find((x) => x.userId === p.userId);
  if (!party) {
    if (hasRole(p, 'legal_officer')) throw new ValidationError([{ field: 'body.partyId', reason: 'required', message: '请选择为哪位当事人记录' }]);
    throw notFound();
  }
  return { party, by: 'self' };
}

function withParty(c: MediationCase, party: Party, set: Partial<Party>): Party[] {
  return c.parties.map((x) => (x.partyId === party.partyId ? { ...x, ...set } : x));
}

/** A party consents to mediation (人民调解法 第十七条: never against a party's refusal). */
export async function consentToMediation(p: Principal, caseId: string, partyId: string | undefined, now = new Date()): Promise<MediationView> {
  return onFreshRead(async () => {
    const c = await caseOrFail(caseId);
    if (!mayRead(p, c)) throw notFound();
    const { party, by } = actingParty(p, c, partyId);
    if (c.status !== 'applied') throw refuse('MEDIATION_NOT_APPLIED', `案件${mediationStatusNames[c.status]}，不需要再表示同意`);
    if (party.consentAt) throw refuse('ALREADY_CONSENTED', `${party.name}已经同意调解`);
    const at = now.toISOString();
    const after: MediationCase = { ...c, parties: withParty(c, party, { consentAt: at, consentBy: by }), version: c.version + 1 };
    await commitCaseChange({ items: caseItems(after, now), expectedVersion: c.version, at });
    return mediationView(after, now, p.userId);
  });
}

/** The centre accepts the case (every party has consented) with its mediators, or declines it with the reason. */
export async function decideMediation(p: Principal, caseId: string, input: Acceptance, now = new Date()): Promise<MediationView> {
  return onFreshRead(async () => {
    const c = await caseOrFail(caseId);
    if (c.status !== 'applied') throw refuse('MEDIATION_DECIDED', `案件已经${mediationStatusNames[c.status]}`);
    const at = now.toISOString();
    let after: MediationCase;
    let status: string;
    if (input.accept) {
      const missing = c.parties.filter((x) => !x.consentAt);
      if (missing.length) throw refuse('CONSENT_MISSING', `${missing.map((x) => x.name).join('、')}尚未同意调解，不能受理（人民调解法第十七条）`);
      // A mediator named by account reads the case: the account must be staff who may mediate.
    const accounts = await Promise.all(input.mediators.map((m) => (m.userId ? getUser(m.userId) : Promise.resolve(null))));
    const unknown = input.mediators.findIndex((m, i) => m.userId && !accounts[i]?.roles.some((r) => mediatorRoles.includes(r)));
    if (unknown >= 0) throw new ValidationError([{ field: `body.mediators.${unknown}.userId`, reason: 'not_staff', message: '调解员账号应为社区、街道或法律服务中心的工作人员' }]);
    const dueBy = new Date(now.getTime() + mediationDays.settle * dayMs).toISOString();
      after = { ...c, status: 'accepted', acceptedAt: at, dueBy, mediators: input.mediators, version: c.version + 1 };
      status = `已受理，调解员：${input.mediators.map((m) => m.name).join('、')}`;
    } else {
      after = { ...c, status: 'declined', declinedReason: input.reason, version: c.version + 1 };
      status = `不予受理：${input.reason}`;
    }
    await commitCaseChange({
      items: caseItems(after, now),
      expectedVersion: c.version,
      figures: { [input.accept ? 'medAccepted' : 'medDeclined']: 1 },
      at,
      notices: partiesNotified(after, `decided`, status, at),
    });
    return mediationView(after, now, p.userId);
  });
}

export function partiesNotified(c: MediationCase, event: string, status: string, at: string) {
  return c.parties.filter((x) => x.userId).map((x) => caseNotice(x.userId!, `mediation-${c.caseId}-${event}-${x.partyId}`, '人民调解', status, casePage(c.caseId), at));
}

export function mustBeMediating(c: MediationCase, what: string): void {
  if (c.status !== 'accepted' && c.status !== 'agreed') throw refuse('MEDIATION_NOT_OPEN', `案件${mediationStatusNames[c.status]}，不能${what}`);
}

/** A session's record (笔录). */
export async function recordSession(p: Principal, caseId: string, input: SessionInput, now = new Date()): Promise<MediationView> {
  return onFreshRead(async () => {
    const c = await caseOrFail(caseId);
    mustBeMediating(c, '记录调解');
    if (Date.parse(input.at) > now.getTime() + 3600_000) throw new ValidationError([{ field: 'body.at', reason: 'future', message: '调解时间不能晚于现在' }]);
    if (c.sessions.length >= 20) throw refuse('TOO_MANY_SESSIONS', '一件案件最多记录 20 次调解');
    const after: MediationCase = { ...c, sessions: [...c.sessions, { n: c.sessions.length + 1, ...input, recordedBy: p.userId }], version: c.version + 1 };
    await commitCaseChange({ items: caseItems(after, now), expectedVersion: c.version, at: now.toISOString() });
    return mediationView(after, now, p.userId);
  });
}

/** A party confirms the agreement; when every party has, the case is settled. */
export async function confirmAgreement(p: Principal, caseId: string, partyId: string | undefined, now = new Date()): Promise<MediationView> {
  return onFreshRead(async () => {
    const c = await caseOrFail(caseId);
    if (!mayRead(p, c)) throw notFound();
    const { party, by } = actingParty(p, c, partyId);
    if (c.status !== 'agreed') throw refuse('NO_AGREEMENT_TO_CONFIRM', c.status === 'settled' ? '调解协议已经生效' : '还没有待确认的调解协议');
    if (party.confirmedAt) throw refuse('ALREADY_CONFIRMED', `${party.name}已经确认过调解协议`);
    const at = now.toISOString();
    const parties = withParty(c, party, { confirmedAt: at, confirmedBy: by });
    const settled = parties.every((x) => x.confirmedAt);
    const after: MediationCase = { ...c, parties, ...(settled ? { status: 'settled' as const, settledAt: at } : {}), version: c.version + 1 };
    await commitCaseChange({
      items: caseItems(after, now),
      expectedVersion: c.version,
      at,
      ...(settled ? { figures: { medSettled: 1 }, notices: partiesNotified(after, 'settled', '调解成功，协议已生效。可在 30 日内共同申请司法确认', at) } : {}),
    });
    return mediationView(after, now, p.userId);
  });
}

/** Mediation failed: why, and where the parties were told to go. */
export async function recordFailure(p: Principal, caseId: string, input: FailureInput, now = new Date()): Promise<MediationView> {
  return onFreshRead(async () => {
    const c = await caseOrFail(caseId);
    mustBeMediating(c, '终止调解');
    const at = now.toISOString();
    const after: MediationCase = { ...c, status: 'failed', failedAt: at, failure: input, version: c.version + 1 };
    await commitCaseChange({ items: caseItems(after, now), expectedVersion: c.version, figures: { medFailed: 1 }, at, notices: partiesNotified(after, 'failed', `调解未成功。${input.referredTo}`, at) });
    return mediationView(after, now, p.userId);
  });
}

/** A follow-up visit (回访) of a settled case: was the agreement performed? */
export async function recordFollowUp(p: Principal, caseId: string, input: FollowUpInput, now = new Date()): Promise<MediationView> {
  return onFreshRead(async () => {
    const c = await caseOrFail(caseId);
    if (c.status !== 'settled') throw refuse('MEDIATION_NOT_SETTLED', '只有调解成功的案件需要回访');
    const at = now.toISOString();
    const first = c.followUps.length === 0;
    const performedNow = input.performed === 'performed' && !c.performedAt;
    const after: MediationCase = { ...c, followUps: [...c.followUps, { at, by: p.userId, ...input }], ...(performedNow ? { performedAt: at } : {}), version: c.version + 1 };
    const figures = { ...(first ? { medFollowedUp: 1 } : {}), ...(performedNow ? { medPerformed: 1 } : {}) };
    await commitCaseChange({ items: caseItems(after, now), expectedVersion: c.version, at, ...(Object.keys(figures).length ? { figures } : {}) });
    return mediationView(after, now, p.userId);
  });
}

/** The cases of a status whose date (the list's sort key) is from `from` up to and including `to`. */
async function casesBetween(status: MediationStatus, from: string, to: string): Promise<MediationCase[]> {
  const out: MediationCase[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await ddb().send(
      new QueryCommand({
        TableName: table(),
        IndexName: 'byScope',
        KeyConditionExpression: 'scopePk = :pk AND scopeSk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': keys.mediationByStatusPartition(status), ':from': from, ':to': `${to}~` },
        ExclusiveStartKey: start,
      }),
    );
    out.push(...(page.Items ?? []).map((i) => fromItem<MediationCase>(i)));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/**
 * The daily run (09:00 Beijing): a case past its 30 days without an outcome is escalated once (it
 * is flagged in the centre's list and the console, its mediators with an account and the centre's
 * officers are told, the figures count it); the parties of an
 * agreement 20–30 days old are reminded once that they may still apply for 司法确认.
 */
export async function runMediationDeadlines(now = new Date()): Promise<{ escalated: number; reminded: number }> {
  const at = now.toISOString();
  let escalated = 0;
  let reminded = 0;
  const late = [...(await casesBetween('accepted', '0', at)), ...(await casesBetween('agreed', '0', at))].filter((c) => !c.escalatedAt);
  // Up one level: the centre's officers, who supervise the mediators, are told as well.
  const officers = late.length ? ((await getStreet(homeStreetId))?.legalOfficerIds ?? []) : [];
  for (const c of late) {
    const after: MediationCase = { ...c, escalatedAt: at, version: c.version + 1 };
    const told = [...new Set([...c.mediators.flatMap((m) => (m.userId ? [m.userId] : [])), ...officers])];
    const toMediators = told.map((userId) => caseNotice(userId, `mediation-${c.caseId}-overdue-${userId}`, `调解案件 ${c.caseNo}`, '已超过 30 日未调解终结，请尽快结案或终止调解', casePage(c.caseId), at));
    try {
      await commitCaseChange({ items: caseItems(after, now), expectedVersion: c.version, figures: { medEscalated: 1 }, at, notices: toMediators });
      escalated++;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err; // changed meanwhile: the next run looks again
    }
  }
  const from = new Date(now.getTime() - mediationDays.judicialConfirmation * dayMs).toISOString();
  const to = new Date(now.getTime() - mediationDays.confirmationReminderAfter * dayMs).toISOString();
  for (const c of (await casesBetween('settled', from, to)).filter((x) => !x.confirmationRemindedAt)) {
    const lastDay = addDays(beijingDate(c.settledAt!), mediationDays.judicialConfirmation);
    const after: MediationCase = { ...c, confirmationRemindedAt: at, version: c.version + 1 };
    try {
      await commitCaseChange({ items: caseItems(after, now), expectedVersion: c.version, at, notices: partiesNotified(after, 'judicial-reminder', `如需司法确认，请于${Number(lastDay.slice(5, 7))}月${Number(lastDay.slice(8))}日前共同向人民法院申请`, at) });
      reminded++;
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
    }
  }
  return { escalated, reminded };
}
