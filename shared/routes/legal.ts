import * as z from 'zod';

import { route } from '../http/route';
import { aidClosureSchema, aidDecisionSchema, aidInputSchema, aidStatuses, aidViewSchema } from '../legal/aid';
import { legalFiguresSchema } from '../legal/figures';
import {
  acceptanceSchema,
  agreementInputSchema,
  failureInputSchema,
  followUpInputSchema,
  mediationInputSchema,
  mediationStatuses,
  mediationSummarySchema,
  mediationViewSchema,
  partyActSchema,
  sessionInputSchema,
} from '../legal/mediation';
import { bookingInputSchema, bookingViewSchema, recordInputSchema, slotInputSchema, slotViewSchema } from '../legal/model';
import { pageOf, pageQuerySchema, ulidId } from '../schemas/common';

/**
 * The public legal service centre (公共法律服务中心): consultations with the duty lawyer. Private
 * like legal requests: a resident reads their own bookings; the centre's legal officers read a
 * slot's bookings (audited); the sub-district's staff and admin read the figures only.
 */
const slotParams = z.object({ slotId: ulidId('咨询时段编号无效') });
const booker = ['resident', 'volunteer'] as const;

export const postLegalSlot = route({
  id: 'postLegalSlot',
  method: 'POST',
  path: '/v1/legal/slots',
  handler: 'functions/legal/post-slot.ts',
  summary: 'Publish a consultation slot of the duty lawyer (at the centre or by phone), with how many it takes',
  tag: 'legal',
  access: ['legal_officer', 'admin'],
  body: slotInputSchema,
  response: slotViewSchema,
  status: 201,
});

export const getLegalSlots = route({
  id: 'getLegalSlots',
  method: 'GET',
  path: '/v1/legal/slots',
  handler: 'functions/legal/get-slots.ts',
  summary: 'Open consultation slots of the next two weeks, earliest first, with the places left (no one\'s bookings)',
  tag: 'legal',
  access: 'authenticated',
  query: pageQuerySchema,
  response: pageOf(slotViewSchema),
  status: 200,
});

export const getLegalSlot = route({
  id: 'getLegalSlot',
  method: 'GET',
  path: '/v1/legal/slots/{slotId}',
  handler: 'functions/legal/get-slot.ts',
  summary: 'A slot with who booked it and about what, for the centre\'s officers (every read audited)',
  tag: 'legal',
  access: ['legal_officer'],
  params: slotParams,
  // The read is audited: one Put.
  tableAccess: 'readwrite',
  response: z.object({
    slot: slotViewSchema,
    bookings: bookingViewSchema.extend({ userId: z.string(), name: z.string(), phoneMasked: z.string().nullable() }).array(),
  }),
  status: 200,
});

export const postLegalBooking = route({
  id: 'postLegalBooking',
  method: 'POST',
  path: '/v1/legal/slots/{slotId}/bookings',
  handler: 'functions/legal/post-booking.ts',
  summary: 'Book a consultation: what it is about, in a few words; never past the slot\'s places (409 SLOT_FULL)',
  tag: 'legal',
  access: booker,
  params: slotParams,
  body: bookingInputSchema,
  response: bookingViewSchema,
  status: 201,
});

export const deleteMyLegalBooking = route({
  id: 'deleteMyLegalBooking',
  method: 'DELETE',
  path: '/v1/legal/slots/{slotId}/bookings/me',
  handler: 'functions/legal/delete-my-booking.ts',
  summary: 'Cancel one\'s booking until the slot starts (the place is given back)',
  tag: 'legal',
  access: booker,
  params: slotParams,
  response: bookingViewSchema,
  status: 200,
});

export const postLegalBookingMove = route({
  id: 'postLegalBookingMove',
  method: 'POST',
  path: '/v1/legal/slots/{slotId}/bookings/me/move',
  handler: 'functions/legal/post-booking-move.ts',
  summary: '改约: move one\'s booking to another slot — the old place given back and the new one taken together, or neither',
  tag: 'legal',
  access: booker,
  params: slotParams,
  body: z.object({ toSlotId: ulidId('请选择新的时段') }),
  response: bookingViewSchema,
  status: 200,
});

export const postLegalRecord = route({
  id: 'postLegalRecord',
  method: 'POST',
  path: '/v1/legal/slots/{slotId}/bookings/{userId}/record',
  handler: 'functions/legal/post-record.ts',
  summary: 'The lawyer\'s record once the slot has begun: held (the advice, and whether it became a legal-aid application or a mediation case) or no-show',
  tag: 'legal',
  access: ['legal_officer'],
  params: slotParams.extend({ userId: z.string().min(1).max(64) }),
  body: recordInputSchema,
  response: bookingViewSchema,
  status: 200,
});

export const getMyConsultations = route({
  id: 'getMyConsultations',
  method: 'GET',
  path: '/v1/me/consultations',
  handler: 'functions/legal/get-my-consultations.ts',
  summary: 'The caller\'s consultations with their slots, latest first',
  tag: 'legal',
  access: 'authenticated',
  query: pageQuerySchema,
  response: pageOf(bookingViewSchema),
  status: 200,
});

export const getLegalFigures = route({
  id: 'getLegalFigures',
  method: 'GET',
  path: '/v1/legal/figures',
  handler: 'functions/legal/get-figures.ts',
  summary: 'The centre\'s month (Beijing): consultations (booked, cancelled, held, no-shows, to legal aid, to mediation), legal-aid applications (received, accepted, refused, decision times) and mediation cases (accepted, settled, failed, 调解成功率, performed on follow-up)',
  tag: 'legal',
  access: ['legal_officer', 'street_staff', 'admin'],
  query: z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: '月份格式应为 2026-11' }).optional() }),
  response: legalFiguresSchema,
  status: 200,
});

/*
 * 法律援助申请: the applicant and the centre's officers read an application (every read audited,
 * someone else gets 404); the officers decide and close.
 */
const aidParams = z.object({ applicationId: ulidId('申请编号无效') });
const officer = ['legal_officer'] as const;

export const postLegalAid = route({
  id: 'postLegalAid',
  method: 'POST',
  path: '/v1/legal/aid',
  handler: 'functions/legal/post-aid.ts',
  summary: '法律援助申请: the matter, the situation, what is asked, documents (uploaded photos); hardship needs no proof when the roster tags the applicant 低保/特困; decided within 7 working days',
  tag: 'legal',
  access: booker,
  body: aidInputSchema,
  response: aidViewSchema,
  status: 201,
  idempotent: true,
  photos: 'attach',
});

export const getMyLegalAid = route({
  id: 'getMyLegalAid',
  method: 'GET',
  path: '/v1/me/legal-aid',
  handler: 'functions/legal/get-my-aid.ts',
  summary: 'The caller\'s legal-aid applications, latest first',
  tag: 'legal',
  access: 'authenticated',
  query: pageQuerySchema,
  response: pageOf(aidViewSchema),
  status: 200,
});

export const getLegalAidList = route({
  id: 'getLegalAidList',
  method: 'GET',
  path: '/v1/legal/aid',
  handler: 'functions/legal/get-aid-list.ts',
  summary: 'The centre\'s applications of a status: to decide (submitted) by deadline, earliest first; others latest first (the read is audited)',
  tag: 'legal',
  access: officer,
  query: pageQuerySchema.extend({ status: z.enum(aidStatuses, { error: '状态无效' }).default('submitted') }),
  tableAccess: 'readwrite',
  response: pageOf(aidViewSchema),
  status: 200,
});

export const getLegalAid = route({
  id: 'getLegalAid',
  method: 'GET',
  path: '/v1/legal/aid/{applicationId}',
  handler: 'functions/legal/get-aid.ts',
  summary: 'One application with short-lived links to its documents, for its applicant or the centre (every read audited; anyone else 404)',
  tag: 'legal',
  access: [...booker, 'legal_officer'],
  params: aidParams,
  tableAccess: 'readwrite',
  photos: 'read',
  response: aidViewSchema,
  status: 200,
});

export const postLegalAidDecision = route({
  id: 'postLegalAidDecision',
  method: 'POST',
  path: '/v1/legal/aid/{applicationId}/decision',
  handler: 'functions/legal/post-aid-decision.ts',
  summary: 'The centre\'s decision: aid with the assigned lawyer, or refused with the reason (the applicant is told where to object)',
  tag: 'legal',
  access: officer,
  params: aidParams,
  body: aidDecisionSchema,
  response: aidViewSchema,
  status: 200,
  sends: ['notifications'],
});

export const postLegalAidClosure = route({
  id: 'postLegalAidClosure',
  method: 'POST',
  path: '/v1/legal/aid/{applicationId}/closure',
  handler: 'functions/legal/post-aid-closure.ts',
  summary: 'An aided case closed with its result',
  tag: 'legal',
  access: officer,
  params: aidParams,
  body: aidClosureSchema,
  response: aidViewSchema,
  status: 200,
  sends: ['notifications'],
});

/*
 * 人民调解: the parties (those who use the app), the assigned mediators with an account and the
 * centre's officers read a case (every read audited, anyone else 404); the officers run it.
 */
const caseParams = z.object({ caseId: ulidId('案件编号无效') });
const caseRoute = <B extends z.ZodType>(id: string, path: string, handler: string, summary: string, body: B, access: readonly ('resident' | 'volunteer' | 'legal_officer')[] = officer, extra: { sends?: readonly ['notifications']; photos?: 'agreement' } = { sends: ['notifications'] }) =>
  route({ id, method: 'POST', path: `/v1/legal/mediations/{caseId}${path}`, handler: `functions/legal/${handler}.ts`, summary, tag: 'legal', access, params: caseParams, body, response: mediationViewSchema, status: 200, ...extra });

export const postMediation = route({
  id: 'postMediation',
  method: 'POST',
  path: '/v1/legal/mediations',
  handler: 'functions/legal/post-mediation.ts',
  summary: 'Apply for 人民调解: the dispute, what is asked, the other parties (found in the app by phone, then asked to consent)',
  tag: 'legal',
  access: booker,
  body: mediationInputSchema,
  response: mediationViewSchema,
  status: 201,
  idempotent: true,
  sends: ['notifications'],
});

export const getMyMediations = route({
  id: 'getMyMediations',
  method: 'GET',
  path: '/v1/me/mediations',
  handler: 'functions/legal/get-my-mediations.ts',
  summary: 'The mediation cases the caller is a party to, latest first, each with what they are asked to do',
  tag: 'legal',
  access: 'authenticated',
  query: pageQuerySchema,
  response: pageOf(mediationSummarySchema),
  status: 200,
});

export const getMediations = route({
  id: 'getMediations',
  method: 'GET',
  path: '/v1/legal/mediations',
  handler: 'functions/legal/get-mediations.ts',
  summary: 'The centre\'s cases of a status: open ones by deadline, earliest first; others latest first (the read is audited)',
  tag: 'legal',
  access: officer,
  query: pageQuerySchema.extend({ status: z.enum(mediationStatuses, { error: '状态无效' }).default('applied') }),
  tableAccess: 'readwrite',
  response: pageOf(mediationSummarySchema),
  status: 200,
});

export const getMediation = route({
  id: 'getMediation',
  method: 'GET',
  path: '/v1/legal/mediations/{caseId}',
  handler: 'functions/legal/get-mediation.ts',
  summary: 'A case file (parties, sessions, agreement with a 5-minute PDF link, follow-ups) for its parties, mediators and the centre (every read audited; anyone else 404)',
  tag: 'legal',
  access: 'authenticated',
  params: caseParams,
  tableAccess: 'readwrite',
  photos: 'agreement',
  response: mediationViewSchema,
  status: 200,
});

export const postMediationConsent = caseRoute('postMediationConsent', '/consent', 'post-mediation-consent', 'A party consents to mediation (an officer records a consent given in person by naming the party)', partyActSchema, [...booker, 'legal_officer'], {});
export const postMediationDecision = caseRoute('postMediationDecision', '/decision', 'post-mediation-decision', 'Accept the case with its mediators once every party consented (30 days to settle), or decline it with the reason', acceptanceSchema);
export const postMediationSession = caseRoute('postMediationSession', '/sessions', 'post-mediation-session', 'A mediation session\'s record (笔录)', sessionInputSchema, officer, {});
export const postMediationAgreement = caseRoute('postMediationAgreement', '/agreement', 'post-mediation-agreement', 'The agreement reached (协议书): printed to a PDF kept privately, then confirmed by every party', agreementInputSchema, officer, { sends: ['notifications'], photos: 'agreement' });
export const postMediationConfirm = caseRoute('postMediationConfirm', '/agreement/confirm', 'post-mediation-confirm', 'A party confirms the agreement (an officer records a paper signature by naming the party); when all have, the case is settled', partyActSchema, [...booker, 'legal_officer']);
export const postMediationFailure = caseRoute('postMediationFailure', '/failure', 'post-mediation-failure', 'Mediation failed: why, and where the parties were referred', failureInputSchema);
export const postMediationFollowUp = caseRoute('postMediationFollowUp', '/follow-ups', 'post-mediation-follow-up', 'A follow-up visit (回访) of a settled case: whether the agreement was performed', followUpInputSchema, officer, {});

export const legalRoutes = [
  postLegalSlot,
  getLegalSlots,
  getLegalSlot,
  postLegalBooking,
  deleteMyLegalBooking,
  postLegalBookingMove,
  postLegalRecord,
  getMyConsultations,
  getLegalFigures,
  postLegalAid,
  getMyLegalAid,
  getLegalAidList,
  getLegalAid,
  postLegalAidDecision,
  postLegalAidClosure,
  postMediation,
  getMyMediations,
  getMediations,
  getMediation,
  postMediationConsent,
  postMediationDecision,
  postMediationSession,
  postMediationAgreement,
  postMediationConfirm,
  postMediationFailure,
  postMediationFollowUp,
];
