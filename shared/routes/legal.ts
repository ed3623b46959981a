import * as z from 'zod';

import { route } from '../http/route';
import { bookingInputSchema, bookingViewSchema, recordInputSchema, slotInputSchema, slotViewSchema } from '../legal/model';
import { pageOf, pageQuerySchema } from '../schemas/common';

/**
 * The public legal service centre (公共法律服务中心): consultations with the duty lawyer. Private
 * like legal requests: a resident reads their own bookings; the centre's legal officers read a
 * slot's bookings (audited); the sub-district's staff and admin read the figures only.
 */
const ulid = (message: string) => z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, { error: message });
const slotParams = z.object({ slotId: ulid('咨询时段编号无效') });
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
  body: z.object({ toSlotId: ulid('请选择新的时段') }),
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
  summary: 'The centre\'s consultations of a month (Beijing): booked, cancelled, held, no-shows, and how many became legal aid or mediation',
  tag: 'legal',
  access: ['legal_officer', 'street_staff', 'admin'],
  query: z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, { error: '月份格式应为 2026-11' }).optional() }),
  response: z.object({ month: z.string(), booked: z.number(), cancelled: z.number(), held: z.number(), noShow: z.number(), toLegalAid: z.number(), toMediation: z.number() }),
  status: 200,
});

export const legalRoutes = [postLegalSlot, getLegalSlots, getLegalSlot, postLegalBooking, deleteMyLegalBooking, postLegalBookingMove, postLegalRecord, getMyConsultations, getLegalFigures];
