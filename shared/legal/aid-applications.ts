import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { ulid } from 'ulid';

import { writeAudit } from '../audit/audit';
import { hasRole } from '../auth/authorize';
import type { Principal } from '../auth/principal';
import { ddb } from '../aws';
import type { TransactItem } from '../db/conditions';
import { createOnce } from '../db/idempotency';
import { keys } from '../db/keys';
import { hardshipTags } from '../households/model';
import { getHousehold } from '../households/repository';
import { attachPhotos, photoUrls } from '../photos/photos';
import { lookupHash, seal } from '../pii/crypto';
import { maskIdNumber } from '../pii/redact';
import { getUser } from '../users/repository';
import { type AidApplication, aidDecisionWorkingDays, type AidInput, type AidView, type Hardship } from './aid';
import { aidItem, aidView, getAid, notFound, table } from './aid-records';
import { checkReferral, linkReferral } from './bookings';
import { commitCaseChange } from './case-writes';
import { addWorkingDays } from './working-days';

/**
 * 法律援助申请, the applicant's side: apply (hardship from the roster where it can be, documents
 * from the upload flow, the deadline of 7 working days) and read one application with its documents.
 */
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

/** A resend of the same application (same Idempotency-Key) answers with the first. */
export async function applyForAid(p: Principal, input: AidInput, idempotencyKey?: string, now = new Date()): Promise<AidView> {
  const applicationId = ulid(now.getTime());
  return createOnce(p.userId, idempotencyKey, input, applicationId, async (ref) => aidView((await getAid(ref))!, now), (claim) => createAid(p, applicationId, input, claim, now));
}

async function createAid(p: Principal, applicationId: string, input: AidInput, claim: TransactItem[], now: Date): Promise<AidView> {
  const idHash = await lookupHash('id', input.idNumber);
  const [person, hardship, sealed] = await Promise.all([getUser(p.userId), hardshipOf(idHash), seal(input.idNumber), input.fromSlotId ? checkReferral(p.userId, input.fromSlotId, 'legal_aid') : null]);
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
  await commitCaseChange({ items: [aidItem(a)], expectedVersion: 0, also: [...claim, ...linkReferral(p.userId, input.fromSlotId, applicationId)], figures: { aidReceived: 1, ...(hardship.basis === 'roster' ? { aidHardshipExempt: 1 } : {}) }, at });
  return aidView(a, now);
}

/** One application, for its applicant or the centre's officers (someone else: 404); every read audited. */
export async function readAid(p: Principal, applicationId: string, now = new Date()): Promise<AidView> {
  const a = await getAid(applicationId);
  if (!a || (a.applicantId !== p.userId && !hasRole(p, 'legal_officer'))) throw notFound();
  await writeAudit({ actorId: p.userId, action: 'legal_aid.read', targetType: 'legal_aid', targetId: applicationId, detail: { status: a.status } }, now);
  return aidView(a, now, await photoUrls(a.photos));
}
