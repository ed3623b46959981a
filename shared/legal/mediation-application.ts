import { ulid } from 'ulid';

import type { Principal } from '../auth/principal';
import type { TransactItem } from '../db/conditions';
import { createOnce } from '../db/idempotency';
import { ValidationError } from '../errors';
import { lookupHash, seal } from '../pii/crypto';
import { maskPhone } from '../pii/redact';
import { beijingDate } from '../time';
import { getUser, userIdsByPhoneHash } from '../users/repository';
import { checkReferral, linkReferral } from './bookings';
import { caseNotice, commitCaseChange } from './case-writes';
import type { MediationCase, MediationInput, MediationView, Party } from './mediation';
import { caseItems, casePage, getCase, mediationView } from './mediation-cases';

/** Applying for mediation, apart: only this function seals the other side's phone number (KMS). */
/** A respondent found among the app's users by the phone number given (the first who registered it). */
async function respondent(n: number, r: MediationInput['respondents'][number]): Promise<Party> {
  if (!r.phone) return { partyId: `B${n}`, role: 'respondent', name: r.name };
  const [userIds, sealed] = await Promise.all([lookupHash('phone', r.phone).then(userIdsByPhoneHash), seal(r.phone)]);
  return { partyId: `B${n}`, role: 'respondent', name: r.name, phone: sealed, phoneMasked: maskPhone(r.phone), ...(userIds[0] ? { userId: userIds[0] } : {}) };
}

/** A resident applies for mediation: they consent by applying; the other parties are asked. */
export async function applyForMediation(p: Principal, input: MediationInput, idempotencyKey?: string, now = new Date()): Promise<MediationView> {
  const caseId = ulid(now.getTime());
  return createOnce(p.userId, idempotencyKey, input, caseId, async (ref) => mediationView((await getCase(ref))!, now, p.userId), (claim) => createCase(p, caseId, input, claim, now));
}

async function createCase(p: Principal, caseId: string, input: MediationInput, claim: TransactItem[], now: Date): Promise<MediationView> {
  const at = now.toISOString();
  if (input.fromSlotId) await checkReferral(p.userId, input.fromSlotId, 'mediation');
  const [person, ...respondents] = await Promise.all([getUser(p.userId), ...input.respondents.map((r, i) => respondent(i + 1, r))]);
  const selfAsRespondent = respondents.findIndex((r) => r.userId === p.userId);
  if (selfAsRespondent >= 0) throw new ValidationError([{ field: `body.respondents.${selfAsRespondent}.phone`, reason: 'self', message: '对方当事人不能是您自己' }]);
  const c: MediationCase = {
    caseId,
    caseNo: `${beijingDate(now).slice(0, 4)}-${caseId.slice(-6)}`,
    status: 'applied',
    category: input.category,
    facts: input.facts,
    claim: input.claim,
    applicantId: p.userId,
    parties: [{ partyId: 'A1', role: 'applicant', name: person?.name ?? '居民', userId: p.userId, ...(person?.phoneMasked ? { phoneMasked: person.phoneMasked } : {}), consentAt: at, consentBy: 'self' }, ...respondents],
    mediators: [],
    sessions: [],
    followUps: [],
    createdAt: at,
    ...(input.fromSlotId ? { fromSlotId: input.fromSlotId } : {}),
    version: 1,
  };
  const asked = respondents.filter((r) => r.userId);
  await commitCaseChange({
    items: caseItems(c, now),
    expectedVersion: 0,
    also: [...claim, ...linkReferral(p.userId, input.fromSlotId, caseId)],
    figures: { medApplied: 1 },
    at,
    notices: asked.map((r) => caseNotice(r.userId!, `mediation-${caseId}-asked-${r.partyId}`, '人民调解', `${c.parties[0]!.name}申请调解，请确认是否同意`, casePage(caseId), at)),
  });
  return mediationView(c, now, p.userId);
}
