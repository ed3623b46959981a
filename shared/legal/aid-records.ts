import { GetCommand } from '@aws-sdk/lib-dynamodb';

import { ddb } from '../aws';
import { config } from '../config';
import { fromItem } from '../db/items';
import { keys } from '../db/keys';
import { NotFoundError } from '../errors';
import { personTagNames } from '../households/model';
import { links } from '../links';
import { beijingDate, beijingWeekdayName } from '../time';
import { type AidApplication, aidMatterNames, aidObjectionHow, aidResultNames, aidStatusNames, type AidView, type Hardship } from './aid';
import { calendarYears } from './working-days';

/**
 * A legal-aid application as it is stored (in the applicant's list and the centre's list of its
 * status) and as it is shown; shared by the application (aid-applications.ts) and the centre's
 * work on it (aid-decisions.ts), which are separate so that neither carries the other's clients.
 */
export const table = () => config().TABLE_NAME;
export const aidPage = links.legalAid;

/** Where an application sits in the centre's list of its status, and in which order. */
export function aidItem(a: AidApplication): Record<string, unknown> {
  const sortKey = a.status === 'submitted' ? a.decideBy : a.status === 'closed' ? a.closedAt! : a.decidedAt!;
  return { ...keys.legalAid(a.applicationId), ...keys.legalAidByApplicant(a.applicantId, a.createdAt, a.applicationId), ...keys.legalAidByStatus(a.status, sortKey, a.applicationId), type: 'LegalAid', ...a };
}

function deadlineText(a: AidApplication): string {
  const [, m, d] = a.decideBy.split('-').map(Number);
  const text = `${m}月${d}日（${beijingWeekdayName(`${a.decideBy}T12:00:00+08:00`)}）前作出决定`;
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

export async function getAid(applicationId: string): Promise<AidApplication | null> {
  const out = await ddb().send(new GetCommand({ TableName: table(), Key: keys.legalAid(applicationId), ConsistentRead: true }));
  return out.Item ? fromItem<AidApplication>(out.Item) : null;
}

export const notFound = () => new NotFoundError('LEGAL_AID_NOT_FOUND', '没有找到这份法律援助申请');
